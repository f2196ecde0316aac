"""The engine's words in the window's language (issue 22, point 3): an error raised in the real engine
process reaches the window with its message id and parameters, and the window shows the Chinese
sentence when a zh_CN translator is installed, the same English sentence as the CLI otherwise;
progress lines from the engine are translated the same way.

The translator is the window's own (resources/i18n/finetune_studio_zh_CN.qm).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest

from core import errors, events
from core.engine.requests.open_bundle import OpenBundleRequest
from gui import language
from gui.engine_messages import engine_text
from gui.errors import user_message
from gui.worker import Worker, remote

@pytest.fixture
def chinese(qapp: Any) -> Iterator[str]:
    """The window's real Chinese: the committed resources/i18n/finetune_studio_zh_CN.qm, whose context
    "EngineMessages" resources/i18n/update.py writes from core.messages (template as source, id as
    comment); the conftest removes the translators after the test."""
    assert language.install_language(language.CHINESE) == language.CHINESE
    yield language.CHINESE


def _bundle_error(folder: Path) -> errors.BundleError:
    return errors.BundleError.of("bundle.no_model_bundle_expected", folder=folder, MODEL_FILE="model.keras")


def test_an_engine_error_is_shown_in_english_without_a_translator(tmp_path: Path) -> None:
    error = _bundle_error(tmp_path)
    assert user_message(error)[0] == str(error) == f"No model bundle at '{tmp_path}' (expected a folder containing model.keras)."


def test_an_engine_error_is_shown_in_chinese_with_the_translator(chinese: str, tmp_path: Path) -> None:
    assert user_message(_bundle_error(tmp_path))[0] == f"“{tmp_path}”处没有模型包（应是一个包含 model.keras 的文件夹）。"
    diverged = errors.TrainingDivergedError.of("training.loss_exploded", loss=1234.5, reference=0.69,
                                               learning_rate=0.1)
    assert user_message(diverged)[0] == "训练已停止，因为损失暴增到 1.23e+03（起始时约为 0.69）。请降低学习率（当前为 0.1）后重试。"
    counted = errors.TooFewClassesError.of("scan.found_only_classifier_needs", n_class_names=1, root="/data")
    assert user_message(counted)[0].startswith("在“/data”中只找到 1 个类别文件夹。")
    old_style = errors.BundleError("A sentence without an id.")
    assert user_message(old_style)[0] == "A sentence without an id."  # shown as it came


def test_progress_lines_are_translated_and_fall_back_to_english(chinese: str) -> None:
    progress = events.Progress.of("decode", 3, 9, "scan.reading_images", done=3, total=9)
    assert engine_text(progress) == "正在读取图像 3/9"
    log = events.LogMessage.of("auto.chose", candidate="lite0 · svm", accuracy=0.91234, folds=10)
    assert engine_text(log) == "自动搜索：选择了 lite0 · svm：10 折交叉验证准确率 0.912"
    assert engine_text(events.Progress("scan", 0, 1, "Scanning /data")) == "Scanning /data"
    assert engine_text(events.Progress("scan", 0, 1)) == ""  # no text: the bar shows its count
    broken = events.LogMessage("Some English", message_id="scan.reading_images", params={"done": 1})
    assert engine_text(broken) == "Some English"  # a translation that cannot be filled in never hides the text


def test_an_error_from_the_real_engine_process_is_shown_in_chinese(chinese: str, qtbot: Any,
                                                                   tmp_path: Path) -> None:
    worker = Worker("test")
    with qtbot.waitSignal(worker.failed, timeout=120_000) as blocker:
        worker.start(remote(OpenBundleRequest(str(tmp_path / "nope"))))
    assert blocker.args[0].startswith(f"“{tmp_path / 'nope'}”处没有模型包"), blocker.args[0]
    qtbot.waitUntil(lambda: not worker.is_busy())
