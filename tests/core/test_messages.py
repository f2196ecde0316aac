"""The engine's message catalog (core/messages/): every id is used, every raise or event site gives
exactly its template's parameters, no user error is raised with a bare sentence (so a new one gets
an id), ids and parameters survive the trip to the window, and the Chinese covers every template.

The site checks read core's source (AST): a misspelt parameter would otherwise surface only as a
KeyError when that one error is raised, in front of a user.
"""
from __future__ import annotations

import ast
import json
import pickle
from pathlib import Path

import pytest

from core import errors, events
from core.engine.protocol import failed, portable_error
from core.messages import MESSAGES, Worded, fields, message, render

CORE = Path(__file__).resolve().parents[2] / "core"
WORDED = {name for name, value in vars(errors).items() if isinstance(value, type) and issubclass(value, Worded)}


def _core_trees() -> list[tuple[Path, ast.AST]]:
    return [(path, ast.parse(path.read_text(), str(path))) for path in sorted(CORE.rglob("*.py"))
            if "messages" not in path.relative_to(CORE).parts]


TREES = _core_trees()


def _ids_in(node: ast.AST) -> list[str]:
    """The catalog ids written in ``node``: a string constant, or either branch of ``a if c else b``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in MESSAGES:
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _ids_in(node.body) + _ids_in(node.orelse)
    return []


def _sites() -> list[tuple[str, str, set[str], bool]]:
    """(where, id, keyword names, has ``**``) for every call that passes an id positionally."""
    sites = []
    for path, tree in TREES:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            names = {k.arg for k in node.keywords if k.arg}
            spread = any(k.arg is None for k in node.keywords) or getattr(node.func, "attr", "") == "worded"
            for arg in node.args:
                for message_id in _ids_in(arg):
                    sites.append((f"{path.relative_to(CORE.parent)}:{node.lineno}", message_id, names, spread))
    return sites


SITES = _sites()


def test_every_catalog_id_is_used_in_core() -> None:
    used = {node.value for _, tree in TREES for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    assert not set(MESSAGES) - used, "ids no code uses"
    assert len(SITES) > 150  # the sites were found (the test reads what it means to)


@pytest.mark.parametrize("site", SITES, ids=[f"{where}:{mid}" for where, mid, _, _ in SITES])
def test_each_site_gives_exactly_its_templates_parameters(site: tuple[str, str, set[str], bool]) -> None:
    where, message_id, names, spread = site
    wanted = fields(MESSAGES[message_id])
    if spread:  # run_batched's step ids (done, total are added there) and helpers that pass a dict on
        assert names <= wanted, where
    else:
        assert names == wanted, where


def test_every_template_formats_with_numbers_and_text() -> None:
    for message_id, template in MESSAGES.items():
        numbers = message(message_id, **{name: 3 for name in fields(template)})
        assert numbers and not any("{" + name in numbers for name in fields(template)), message_id
        if ":" not in template:  # no format spec: text fills in too
            assert message(message_id, **{name: "x" for name in fields(template)})


def test_plural_spec_writes_the_english_count() -> None:
    assert render("{n:plural:file}", {"n": 1}) == "1 file"
    assert render("{n:plural:class:classes} and {m:plural:image}", {"n": 3, "m": 2}) == "3 classes and 2 images"
    assert render("{n} 个文件", {"n": 3}) == "3 个文件"  # a translation may drop the spec


def test_no_user_error_is_made_from_a_bare_sentence() -> None:
    """A user error written as ``SomeError("...")`` or ``SomeError(f"...")`` has no id, so the window
    could only show it in English: every one goes through ``SomeError.of("id", ...)``."""
    bare = []
    for path, tree in TREES:
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in WORDED
                    and node.args and isinstance(node.args[0], (ast.Constant, ast.JoinedStr, ast.BinOp))):
                bare.append(f"{path.relative_to(CORE.parent)}:{node.lineno} {node.func.id}")
    assert not bare, bare


def test_the_english_text_is_the_sentence_the_cli_printed(tmp_path: Path) -> None:
    from core.data.scan import check_trainable, scan_folder

    with pytest.raises(errors.FolderNotFoundError) as caught:
        scan_folder(tmp_path / "nope")
    assert str(caught.value) == f"The folder '{tmp_path / 'nope'}' does not exist or is not a folder."
    assert caught.value.message_id == "scan.folder_does_not_exist"
    assert caught.value.params == {"root": str(tmp_path / "nope")}
    (tmp_path / "only" / "a").mkdir(parents=True)
    from PIL import Image

    Image.new("RGB", (8, 8)).save(tmp_path / "only" / "a" / "x.png")
    with pytest.raises(errors.TooFewClassesError) as caught:
        check_trainable(scan_folder(tmp_path / "only"))
    assert str(caught.value).startswith("Found only 1 class folder in ")
    assert caught.value.params["n_class_names"] == 1


ROUND_TRIP = [
    errors.EmptyFolderError.of("scan.contains_no_class_folders", ("skipped.txt",), root="/data/cells"),
    errors.TooFewImagesError.of("scan.every_class_needs_least", min_per_class=2, small="a, b", more=""),
    errors.BundleError.of("bundle.bundle_damaged_3", folder="/m", error=ValueError("bad json")),
    errors.SettingsError.of("config.must_got", name="Batch size", describe="at least 1", value=0),
    errors.UnknownBackboneError("resnet9000", ["resnet50", "vgg16"]),
    errors.WeightsUnavailableError("w.h5", "https://example.org/w.h5", Path("/k/models"), "no network"),
    errors.WeightsFileError.of("weights.bad_file", Path("/k/w.h5"), path=Path("/k/w.h5"), reason="damaged"),
    errors.RunNotFoundError.of("store.there_no_run", run_id="abc"),
    errors.RunStoreError.of("store.folder_run_store_cannot", path="/x", reason="read-only"),
    errors.TrainingDivergedError.of("training.loss_not_finite", learning_rate=0.5),
]


@pytest.mark.parametrize("error", ROUND_TRIP, ids=lambda e: type(e).__name__)
def test_id_and_params_cross_the_pipe(error: BaseException) -> None:
    again = pickle.loads(pickle.dumps(failed(7, error))).error  # as the engine's reply carries it
    assert type(again) is type(error) and str(again) == str(error)
    assert again.message_id == error.message_id != ""
    assert again.params == error.params and pickle.loads(pickle.dumps(again.params)) == again.params
    assert all(value is None or isinstance(value, (bool, int, float, str)) for value in again.params.values())
    assert render(MESSAGES[again.message_id], again.params) == str(error)  # what the window re-renders


def test_an_error_without_an_id_still_crosses() -> None:
    plain = portable_error(errors.BundleError("an old-style sentence"))
    assert plain.message_id == "" and str(pickle.loads(pickle.dumps(plain))) == "an old-style sentence"


def test_events_carry_id_and_params_beside_the_english_text() -> None:
    progress = events.Progress.of("decode", 3, 9, "scan.reading_images", done=3, total=9)
    log = events.LogMessage.of("image_cache.could_not_save_decoded", "warning", error=OSError("disk full"))
    assert progress.message == "Reading images 3/9" and progress.params == {"done": 3, "total": 9}
    assert log.text == "Could not save decoded images to the cache (disk full); continuing without it."
    assert log.level == "warning" and log.params == {"error": "disk full"}
    for event in (progress, log):
        again = pickle.loads(pickle.dumps(event))
        assert again == event and again.message_id


def test_the_cli_json_lines_are_unchanged() -> None:
    import io

    from core.cli._shared import JsonProgress

    out = io.StringIO()
    JsonProgress(out)(events.LogMessage.of("classic.c_given", method="SVM", C=1.0))
    assert json.loads(out.getvalue()) == {"event": "LogMessage", "text": "SVM: C = 1, given", "level": "info"}
