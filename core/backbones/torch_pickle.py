"""Read a legacy (pre-1.6, non-zip) PyTorch ``.pth`` state dict without PyTorch.

Why: the only ImageNet-pretrained weights available offline ship as a PyTorch pickle, and
installing PyTorch (~1 GB) just to read 19 MB of floats is out of proportion. A pickle can run
arbitrary code when loaded, so the unpickler here resolves only the handful of globals a tensor
file legitimately references and refuses everything else with :class:`UnsafePickleError`.

Legacy layout, one after the other in the same stream:
magic-number pickle, protocol pickle, sys-info pickle, the main pickle (tensors refer to
storages through ``persistent_load`` ids), a pickle listing the storage keys, then for each key
in that order an 8-byte little-endian element count followed by the raw storage bytes.
"""
from __future__ import annotations

import collections
import pickle
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

__all__ = ["UnsafePickleError", "TorchFileError", "load_torch_state_dict"]

_LEGACY_MAGIC = 0x1950A86A20F9469CFC6C
_PROTOCOL_VERSION = 1001

# torch storage class name -> numpy dtype (little-endian). BFloat16 has no numpy dtype: it is
# read as uint16 and widened to float32 afterwards.
_STORAGE_DTYPES: dict[str, np.dtype] = {
    "DoubleStorage": np.dtype("<f8"),
    "FloatStorage": np.dtype("<f4"),
    "HalfStorage": np.dtype("<f2"),
    "BFloat16Storage": np.dtype("<u2"),
    "LongStorage": np.dtype("<i8"),
    "IntStorage": np.dtype("<i4"),
    "ShortStorage": np.dtype("<i2"),
    "CharStorage": np.dtype("i1"),
    "ByteStorage": np.dtype("u1"),
    "BoolStorage": np.dtype("?"),
}


class UnsafePickleError(pickle.UnpicklingError):
    """The file references a Python global that a plain tensor file never needs."""


class TorchFileError(ValueError):
    """The file is not a legacy PyTorch tensor file this reader understands."""


@dataclass(frozen=True)
class _StorageType:
    """Stand-in for ``torch.FloatStorage`` & co.: only its dtype matters here."""

    name: str

    @property
    def dtype(self) -> np.dtype:
        return _STORAGE_DTYPES[self.name]


@dataclass(frozen=True)
class _StorageRef:
    """A storage named by the main pickle; its bytes come later in the stream."""

    key: str
    storage_type: _StorageType
    numel: int
    view_offset: int = 0  # very old files may reference a view into a root storage


@dataclass(frozen=True)
class _LazyTensor:
    """What ``_rebuild_tensor_v2`` returns until the storage bytes have been read."""

    storage: _StorageRef
    offset: int
    size: tuple[int, ...]
    stride: tuple[int, ...]


def _rebuild_tensor_v2(storage: _StorageRef, storage_offset: int, size: tuple, stride: tuple,
                       requires_grad: bool = False, backward_hooks: Any = None,
                       metadata: Any = None) -> _LazyTensor:
    return _LazyTensor(storage, int(storage_offset), tuple(int(s) for s in size),
                       tuple(int(s) for s in stride))


def _rebuild_parameter(data: _LazyTensor, requires_grad: bool = False,
                       backward_hooks: Any = None) -> _LazyTensor:
    return data


def _allowed_global(module: str, name: str) -> Any:
    if module == "collections" and name == "OrderedDict":
        return collections.OrderedDict
    if module == "torch._utils" and name == "_rebuild_tensor_v2":
        return _rebuild_tensor_v2
    if module == "torch._utils" and name == "_rebuild_parameter":
        return _rebuild_parameter
    if module == "torch" and name in _STORAGE_DTYPES:
        return _StorageType(name)
    return None


class _RestrictedUnpickler(pickle.Unpickler):
    """Resolves only tensor-file globals; storages become :class:`_StorageRef` placeholders."""

    def find_class(self, module: str, name: str) -> Any:
        found = _allowed_global(module, name)
        if found is None:
            raise UnsafePickleError(
                f"refusing to load global '{module}.{name}': a PyTorch weight file should only "
                "reference tensors, storages and OrderedDict, so this file may be malicious"
            )
        return found

    def persistent_load(self, pid: Any) -> _StorageRef:
        # Legacy id: ("storage", storage_type, key, location, numel, view_metadata)
        if not (isinstance(pid, tuple) and len(pid) == 6 and pid[0] == "storage"):
            raise TorchFileError(f"unsupported persistent id in tensor file: {pid!r}")
        _, storage_type, key, _location, numel, view_metadata = pid
        if not isinstance(storage_type, _StorageType):
            raise TorchFileError(f"unsupported storage type: {storage_type!r}")
        offset = 0
        if view_metadata is not None:  # (view_key, offset, view_size): a slice of a root storage
            offset = int(view_metadata[1])
        return _StorageRef(str(key), storage_type, int(numel), offset)


def _load_restricted(f: BinaryIO) -> Any:
    return _RestrictedUnpickler(f).load()


def _read_storages(f: BinaryIO, keys: list[str], refs: dict[str, _StorageRef]) -> dict[str, np.ndarray]:
    storages: dict[str, np.ndarray] = {}
    for key in keys:
        if key not in refs:
            raise TorchFileError(f"storage {key!r} listed but never referenced")
        dtype = refs[key].storage_type.dtype
        header = f.read(8)
        if len(header) != 8:
            raise TorchFileError("file truncated in the storage section")
        numel = int.from_bytes(header, "little", signed=True)
        raw = f.read(numel * dtype.itemsize)
        if len(raw) != numel * dtype.itemsize:
            raise TorchFileError(f"file truncated while reading storage {key!r}")
        storages[key] = np.frombuffer(raw, dtype=dtype)
    return storages


def _materialise(t: _LazyTensor, storages: dict[str, np.ndarray]) -> np.ndarray:
    flat = storages[t.storage.key][t.storage.view_offset + t.offset:]
    if t.size:
        extent = 1 + sum((n - 1) * s for n, s in zip(t.size, t.stride) if n > 0)
        if any(n == 0 for n in t.size):
            extent = 0
        if extent > flat.size:
            raise TorchFileError("tensor extends past the end of its storage")
    elif flat.size < 1:
        raise TorchFileError("scalar tensor with empty storage")
    item = flat.dtype.itemsize
    view = np.lib.stride_tricks.as_strided(
        flat, shape=t.size, strides=tuple(s * item for s in t.stride), writeable=False)
    out = np.array(view, copy=True, order="C")
    if t.storage.storage_type.name == "BFloat16Storage":
        out = (out.astype(np.uint32) << 16).view(np.float32)
    return out


def _collect_refs(obj: Any, refs: dict[str, _StorageRef]) -> None:
    if isinstance(obj, _LazyTensor):
        refs.setdefault(obj.storage.key, obj.storage)
    elif isinstance(obj, dict):
        for v in obj.values():
            _collect_refs(v, refs)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            _collect_refs(v, refs)


def load_torch_state_dict(path: str | Path) -> dict[str, np.ndarray]:
    """Load a legacy PyTorch state dict as an ordered ``name -> numpy array`` mapping.

    Tensors keep their logical shape (storage offset and strides are honoured, so channels-last
    or sliced tensors come out right) and are returned as contiguous, writable copies.
    Raises :class:`UnsafePickleError` if the file references anything but tensor machinery and
    :class:`TorchFileError` for zip-format or otherwise unsupported files.
    """
    path = Path(path)
    if zipfile.is_zipfile(path):
        raise TorchFileError(f"{path.name} uses the zip checkpoint format (PyTorch >= 1.6); "
                             "only the legacy format is supported")
    with path.open("rb") as f:
        try:
            magic = _load_restricted(f)
            protocol = _load_restricted(f)
            sys_info = _load_restricted(f)
        except UnsafePickleError:
            raise
        except Exception as exc:  # a random file fails here: say what we expected
            raise TorchFileError(f"{path.name} is not a legacy PyTorch file: {exc}") from exc
        if magic != _LEGACY_MAGIC or protocol != _PROTOCOL_VERSION:
            raise TorchFileError(f"{path.name} is not a legacy PyTorch file (bad magic/protocol)")
        if isinstance(sys_info, dict) and not sys_info.get("little_endian", True):
            raise TorchFileError("big-endian PyTorch files are not supported")
        result = _load_restricted(f)
        keys = _load_restricted(f)
        refs: dict[str, _StorageRef] = {}
        _collect_refs(result, refs)
        storages = _read_storages(f, [str(k) for k in keys], refs)

    if isinstance(result, dict) and isinstance(result.get("state_dict"), dict):
        result = result["state_dict"]  # training checkpoints wrap the weights
    if not isinstance(result, dict):
        raise TorchFileError(f"{path.name} does not contain a state dict")
    state: dict[str, np.ndarray] = collections.OrderedDict()
    for name, value in result.items():
        if isinstance(value, _LazyTensor):
            state[str(name)] = _materialise(value, storages)
    return state
