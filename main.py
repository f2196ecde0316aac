"""Finetune Studio. No arguments: the desktop application. A sub-command: the headless engine
(``python main.py --help``). ``--screenshot PATH`` renders the window to a PNG and exits."""
from __future__ import annotations

import sys

CLI_COMMANDS = {"backbones", "train", "predict", "evaluate", "-h", "--help"}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in CLI_COMMANDS:
        from core.cli import main as cli_main

        return cli_main(argv)
    from gui.app import main as gui_main

    return gui_main(argv)


if __name__ == "__main__":
    sys.exit(main())
