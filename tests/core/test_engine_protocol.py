"""The engine boundary as types: requests, events and errors cross the pipe as themselves (or as a
plain stand-in the window can import), the server has a job for every request, the client's
reader thread hands replies to the caller's callback, and core.jobs answers what the server asks
(the layer table knows the feature width; unknown settings are logged, not fatal).

The process tests start the real engine (core/engine/server.py) over a real pipe.
"""
from __future__ import annotations

import dataclasses
import inspect
import logging
import multiprocessing
import pickle
import threading
from pathlib import Path
from typing import Any

import pytest

from core import errors, events
from core.engine import protocol
from core.engine.protocol import EngineError, Request, portable_error
from core.engine.requests.open_bundle import OpenBundleRequest
from core.engine.requests.status import PingRequest


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


# One instance of every user-facing error, built as the code that raises it builds it.
CORE_ERRORS: list[BaseException] = [
    errors.DatasetError("The folder has one class; add another."),
    errors.FolderNotFoundError("The folder '/nope' does not exist or is not a folder."),
    errors.EmptyFolderError("No images in '/x'.", skipped=[("/x/a.txt", "not an image")]),
    errors.TooFewClassesError("Only one class."),
    errors.TooFewImagesError("Class 'a' has 1 image."),
    errors.ClassMismatchError("The validation folder has other classes."),
    errors.SettingsError("Batch size must be a whole number from 1 to 4096 (--batch-size)."),
    errors.BundleError("'/home/x/cells' exists and is not a model bundle; choose another place."),
    errors.UnknownBackboneError("resnet9000", ["resnet50", "vgg16"]),
    errors.WeightsUnavailableError("w.h5", "https://example.org/w.h5", Path("/k/models"), "no network"),
    errors.WeightsFileError("The weights file /k/w.h5 is damaged; delete it.", Path("/k/w.h5")),
    errors.WeightMappingError("12 tensors have no partner."),
    errors.TrainingDivergedError("The loss became NaN in epoch 3; lower the learning rate."),
    errors.TrainingCancelled("cancelled"),
    errors.OutputTargetError("The CSV file '/data/cells/out.csv' is inside the input folder '/data/cells'."),
    errors.ReportError("'notes.html' exists and is not an earlier report, so it will not be overwritten."),
    errors.RunError("Run 20261128-191500-ab12 has no checkpoint to continue from."),
    errors.RunNotFoundError("No run has the id 'abc'; 'python main.py runs' lists them."),
    errors.RunInUseError("Run 20261128-191500-ab12 is still running (process 4242)."),
    errors.DistributeError("--distribute multiworker needs the TF_CONFIG environment variable"),
    errors.WorkerLostError("another worker of the cluster stopped; no bundle was written."),
    errors.GroupByError("'^(slide' is not a regular expression: missing ), unterminated subpattern."),
    errors.RunStoreError("The run store /home/x/.local/share/finetune-studio/runs.sqlite cannot be written."),
    errors.WordedValueError.of("freeze.freeze_point_must_between", lowest=-154, total=154, n=200),
]


def test_every_core_error_is_covered_here() -> None:
    raised = {type(error) for error in CORE_ERRORS}
    declared = {cls for cls in _subclasses(BaseException) if cls.__module__ == "core.errors"}
    assert declared <= raised, f"add an instance of {sorted(c.__name__ for c in declared - raised)}"


@pytest.mark.parametrize("error", CORE_ERRORS, ids=lambda e: type(e).__name__)
def test_core_errors_cross_the_pipe_as_themselves(error: BaseException) -> None:
    crossed = pickle.loads(pickle.dumps(portable_error(error)))
    assert type(crossed) is type(error)
    assert str(crossed) == str(error)
    assert vars(crossed) == vars(error)  # file_name, url, skipped, ... intact


class LibraryError(RuntimeError):
    """Stands in for an error type the window cannot import (TensorFlow's, a library's)."""

    def __init__(self, code: int, text: str) -> None:
        super().__init__(text)
        self.code = code


class LibraryValueError(ValueError):
    pass


class LibraryDiskError(OSError):
    pass


def test_other_errors_cross_as_a_builtin_or_a_plain_message() -> None:
    crossed = pickle.loads(pickle.dumps(portable_error(LibraryError(3, "Graph execution error: ..."))))
    assert type(crossed) is RuntimeError and str(crossed) == "Graph execution error: ..."
    assert isinstance(pickle.loads(pickle.dumps(portable_error(LibraryValueError("bad shape")))), ValueError)
    disk = pickle.loads(pickle.dumps(portable_error(LibraryDiskError(28, "No space left on device"))))
    assert type(disk) is OSError and disk.errno == 28

    class Odd(Exception):  # not importable from anywhere: only its name and text can cross
        pass

    crossed = pickle.loads(pickle.dumps(portable_error(Odd("something odd"))))
    assert isinstance(crossed, EngineError)
    assert crossed.type_name == "Odd" and str(crossed) == "something odd"


def test_builtin_errors_keep_their_fields() -> None:
    missing = FileNotFoundError(2, "No such file or directory", "/data/cells")
    crossed = pickle.loads(pickle.dumps(portable_error(missing)))
    assert type(crossed) is FileNotFoundError and crossed.filename == "/data/cells"
    assert type(portable_error(MemoryError("OOM when allocating tensor"))) is MemoryError


def test_events_cross_as_core_dataclasses() -> None:
    samples = [events.Progress("decode", 3, 10, "Reading images"), events.PhaseStarted("warmup", 0, 2, 1e-3, 1000),
               events.BatchEnded(0, 1, 10, 0.5, 0.75),
               events.EpochEnded(0, 3, "warmup", 0.5, 0.75, 0.6, 0.7, 1e-3, 2.0, 4.0),
               events.LogMessage("Comparing methods: svm (2/3)")]
    for event in samples:
        message = pickle.loads(pickle.dumps(protocol.event(7, event)))
        assert isinstance(message, protocol.EventMessage) and message.job_id == 7
        assert message.event == event and type(message.event) is type(event)


def _request_classes() -> list[type[Request]]:
    """Requests of every core/engine/requests/<operation>.py (the server imports them all through
    their handlers); test modules' own Request subclasses do not count."""
    import core.engine.server  # noqa: F401

    return [cls for cls in _subclasses(Request) if cls.__module__.startswith("core.engine.")]


def test_the_server_has_one_job_per_request_type() -> None:
    from core.engine.server import HANDLERS

    assert set(HANDLERS) == set(_request_classes())
    names = [cls.name for cls in _request_classes()]
    assert len(set(names)) == len(names) and "job" not in names


def test_requests_are_frozen_and_picklable() -> None:
    from core.engine.requests.compare import CompareRequest
    from core.engine.requests.layer_table import LayerTableRequest
    from core.engine.requests.train import TrainRequest

    request = CompareRequest({"data_dir": "/d", "epochs": 2}, ("finetune", "svm"))
    again = pickle.loads(pickle.dumps(protocol.start(5, request)))
    assert again == ("start", 5, request) and isinstance(again, protocol.Start)
    with pytest.raises(dataclasses.FrozenInstanceError):
        request.methods = ()  # type: ignore[misc]
    assert TrainRequest.waits_on_cancel and not LayerTableRequest.waits_on_cancel


def test_the_server_calls_only_core_jobs_for_core_work() -> None:
    """A handler of the engine is a thin call into core.jobs (the CLI's door too), not into the modules
    behind it; besides, it reads the engine's own modules and the TensorFlow-free basics."""
    import ast
    import importlib

    from core import operations
    from core.engine import server, state

    modules = [server, state] + [importlib.import_module(f"{operations.HANDLERS_PACKAGE}.{stem}")
                                 for stem in operations._stems(operations.HANDLERS_PACKAGE)]
    imported = set()
    for module in modules:
        for node in ast.walk(ast.parse(inspect.getsource(module))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported |= ({f"{node.module}.{a.name}" for a in node.names} if node.module in ("core", "core.jobs")
                             else {node.module})
            elif isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
    core_modules = {name for name in imported if name.startswith("core")}
    allowed = {"core.engine", "core.operations", "core.errors", "core.methods", "core.paths", "core.logs", "core.events"}
    outside = {name for name in core_modules - allowed if not name.startswith(("core.jobs.", "core.engine."))}
    assert not outside, sorted(outside)


# -- core.jobs answers what the engine asks --------------------------------------------------------
def test_the_layer_table_reports_the_feature_width() -> None:
    from core.jobs.layer_table import feature_size, layer_table
    from core.backbones import get_backbone
    from core.training.model import build_backbone

    built = build_backbone(get_backbone("mobilenet_v2_035"), None, 64)
    table = layer_table("mobilenet_v2_035", 64)
    assert table.feature_dim == int(built.output_shape[-1])
    assert feature_size("mobilenet_v2_035", 64) == table.feature_dim  # from the disk cache now


def test_unknown_settings_read_back_from_disk_are_logged_and_ignored(caplog: pytest.LogCaptureFixture) -> None:
    from core.config import TrainConfig

    logger = logging.getLogger("finetune_studio")
    logger.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.INFO, logger="finetune_studio"):
            config = TrainConfig.from_json({"data_dir": "/d", "epochs": 3, "augment": {}, "sharpen": True}, strict=False)
    finally:
        logger.removeHandler(caplog.handler)
    assert config.epochs == 3 and config.data_dir == "/d"
    assert any("ignored: sharpen" in record.getMessage() for record in caplog.records)


def test_a_request_carries_typed_settings_and_refuses_an_unknown_field() -> None:
    from core.config import SettingsError, TrainConfig
    from core.engine.requests.lr_find import LrFindRequest
    from core.engine.requests.train import TrainRequest

    request = TrainRequest({"data_dir": "/d", "epochs": 3, "augment": {"flip": True}})
    assert isinstance(request.config, TrainConfig) and request.config.augment.flip and request.config.epochs == 3
    assert TrainRequest(request.config).config is request.config
    with pytest.raises(SettingsError, match="sharpen"):
        TrainRequest({"data_dir": "/d", "sharpen": True})  # a misspelt field fails where the request is made
    with pytest.raises(SettingsError, match="learning_rat"):
        LrFindRequest({"data_dir": "/d", "learning_rat": 0.1})


# -- the real process ------------------------------------------------------------------------------
@pytest.fixture
def client() -> Any:
    from core.engine.client import EngineClient

    engine = EngineClient()
    yield engine
    engine.shutdown()


def _ask(client: Any, request: Request) -> tuple[Any, set[str]]:
    """The final reply to ``request`` and the names of the threads its replies arrived on."""
    arrived, replies, threads = threading.Event(), [], set()

    def on_reply(reply: Any) -> None:
        threads.add(threading.current_thread().name)
        replies.append(reply)
        if not isinstance(reply, protocol.EventMessage):
            arrived.set()

    client.submit(request, on_reply)
    assert arrived.wait(120), "no answer from the engine"
    return replies[-1], threads


def test_replies_reach_the_callback_on_the_reader_thread(client: Any) -> None:
    reply, threads = _ask(client, PingRequest())
    assert isinstance(reply, protocol.Done) and reply.result == client.pid() and not reply.cancelled
    assert threads == {"engine-reader"}
    assert client.pid() != multiprocessing.current_process().pid


def test_a_core_error_in_the_engine_arrives_as_its_type(client: Any, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a model")
    reply, _ = _ask(client, OpenBundleRequest(str(tmp_path)))
    assert isinstance(reply, protocol.Failed)
    assert isinstance(reply.error, errors.BundleError), type(reply.error)
    assert str(tmp_path) in str(reply.error)


def test_a_remote_job_blocks_for_its_result_and_raises_its_error(client: Any, tmp_path: Path) -> None:
    from core.engine.client import CancelToken, RemoteJob

    seen: list[Any] = []
    assert RemoteJob(PingRequest(), client)(seen.append, CancelToken()) == client.pid()
    with pytest.raises(errors.BundleError):
        RemoteJob(OpenBundleRequest(str(tmp_path / "nothing")), client)(seen.append, CancelToken())
