"""Reading a bundle's files as untrusted input: bounded sizes, regular files only, text that must be
UTF-8, JSON that must parse, a model archive whose members must not unpack to absurd sizes.

Why a module of its own: a bundle comes from wherever the user got it (a colleague, a download), so
every read of it is a place where a hostile or damaged file could exhaust memory or hang the app
(``familiarity.npz`` as a link to ``/dev/zero``, a named pipe as ``labels.json``). Saving and the swap
stay in :mod:`core.bundles.bundle`; what may be believed of a file read back is decided here, once.
"""
from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

from core.errors import BundleError
from core.files import RefusedFile, read_bounded, size_words

MAX_JSON_BYTES = 16 << 20  # labels.json, config.json: a split of a million paths is far below this
MAX_OPTIONAL_BYTES = 4 << 20  # history.csv, metrics.json: thousands of epochs are far below this
MAX_ARCHIVE_JSON_BYTES = 32 << 20  # config.json / metadata.json inside model.keras, unpacked
MAX_EXPANSION = 100  # Keras stores members uncompressed; a member inflating 100x is not Keras' work
EXPANSION_FLOOR_BYTES = 64 << 20  # ... unless it is small enough not to matter
MAX_ARCHIVE_MEMBERS = 10_000


class Unreadable(ValueError):
    """A file that is too large, not UTF-8, not JSON or nested too deeply; the message says which."""


def read_text(path: Path, limit: int) -> str:
    try:
        raw = read_bounded(path, limit)  # a regular file of at most ``limit`` bytes, never a pipe or device
    except RefusedFile as error:
        raise Unreadable(str(error)) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Unreadable(f"{path.name} is not UTF-8 text") from None


def read_json(path: Path, limit: int) -> Any:
    text = read_text(path, limit)
    try:
        return json.loads(text)
    except RecursionError:
        raise Unreadable(f"{path.name} is nested too deeply") from None
    except ValueError as error:
        raise Unreadable(f"{path.name} is not valid JSON ({error})") from None


def read_history(path: Path) -> list[dict[str, str]]:
    """The rows of history.csv; every row must fit the header and have a numeric epoch."""
    try:
        rows = list(csv.DictReader(io.StringIO(read_text(path, MAX_OPTIONAL_BYTES), newline="")))
    except csv.Error as error:
        raise Unreadable(f"{path.name} is not a CSV table ({error})") from None
    for row in rows:
        if None in row or None in row.values():
            raise Unreadable(f"{path.name} has rows that do not match its header")
        try:
            float(row.get("epoch", 0))
        except ValueError:
            raise Unreadable(f"{path.name} has an epoch that is not a number") from None
    return rows


def check_model_archive(path: Path) -> None:
    """Refuse a model.keras whose members would unpack to absurd sizes, before Keras reads them."""
    folder = path.parent
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return  # not a zip at all: Keras' own error says what is wrong with it
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise BundleError.of("untrusted.model_file_refused_holds", folder=folder, n_members=len(members))
    for member in members:
        too_big = member.filename.endswith(".json") and member.file_size > MAX_ARCHIVE_JSON_BYTES
        inflates = (member.file_size > EXPANSION_FLOOR_BYTES
                    and member.file_size > MAX_EXPANSION * max(member.compress_size, 1))
        if too_big or inflates:
            raise BundleError.of("untrusted.model_file_refused_would", folder=folder, filename=member.filename,
                                 file_size=size_words(member.file_size))
