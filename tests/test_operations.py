"""The one registry of operations (core/operations.py) and the three places that read it agree:
main.py's commands, the CLI's parser and the engine's table of request types. A command module,
a request module or a handler module added (or forgotten) shows here."""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from core import operations

ROOT = Path(__file__).resolve().parents[1]


def _parser_commands() -> set[str]:
    from core.cli import _build_parser

    parser = _build_parser()
    [action] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]  # noqa: SLF001
    return set(action.choices)


def test_main_the_parser_and_the_registry_name_the_same_commands() -> None:
    import main

    assert set(main.CLI_COMMANDS) == _parser_commands() == set(operations.commands())
    assert {"backbones", "train", "predict", "evaluate", "export", "explain", "lr-find", "report", "runs",
            "audit"} <= set(main.CLI_COMMANDS)


def test_every_request_type_has_one_handler_of_the_same_operation() -> None:
    from core.engine.server import HANDLERS

    requests = operations.request_types()
    assert set(HANDLERS) == set(requests)
    for request_type, stem in requests.items():  # one stem in every layer: requests/x.py -> handlers/x.py
        assert HANDLERS[request_type].__module__ == f"{operations.HANDLERS_PACKAGE}.{stem}", request_type
    names = [cls.name for cls in requests]
    assert len(set(names)) == len(names) and "job" not in names


def test_every_operation_that_crosses_the_pipe_has_a_door() -> None:
    """requests/<stem>.py and handlers/<stem>.py pair up, and core/jobs/<stem>.py is the door behind
    them (the engine-only ``status`` answers about the engine itself and has none)."""
    requests, handlers = set(operations.request_modules()), set(operations._stems(operations.HANDLERS_PACKAGE))
    doors = set(operations._stems("core.jobs"))
    assert requests == handlers
    assert requests - doors == {"status"}
    commands = {stem for stem in operations._stems(operations.CLI_PACKAGE)}
    assert commands <= doors, commands - doors


def test_a_typo_is_refused_with_the_registry_s_commands_before_qt() -> None:
    done = subprocess.run([sys.executable, "main.py", "lr_fnd"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2 and "did you mean 'lr-find'" in done.stderr
    assert ",".join(operations.commands()) in done.stderr


def test_the_settings_and_the_registry_import_no_tensorflow() -> None:
    code = ("import sys, core.config, core.operations, core.engine.protocol; core.operations.commands(); "
            "core.operations.request_types(); assert 'tensorflow' not in sys.modules, 'tensorflow loaded'")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
