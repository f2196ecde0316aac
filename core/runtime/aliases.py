"""Which converted model a set of files makes, remembered, so a warm job need not load Keras at all.

Why: a converted model's key (core/runtime/store.py) is a hash of the *loaded* Keras model's
structure and weights. Classifying a folder with a bundle whose converted model is cached and
verified still paid for loading model.keras into Keras (1.3-2.6 s of the ~6 s that 1,000 images
take with LiteRT) only to compute that key. A bundle's files determine the model exactly, so the
first job that loads them remembers ``hash of the files -> key``; later jobs read the files' hash
(~30 ms for Lite0's 14 MB), find the key, and run the converted model if, and only if, its verdict
says it passed its check against Keras. The guarantee is unchanged: nothing is run that was not
checked; a file changed by one byte is a new fingerprint, so the Keras model is loaded and the key
computed again.

Layout: ``runtime/sources/<fingerprint>.json`` = ``{"key": ..., "fmt": ..., **facts}`` under the
cache folder (safe to delete: the next job loads Keras once and writes it again). TensorFlow-free:
the library versions come from the installed packages' metadata.
"""
from __future__ import annotations

import hashlib
import json
from importlib import metadata
from pathlib import Path
from typing import Any, Iterable

from core.files import write_file_atomic
from core.paths import user_cache_dir

SCHEMA = 1  # bump when what a fingerprint stands for changes (e.g. how the answering model is built)
_PACKAGES = {"tflite": ("tensorflow", "keras", "ai-edge-litert"),
             "onnx": ("tensorflow", "keras", "onnxruntime", "tf2onnx")}
CHUNK = 1 << 20


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "-"


def files_digest(files: Iterable[Path]) -> str:
    """A hash of ``files``' names and bytes (the costly part: read once per job)."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(f"{Path(path).name}\n".encode())
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(CHUNK), b""):
                digest.update(block)
    return digest.hexdigest()


def fingerprint(files_hash: str, what: str, fmt: str) -> str:
    """``files_hash`` (:func:`files_digest`) with the format, the libraries' versions and ``what``
    (how the model is made from the files: e.g. "with the embedding of layer avg_pool")."""
    digest = hashlib.sha256(f"{SCHEMA}\n{fmt}\n{what}\n{files_hash}\n".encode())
    for package in _PACKAGES.get(fmt, ()):
        digest.update(f"{package} {_version(package)}\n".encode())
    return digest.hexdigest()[:32]


def _path(source: str, root: Path | None) -> Path:
    return (root or user_cache_dir() / "runtime") / "sources" / f"{source}.json"


def remember(source: str, key: str, fmt: str, root: Path | None = None, **facts: Any) -> None:
    """Note that the files of ``source`` make the model of ``key`` (``facts``: what a job needs to
    know of the model without loading it, e.g. its input and output shapes)."""
    path = _path(source, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_file_atomic(path, json.dumps({"key": key, "fmt": fmt, **facts}, default=list), fsync=False)


def recall(source: str, fmt: str, root: Path | None = None) -> dict[str, Any] | None:
    """What :func:`remember` noted for ``source`` in ``fmt``, or None (never noted, or damaged)."""
    try:
        noted = json.loads(_path(source, root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(noted, dict) or noted.get("fmt") != fmt or not isinstance(noted.get("key"), str):
        return None
    return noted
