"""Headless front end: ``python main.py <command>``, one module per command (core/cli/<stem>.py, found
by :mod:`core.operations`: ``add_parser(commands)`` and ``run(args, out, progress)``). Renders events as
a terminal progress bar or as JSON lines; errors become one readable line and a non-zero exit code,
never a traceback. Everything a user can get wrong is checked by the command before any work."""
from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Sequence, TextIO

from core import operations
from core.cli._shared import (EXIT_USER_ERROR, JsonProgress, Parser, TerminalProgress, UsageError,  # noqa: F401
                              one_line)
from core.errors import USER_ERRORS

_TerminalProgress, _JsonProgress = TerminalProgress, JsonProgress  # the names tests and scripts know
log = logging.getLogger("finetune_studio")


def _build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="finetune-studio", description="Fine-tune pretrained image classifiers.")
    commands = parser.add_subparsers(dest="command", required=True)
    for module in operations.command_modules().values():
        module.add_parser(commands)
    return parser


def user_errors() -> tuple[type[BaseException], ...]:
    """Exceptions whose message is written for the user: shown as-is, exit code 2. They all live in
    the TensorFlow-free core.errors, so recognising one never imports TensorFlow."""
    return (UsageError, FileNotFoundError, *USER_ERRORS)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run one command; the exit code: 0, 1 (a failure or some images unreadable), 2 (a user error)."""
    out = out or sys.stdout
    try:
        try:
            return _run(argv, out)
        finally:
            out.flush()
            sys.stdout.flush()  # argparse's help and usage
    except BrokenPipeError:
        # The reader left (``| head``). As the Python docs advise (signal module, "Note on SIGPIPE"):
        # point stdout at devnull so the interpreter's last flush cannot raise again, and end quietly.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):  # no real stdout (embedded): nothing left to flush there
            pass
        return 1


def _run(argv: Sequence[str] | None, out: TextIO) -> int:
    args = _build_parser().parse_args(argv)
    from core.runtime.setting import runtime_setting

    try:  # run(args, out, progress) of core/cli/<command>.py, under --runtime (predict, evaluate, audit, train)
        with runtime_setting(getattr(args, "runtime", None)):
            return operations.command_module(args.command).run(args, out, TerminalProgress(sys.stderr))
    except KeyboardInterrupt:
        sys.stderr.write("\ninterrupted\n")
        return 130
    except BrokenPipeError:
        raise  # not an error of the command: main() ends quietly
    except Exception as error:
        from core.logs import log_file, setup_logging

        setup_logging()
        if isinstance(error, ImportError):  # a broken install: user_errors() itself would fail to import
            log.exception("%s failed", args.command)
            sys.stderr.write(f"error: a required package is missing ({one_line(str(error))}); reinstall with "
                             "'pip install -e .'\n")
            return 1
        if isinstance(error, user_errors()) or isinstance(error, ValueError):
            log.warning("%s failed: %s", args.command, error)
            sys.stderr.write(f"error: {one_line(str(error))}\n")
            return EXIT_USER_ERROR
        log.exception("%s failed", args.command)
        sys.stderr.write(f"error: {type(error).__name__}: {one_line(str(error))} (details in {log_file()})\n")
        return 1
