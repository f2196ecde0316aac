"""train --distribute: real worker processes on localhost (CPU), TF_CONFIG, the chief-only bundle, a
killed worker, MirroredStrategy over two logical CPUs, mixed precision, and the streaming path."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from core import cli
from core.training.distribute import Cluster, parse_tf_config
from core.training.precision import FLOAT32, MIXED, choose_policy
from tests.conftest import write_color_dataset

ROOT = Path(__file__).resolve().parents[2]
TRAIN = ["--backbone", "mobilenet_v2_035", "--image-size", "64", "--batch-size", "8", "--lr", "0.01"]


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("localhost", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def tf_config(ports: list[int], index: int) -> str:
    return json.dumps({"cluster": {"worker": [f"localhost:{p}" for p in ports]},
                       "task": {"type": "worker", "index": index}})


def launch(args: list[str], extra_env: dict[str, str], out: Path, err: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CUDA_VISIBLE_DEVICES": "", **extra_env}
    return subprocess.Popen([sys.executable, str(ROOT / "main.py"), "train", *args], cwd=ROOT, env=env,
                            stdout=out.open("w"), stderr=err.open("w"))


@pytest.fixture(scope="module")
def colors(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_color_dataset(tmp_path_factory.mktemp("distribute") / "colors", per_class=8, size=40)


@pytest.fixture(scope="module")
def two_workers(colors: Path, tiny_weights_file: Path) -> dict:
    """One multi-worker run: worker 1 is given its own --out, so 'it wrote nothing there' is visible."""
    root = colors.parent
    ports = free_ports(2)
    common = [str(colors), *TRAIN, "--weights", str(tiny_weights_file), "--epochs", "3", "--warmup-epochs", "2",
              "--distribute", "multiworker", "--json"]
    procs = [launch([*common, "--out", str(root / f"out-{i}")], {"TF_CONFIG": tf_config(ports, i)},
                    root / f"stdout-{i}", root / f"stderr-{i}") for i in range(2)]
    codes = [p.wait(timeout=240) for p in procs]
    return {"root": root, "codes": codes, "stdout": [(root / f"stdout-{i}").read_text() for i in range(2)],
            "stderr": [(root / f"stderr-{i}").read_text() for i in range(2)]}


def test_two_workers_train_one_bundle_written_by_the_chief_alone(two_workers: dict) -> None:
    assert two_workers["codes"] == [0, 0], two_workers["stderr"]
    root = two_workers["root"]
    assert sorted(p.name for p in (root / "out-0").iterdir()) == [
        "config.json", "familiarity.npz", "history.csv", "labels.json", "metrics.json", "model.keras",
        "statistics.json"]
    assert not (root / "out-1").exists()  # the non-chief never touches its --out
    assert not [p.name for p in root.iterdir() if p.name.startswith(".")]  # no temporaries left beside
    assert two_workers["stdout"][1] == ""  # events and --json come from the chief only
    events = [json.loads(line)["event"] for line in two_workers["stdout"][0].splitlines()]
    assert events.count("EpochEnded") == 3 and events[-1] == "Summary"
    assert "waiting for the chief" in two_workers["stderr"][1]
    config = json.loads((root / "out-0" / "config.json").read_text())
    assert len(config["split"]["train"]) == 18  # the whole split, not the chief's shard of 9


def test_multiworker_model_predicts_as_well_as_a_one_process_run(two_workers: dict, colors: Path,
                                                                 tiny_weights_file: Path) -> None:
    from core.jobs.evaluate import run_evaluation

    single = two_workers["root"] / "single"
    assert cli.main(["train", str(colors), *TRAIN, "--weights", str(tiny_weights_file), "--epochs", "3",
                     "--warmup-epochs", "2", "--out", str(single)]) == 0
    accuracy = {name: run_evaluation(path, colors)["accuracy"]
                for name, path in (("multi", two_workers["root"] / "out-0"), ("single", single))}
    assert accuracy["multi"] >= 0.5 and abs(accuracy["multi"] - accuracy["single"]) <= 0.25, accuracy  # chance: 1/3


def test_a_killed_worker_ends_the_other_with_a_message_not_a_hang(colors: Path, tiny_weights_file: Path,
                                                                  tmp_path: Path) -> None:
    ports = free_ports(2)
    args = [str(colors), *TRAIN, "--weights", str(tiny_weights_file), "--epochs", "2000", "--warmup-epochs", "2000",
            "--distribute", "multiworker", "--json", "--out", str(tmp_path / "out")]
    chief, worker = (launch(args, {"TF_CONFIG": tf_config(ports, i)}, tmp_path / f"o{i}", tmp_path / f"e{i}")
                     for i in range(2))
    try:
        deadline = time.monotonic() + 120
        while "PhaseStarted" not in (tmp_path / "o0").read_text():  # both are training now
            assert chief.poll() is None and time.monotonic() < deadline, (tmp_path / "e0").read_text()
            time.sleep(0.2)
        worker.send_signal(signal.SIGKILL)
        killed = time.monotonic()
        code = chief.wait(timeout=60)
        assert time.monotonic() - killed < 30
    finally:
        for process in (chief, worker):
            if process.poll() is None:
                process.kill()
    errors = (tmp_path / "e0").read_text()
    # the watchdog's words (within ~3 s), or TensorFlow's health check put plainly when it is first
    assert code == 1 and "Traceback" not in errors, errors
    assert ("error: worker 1 (localhost:" in errors and "stopped responding" in errors) or \
        "error: another worker of the cluster stopped or became unreachable" in errors, errors
    assert not (tmp_path / "out").exists()


def test_mirrored_over_two_logical_cpus_trains(colors: Path, tiny_weights_file: Path, tmp_path: Path) -> None:
    process = launch([str(colors), *TRAIN, "--weights", str(tiny_weights_file), "--epochs", "1", "--warmup-epochs",
                      "1", "--distribute", "mirrored", "--json", "--out", str(tmp_path / "out")],
                     {"FTS_LOGICAL_CPUS": "2"}, tmp_path / "o", tmp_path / "e")
    assert process.wait(timeout=180) == 0, (tmp_path / "e").read_text()
    lines = [json.loads(line) for line in (tmp_path / "o").read_text().splitlines()]
    assert any("MirroredStrategy over 2 devices" in line.get("text", "") for line in lines)
    assert lines[-1]["event"] == "Summary" and (tmp_path / "out" / "model.keras").is_file()


def test_mirrored_without_a_gpu_is_one_line_and_exit_2(colors: Path, tmp_path: Path, capsys) -> None:
    assert cli.main(["train", str(colors), "--distribute", "mirrored", "--out", str(tmp_path / "m")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --distribute mirrored") and err.count("\n") == 1 and "GPU" in err
    assert not (tmp_path / "m").exists()


@pytest.mark.parametrize("value, words", [
    (None, "needs the TF_CONFIG environment variable"), ("{oops", "not valid JSON"),
    ('{"cluster": {"worker": ["a:1"]}, "task": {"type": "worker", "index": 3}}', "not one of the cluster's workers"),
    ('{"cluster": {"worker": ["a:1"], "ps": ["b:2"]}, "task": {"type": "worker", "index": 0}}', "jobs ps"),
])
def test_bad_tf_config_is_one_line_and_exit_2_before_tensorflow(value, words, colors, tmp_path, monkeypatch,
                                                                 capsys) -> None:
    monkeypatch.delenv("TF_CONFIG", raising=False)
    if value is not None:
        monkeypatch.setenv("TF_CONFIG", value)
    assert cli.main(["train", str(colors), "--distribute", "multiworker", "--out", str(tmp_path / "m")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and words in err and err.count("\n") == 1


def test_tf_config_order_chief_first_and_batch_and_method_checks(colors, tmp_path, monkeypatch, capsys) -> None:
    cluster = parse_tf_config({"TF_CONFIG": json.dumps({"cluster": {"chief": ["c:1"], "worker": ["w:2", "w:3"]},
                                                        "task": {"type": "worker", "index": 1}})})
    assert cluster == Cluster(("c:1", "w:2", "w:3"), 2) and not cluster.is_chief
    monkeypatch.setenv("TF_CONFIG", tf_config([1, 2, 3], 0))
    assert cli.main(["train", str(colors), "--distribute", "multiworker", "--batch-size", "32",
                     "--out", str(tmp_path / "m")]) == 2
    assert "must divide evenly among the 3 workers" in capsys.readouterr().err
    assert cli.main(["train", str(colors), "--distribute", "multiworker", "--method", "svm", "--batch-size", "30",
                     "--out", str(tmp_path / "m")]) == 2
    assert "use --distribute none" in capsys.readouterr().err


def test_mixed_precision_only_on_tensor_core_gpus() -> None:
    assert choose_policy(True, [])[0] == FLOAT32
    assert choose_policy(True, [("A100", (8, 0)), ("H100", (9, 0))])[0] == MIXED
    assert choose_policy(True, [("V100", (7, 0))])[0] == MIXED
    policy, why = choose_policy(True, [("A100", (8, 0)), ("P100", (6, 0))])
    assert policy == FLOAT32 and "P100" in why
    assert choose_policy(True, [("unknown", None)])[0] == FLOAT32
    assert choose_policy(False, [("A100", (8, 0))]) == (FLOAT32, "mixed precision turned off (--no-mixed-precision)")


def test_mixed_model_has_a_float32_head_and_saves_as_float32() -> None:
    from core.training.model import HEAD_LAYER, build_model, keras
    from core.training.precision import float32_copy

    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy(MIXED)
    try:
        model = build_model("mobilenet_v2_035", 3, None, 32, seed=1)
    finally:
        keras.config.set_dtype_policy(previous)
    assert model.get_layer("backbone").layers[2].compute_dtype == "float16"
    assert model.get_layer(HEAD_LAYER).compute_dtype == "float32"
    pixels = np.random.default_rng(0).uniform(0, 255, (2, 32, 32, 3)).astype(np.float32)
    assert model(pixels).dtype == "float32"
    copy = float32_copy(model)
    assert {layer.compute_dtype for layer in copy.get_layer("backbone").layers} == {"float32"}
    np.testing.assert_allclose(np.asarray(copy(pixels)), np.asarray(model(pixels)), atol=2e-2)


def test_streaming_path_gives_the_same_batches_as_the_in_memory_path(tmp_path: Path) -> None:
    from core.training.pipeline import make_dataset
    from core.training.streaming import RowReader, is_file_backed

    rows = np.random.default_rng(0).integers(0, 256, (37, 8, 8, 3), dtype=np.uint8)
    np.save(tmp_path / "rows.npy", rows)
    mapped = np.load(tmp_path / "rows.npy", mmap_mode="r")
    assert is_file_backed(mapped) and not is_file_backed(mapped[1:])
    index = np.array([5, 3, 4, 36, 0, 5, 1])
    np.testing.assert_array_equal(RowReader(mapped)(index), rows[index])
    labels = np.arange(37) % 3
    streamed = make_dataset(mapped, labels, 8, shuffle=True, seed=3, epochs=(0, 2))
    in_memory = make_dataset(rows, labels, 8, shuffle=True, seed=3, epochs=(0, 2))
    pairs = list(zip(streamed.as_numpy_iterator(), in_memory.as_numpy_iterator(), strict=True))
    assert len(pairs) == 10
    for (x1, y1), (x2, y2) in pairs:
        np.testing.assert_array_equal(x1, x2)
        np.testing.assert_array_equal(y1, y2)
    from core.training.features import run_batched  # the one-time passes (feature cache, validation) too
    from core.training.model import keras

    pixels = keras.Input((8, 8, 3))
    pool = keras.Model(pixels, keras.layers.GlobalAveragePooling2D()(pixels))
    np.testing.assert_array_equal(run_batched(pool, mapped, 10), run_batched(pool, rows, 10))
