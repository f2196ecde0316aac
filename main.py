"""Finetune Studio. No arguments: the desktop application. A sub-command: the headless engine
(``python main.py --help``). ``--screenshot PATH`` renders the window to a PNG and exits.

Anything else is refused here with the usage and exit code 2, before Qt is imported: a typo such as
``trian`` used to open the window (and, on a server without a display, hang forever)."""
from __future__ import annotations

import difflib
import sys

from core.operations import commands

CLI_COMMANDS = commands()  # one module per command in core/cli/ (TF-free, nothing imported but file names)
HELP = ("-h", "--help")
USAGE = ("usage: finetune-studio {" + ",".join(CLI_COMMANDS) + "} ...   (no command: the window; --help for "
         "details)\n")  # one line: the error line after it is what the user needs to read


def unknown_command(word: str) -> int:
    """Print the one usage line and one error line naming ``word`` (with the nearest command), return 2."""
    close = difflib.get_close_matches(word, CLI_COMMANDS, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    sys.stderr.write(f"{USAGE}finetune-studio: error: unknown command '{word}'{hint}\n")
    return 2


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and (argv[0] in CLI_COMMANDS or argv[0] in HELP):
        from core.cli import main as cli_main

        return cli_main(argv)
    if argv and not argv[0].startswith("-"):
        return unknown_command(argv[0])
    from gui.app import main as gui_main  # its parser refuses unknown options before any window exists

    return gui_main(argv)


if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()  # frozen build: the engine process is this program started again
    sys.exit(main())
