"""The one registry of operations, built by looking, never by a hand-kept list.

An operation is what a user asks for (train, predict, audit...). Each has one stem, the same in
every layer: ``core/jobs/<stem>.py`` (the door), ``core/cli/<stem>.py`` (its command, ``lr_find.py``
-> ``lr-find``), ``core/engine/requests/<stem>.py`` (its typed requests, if the window runs it) and
``core/engine/handlers/<stem>.py`` (their handlers, declared as ``HANDLES``). Adding an operation
means adding those files; ``main.py``, the CLI's parser and the engine's table all read this module,
and tests/test_operations.py checks that they agree.

TensorFlow-free, and cheap: :func:`commands` only lists file names; the other functions import the
request and handler modules, which import no TensorFlow (a handler imports core.jobs when it runs).
The imports here are by name (importlib), so this module sits low in the layers and knows no front.
"""
from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from types import ModuleType
from typing import Any, Callable

CLI_PACKAGE = "core.cli"
REQUESTS_PACKAGE = "core.engine.requests"
HANDLERS_PACKAGE = "core.engine.handlers"


def _stems(package: str) -> list[str]:
    """The operation modules of ``package`` (its ``__init__`` and modules starting with "_" are not)."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.submodule_search_locations is None:
        raise ImportError(f"{package} is not a package")
    return sorted(info.name for info in pkgutil.iter_modules(spec.submodule_search_locations)
                  if not info.name.startswith("_") and not info.ispkg)


def command_name(stem: str) -> str:
    """The command a user types for an operation's stem: ``lr_find`` -> ``lr-find``."""
    return stem.replace("_", "-")


def commands() -> tuple[str, ...]:
    """Every command of ``python main.py <command>``, from the modules of core/cli/ (no import)."""
    return tuple(command_name(stem) for stem in _stems(CLI_PACKAGE))


def command_module(command: str) -> ModuleType:
    """core/cli/<stem>.py for ``command``: ``add_parser(commands)`` and ``run(args, out)``."""
    if command not in commands():
        raise KeyError(command)
    return importlib.import_module(f"{CLI_PACKAGE}.{command.replace('-', '_')}")


def command_modules() -> dict[str, ModuleType]:
    return {command: command_module(command) for command in commands()}


def request_modules() -> dict[str, ModuleType]:
    return {stem: importlib.import_module(f"{REQUESTS_PACKAGE}.{stem}") for stem in _stems(REQUESTS_PACKAGE)}


def request_types() -> dict[type, str]:
    """Every request type the window can send, by the stem of the module that defines it."""
    found: dict[type, str] = {}
    for stem, module in request_modules().items():
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == module.__name__ and _is_request(value):
                found[value] = stem
    return found


def _is_request(cls: type) -> bool:
    """Whether ``cls`` derives from core.engine.protocol.Request (by name: this module imports no front)."""
    return any(base.__name__ == "Request" and base.__module__ == "core.engine.protocol" for base in cls.__mro__[1:])


def handlers() -> dict[type, Callable[..., Any]]:
    """The engine's table: every request type -> its handler, from each handler module's ``HANDLES``.
    A request type handled twice is a mistake caught here, not a silent override."""
    table: dict[type, Callable[..., Any]] = {}
    for stem in _stems(HANDLERS_PACKAGE):
        module = importlib.import_module(f"{HANDLERS_PACKAGE}.{stem}")
        for request_type, handler in getattr(module, "HANDLES", {}).items():
            if request_type in table:
                raise TypeError(f"{request_type.__name__} is handled twice (core/engine/handlers/{stem}.py)")
            table[request_type] = handler
    return table
