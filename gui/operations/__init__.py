"""The window's operation plug-ins: each module here (gui/operations/<stem>.py) is the part one
operation adds to the window, found by listing this package, so a new operation with a window
button edits no central list.

A plug-in module declares ``ORDER`` (its place among the others, e.g. in the File menu) and
``install(window)``: it builds its action or connects its button on ``window`` (a
gui.main_window.MainWindow: ``panels``, ``model_in_use``, ``statusBar()``, ``add_file_action``,
``train_config_kwargs``) and returns the object that owns its Worker (or None), which the window
waits for before it closes. It may also set a window attribute by its own name for scripts and tests.
"""
from __future__ import annotations

import importlib
import pkgutil
from typing import Any


def plugin_modules() -> list[Any]:
    """The plug-in modules, in their declared ORDER (then by name)."""
    modules = [importlib.import_module(f"{__name__}.{info.name}") for info in pkgutil.iter_modules(__path__)
               if not info.name.startswith("_")]
    return sorted(modules, key=lambda module: (getattr(module, "ORDER", 100), module.__name__))


def install_all(window: Any) -> list[Any]:
    """Install every plug-in on ``window``; the objects they return (those owning a Worker)."""
    installed = [module.install(window) for module in plugin_modules()]
    return [item for item in installed if item is not None]
