"""Opening a user's image file without trusting it: the one gate before Pillow sees a path.

Why a gate: a dataset folder is written by anyone (a download, a colleague, a broken disk). A FIFO
named ``x.png`` blocks ``open()`` forever, a 30000 x 30000 PNG of one colour is 100 KB on disk and
2.7 GB in memory, and a PNG whose zlib stream ends early decodes quietly as a black image.
:func:`open_image` refuses the first two before any pixel is decoded; :func:`check_png_rows` catches
the third after decoding. Every refusal is an :class:`UnusableFileError` whose ``reason`` is the
text of the skipped list.
"""
from __future__ import annotations

import os
import re
import stat
import struct
import threading
import warnings
import zlib
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import BinaryIO, ContextManager, Iterator

from PIL import Image, UnidentifiedImageError

from core.wording import display

# 128 megapixels: the largest sensors in use (100 MP medium-format cameras, 11648 x 8736) still fit,
# while one decoded image stays under ~0.5 GB (RGB(A), plus a copy while converting). Pillow's own
# default (89 MP, refused at twice that) would reject real camera files; the 300 MP used before let
# eight decoding threads ask for several gigabytes at once. Pillow's check stays on as a backstop
# for any other caller (it refuses at twice this); its warning is silenced because open_image
# refuses those files itself, with their size.
MAX_PIXELS = 128 * 2**20
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)

# Decoding threads each hold one full-resolution image; above this size only one decodes at a time,
# so the peak stays one big image plus a few small ones, whatever the thread count.
LARGE_DECODE_PIXELS = 16 * 2**20
_large_decode = threading.Lock()

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # colour type -> samples per pixel
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))


class UnusableFileError(ValueError):
    """A file that is refused before or instead of decoding; ``reason`` is the skipped-list text."""

    def __init__(self, reason: str, path: str | os.PathLike | None = None) -> None:
        super().__init__(f"{reason}: '{shown(path)}'" if path is not None else reason)
        self.reason = reason
        self.path = path

    def __reduce__(self):  # keep ``reason`` when the error crosses a process boundary
        return type(self), (self.reason, self.path)


def shown(text: str | os.PathLike | None) -> str:
    """``text`` safe to print or encode as UTF-8 on one line (core.wording.display: bytes of a
    non-UTF-8 name become ``\\xNN``, a newline ``\\n``)."""
    return display(text)


def too_large_reason(width: int, height: int) -> str:
    return (f"too large: {width} x {height} pixels ({width * height / 1e6:.0f} megapixels; "
            f"the limit is {MAX_PIXELS / 1e6:.0f})")


def special_file_reason(mode: int) -> str:
    """Why a path that is not a regular file is never opened (a FIFO or a device can block or act)."""
    if stat.S_ISDIR(mode):
        return "a folder, not an image file"
    kind = ("a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a file")
    return f"not a regular file ({kind})"


def not_an_image_reason(head: bytes) -> str:
    """Say what a file that no image decoder recognised probably is (from its first bytes)."""
    if head and all(byte >= 0x20 or byte in b"\t\n\r\f" for byte in head):
        start = head.lstrip().lower()
        if start.startswith((b"<!doctype html", b"<html")):
            return "not an image (a web page saved with an image name)"
        return "not an image (a text file)"
    return "not an image (not in any known image format)"


@contextmanager
def open_image(path: str | os.PathLike) -> Iterator[tuple[Image.Image, BinaryIO]]:
    """Open ``path`` as an image, refusing special files, empty files and oversized images.

    The file type is checked with ``stat`` before anything is opened (opening a device can have side
    effects), then opened non-blocking and checked again on the descriptor, so a file swapped for a
    FIFO in between cannot hang the caller. Only the header is parsed here; nothing is decoded.
    """
    status = os.stat(path)
    if not stat.S_ISREG(status.st_mode):
        raise UnusableFileError(special_file_reason(status.st_mode), path)
    if status.st_size == 0:
        raise UnusableFileError("empty file", path)
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with open(descriptor, "rb") as stream:
        mode = os.fstat(stream.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise UnusableFileError(special_file_reason(mode), path)
        try:
            image = Image.open(stream)
        except UnidentifiedImageError:
            stream.seek(0)
            raise UnusableFileError(not_an_image_reason(stream.read(512)), path) from None
        except Image.DecompressionBombError as error:
            raise UnusableFileError(_bomb_reason(stream, error), path) from None
        with image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise UnusableFileError(too_large_reason(width, height), path)
            yield image, stream


def decoding_slot(image: Image.Image) -> ContextManager:
    """Hold this while decoding ``image`` (after ``draft``): large images decode one at a time."""
    return _large_decode if image.width * image.height > LARGE_DECODE_PIXELS else nullcontext()


def _bomb_reason(stream: BinaryIO, error: Exception) -> str:
    """Pillow refused the header before we saw the size: read width and height from it directly."""
    size = _header_size(stream)
    if size:
        return too_large_reason(*size)
    pixels = re.search(r"\((\d+) pixels\)", str(error))
    return (f"too large: {int(pixels.group(1)) / 1e6:.0f} megapixels (the limit is {MAX_PIXELS / 1e6:.0f})"
            if pixels else "too large to decode safely")


def _header_size(stream: BinaryIO) -> tuple[int, int] | None:
    """Width and height of the image in ``stream`` through Pillow's format registry, without its
    size refusal (only the header is parsed); None when no plugin reads it that way."""
    stream.seek(0)
    prefix = stream.read(16)
    for format_id in list(Image.ID):
        factory, accept = Image.OPEN[format_id]
        try:
            if accept and not accept(prefix):
                continue
            stream.seek(0)
            with factory(stream, "") as image:
                return image.size
        except Exception:  # noqa: BLE001 - any failure just means "not this plugin"
            continue
    return None


def png_scanline_bytes(width: int, height: int, bits_per_pixel: int, interlace: bool) -> int:
    """Bytes the inflated IDAT stream of a complete PNG holds: every scanline plus its filter byte."""
    def plane(w: int, h: int) -> int:
        return h * (1 + (w * bits_per_pixel + 7) // 8) if w > 0 and h > 0 else 0
    if not interlace:
        return plane(width, height)
    return sum(plane((width - x0 + dx - 1) // dx, (height - y0 + dy - 1) // dy) for x0, y0, dx, dy in _ADAM7)


def check_png_rows(stream: BinaryIO, image: Image.Image | None = None) -> None:
    """Raise OSError if the PNG in ``stream`` holds fewer rows than its header claims.

    Why: Pillow's PNG decoder (ZipDecode.c) ends the image where the zlib stream ends, with the
    "image and data should end simultaneously" check commented out, and ``ImageFile.load`` only
    raises when the *file* runs out; so a complete zlib stream of 10 of 2000 rows decodes without
    error as a black image, and trains as one. When the decoded ``image`` is given and its last
    scanline holds a non-zero byte, the decoder wrote it (Pillow's image memory starts zeroed), so
    the data was complete; otherwise the IDAT chunks are inflated once more, counting bytes.
    """
    stream.seek(0)
    if stream.read(8) != _PNG_SIGNATURE:
        return
    head = stream.read(8 + 13)
    if len(head) < 21 or head[4:8] != b"IHDR":
        return  # Pillow read a header we cannot; trust its decode
    width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", head[8:21])
    if image is not None and _last_scanline_written(image, bool(interlace)):
        return
    expected = png_scanline_bytes(width, height, _PNG_CHANNELS.get(color, 4) * depth, bool(interlace))
    stream.seek(4, os.SEEK_CUR)  # the header's CRC
    inflater, produced, in_data = zlib.decompressobj(), 0, False
    try:
        while produced < expected and not inflater.eof:
            chunk = stream.read(8)
            if len(chunk) < 8:
                break
            length, kind = struct.unpack(">I4s", chunk)
            if kind != b"IDAT":
                if in_data:
                    break  # the image data is over
                stream.seek(length + 4, os.SEEK_CUR)
                continue
            in_data = True
            data = stream.read(length)
            stream.seek(4, os.SEEK_CUR)
            while data and produced < expected and not inflater.eof:
                produced += len(inflater.decompress(data, 1 << 20))  # bounded output: memory stays small
                data = inflater.unconsumed_tail
    except zlib.error as error:
        raise OSError(f"image file is truncated or corrupt ({error})") from None
    if produced < expected:
        raise OSError(f"image file is truncated: its data ends after {produced} of {expected} bytes")


def _last_scanline_written(image: Image.Image, interlace: bool) -> bool:
    """Whether the row decoded last (the bottom row; with Adam7, the bottom odd row of pass 7,
    which spans the whole width) holds any non-zero byte. Black there proves nothing."""
    width, height = image.size
    row = height - 1 if not interlace or (height - 1) % 2 else height - 2
    if row < 0 or (interlace and row < 1):
        return False
    return bool(image.crop((0, row, width, row + 1)).tobytes().strip(b"\0"))


def is_inside(path: str, folder: str) -> bool:
    """Whether the real path ``path`` is ``folder`` or below it (both already resolved)."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def real_path(path: Path) -> str:
    """The resolved path of a link's target; OSError if the link is broken or loops."""
    return os.path.realpath(path, strict=True)


def entry_is_dir(entry: os.DirEntry) -> bool:
    """Whether a folder entry is (or links to) a folder; a broken link or a loop of links is not
    (``is_dir`` follows links, and a loop raises ELOOP there). Both folder walkers use it."""
    try:
        return entry.is_dir()
    except OSError:
        return False
