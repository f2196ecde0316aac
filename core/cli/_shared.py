"""What the commands of core/cli/ share (not a command itself): a progress line on the terminal (or one
line per epoch when stderr is not a terminal), JSON lines, an error as one readable line, the parser
whose mistakes read like every other user error, and the readings of ``--freeze`` and image folders."""
from __future__ import annotations

import argparse
import json
import re
from dataclasses import asdict
from pathlib import Path
from typing import Any, Mapping, NoReturn, TextIO

from core.cli._eta import SteadyEta, eta_words
from core.events import BatchEnded, EpochEnded, Event, LogMessage, PhaseStarted, Progress
from core.wording import plural

EXIT_USER_ERROR = 2
ERROR_LINE_LIMIT = 300


class UsageError(Exception):
    """A wrong combination of arguments that argparse cannot see: one line, exit code 2."""


def one_line(text: str, limit: int = ERROR_LINE_LIMIT) -> str:
    """A message as one line for ``error: ...``. The first line is kept whole (it names the problem,
    often with a long path that must not be cut); further lines are joined after it up to ``limit``
    characters, cut between words with an ellipsis, never inside a word."""
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    if not lines:
        return ""
    head, rest = lines[0], re.sub(r"\s+", " ", " ".join(lines[1:]))
    if not rest or len(head) >= limit:
        return head + (" …" if rest else "")
    if len(head) + 1 + len(rest) <= limit:
        return f"{head} {rest}"
    cut = rest[:limit - len(head)]  # one character past the room: a space there, the last word fits whole
    kept = cut.rsplit(" ", 1)[0] if " " in cut else ""
    return f"{head} {kept}…" if kept else f"{head} …"


class Parser(argparse.ArgumentParser):
    """argparse, but a wrong argument is one ``error: ...`` line like every other user error (the
    usage block is one ``--help`` away); the exit code stays argparse's 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USER_ERROR, f"error: {message} (see '{self.prog} --help')\n")


class TerminalProgress:
    """A one-line progress bar on stderr (only when it is a terminal; otherwise one line per epoch)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.live = stream.isatty()
        self.eta = SteadyEta()  # the phase's first epoch (setup, tracing, caching) is not typical

    def __call__(self, event: Event) -> None:
        if isinstance(event, Progress) and self.live:
            self._line(f"{event.message}")
        elif isinstance(event, PhaseStarted):
            self.eta.phase(event)
            self._end(f"phase {event.name}: {plural(event.epochs, 'epoch')} at learning rate "
                      f"{event.learning_rate:g}")
        elif isinstance(event, BatchEnded) and self.live:
            filled = int(20 * (event.batch + 1) / max(event.batches, 1))
            self._line(f"epoch {event.epoch + 1} [{'#' * filled}{'.' * (20 - filled)}] "
                       f"{event.batch + 1}/{event.batches} loss {event.loss:.4f} acc {event.accuracy:.3f}")
        elif isinstance(event, EpochEnded):
            val = "" if event.val_loss is None else f" val_loss {event.val_loss:.4f} val_acc {event.val_accuracy:.3f}"
            self._end(f"epoch {event.epoch + 1}/{event.epochs} loss {event.loss:.4f} acc {event.accuracy:.3f}{val} "
                      f"({event.elapsed_s:.0f} s, {eta_words(self.eta.epoch(event))})")
        elif isinstance(event, LogMessage):
            self._end(event.text)

    def _line(self, text: str) -> None:
        self.stream.write("\r" + text[:120].ljust(120))
        self.stream.flush()

    def _end(self, text: str) -> None:
        self.stream.write(("\r" if self.live else "") + text.ljust(120 if self.live else 0) + "\n")
        self.stream.flush()


class JsonProgress:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def __call__(self, event: Event) -> None:
        if isinstance(event, (EpochEnded, PhaseStarted, LogMessage)):
            fields = asdict(event)
            fields.pop("message_id", None), fields.pop("params", None)  # the window's; the JSON lines stay as they were
            self.stream.write(json.dumps({"event": type(event).__name__, **fields}) + "\n")
            self.stream.flush()


def absolute(folder: str | None) -> str | None:
    """An image folder as the absolute path recorded with the run, so that a resumed run, from any
    working directory, trains on the same folder (``cells/`` as typed would not)."""
    return str(Path(folder).expanduser().resolve()) if folder else folder


def parse_freeze(raw: str | None) -> int | str | None:
    """``--freeze``: a layer index (negative counts from the end) or a layer name."""
    if raw is None:
        return None
    return int(raw) if raw.lstrip("-").isdigit() else raw


GROUP_BY_HELP = ("keep images of the same slide, animal, patient or plate on one side of the split: 'subfolder' "
                 "(class/slide12/img.png) or a regular expression on file names whose first group names it, "
                 "e.g. '^(slide\\d+)_'")


def add_group_by(parser: argparse.ArgumentParser) -> None:
    """``--group-by subfolder|REGEX``, the same option on every command that splits images."""
    parser.add_argument("--group-by", default=None, metavar="subfolder|REGEX", help=GROUP_BY_HELP)


def accuracy_lines(metrics: Mapping[str, Any] | None, label: str = "validation accuracy") -> str:
    """``validation accuracy 92 % (81-97 %) on 50 validation images``, then, when under ~30 images per
    class make it rough, the plain note on a line of its own (core/stats/intervals.py's one wording).
    An old record without an interval gets it from its count (recorded_accuracy)."""
    from core.stats.intervals import recorded_accuracy

    record = recorded_accuracy(metrics)
    if record is None:
        accuracy = (metrics or {}).get("val_accuracy")
        return f"{label} " + ("-" if accuracy is None else f"{accuracy:.3f}") + "\n"
    return f"{label} {record['text']}\n" + (f"  {record['note']}\n" if record.get("note") else "")


def groups_line(metrics: Mapping[str, Any] | None) -> str:
    """One line on the keep-together split a run used, or nothing without one."""
    groups = (metrics or {}).get("groups") or {}
    if not groups.get("group_by"):
        return ""
    if "val_groups" in groups:
        return (f"groups by '{groups['group_by']}' kept whole: {plural(groups.get('train_groups', 0), 'group')} for "
                f"training, {groups['val_groups']} for validation\n")
    both = groups.get("in_both_folders", 0)
    return f"groups by '{groups['group_by']}': {plural(both, 'group')} in both the training and validation folders\n"


def add_runtime_option(parser: argparse.ArgumentParser) -> None:
    """``--runtime``: which runtime runs the forward passes that do not train (core/runtime);
    core.cli applies it before the command runs."""
    from core.runtime.setting import CHOICES

    parser.add_argument("--runtime", default=None, choices=CHOICES,
                        help="auto (default): the fastest verified runtime here (LiteRT, else onnxruntime); "
                             "keras: TensorFlow only, for comparison or when a converted model misbehaves")
