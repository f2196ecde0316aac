"""Auto in the window: the default method, the other methods one click away, the fields it chooses
marked, a live leaderboard (rows replaced by name), the chosen settings in the fields at the end,
and an event loop that never stalls through the search. The real engine, a tiny budget."""
from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any

import pytest
from PySide6.QtCore import Qt

from gui.widgets.auto_leaderboard import AutoLeaderboard
from gui.widgets.method_choice import MethodChoice
from tests.conftest import write_color_dataset
from tests.gui.test_flow import TINY, choose_tiny_setup

BUDGET_MIN = 0.2


def _row(name: str, accuracy: float | None, folds: int, status: str = "scored") -> Any:
    return SimpleNamespace(name=name, settings={"method": "finetune", "layer": 10, "learning_rate": 1e-3},
                           cv_accuracy=accuracy, cv_low=None if accuracy is None else accuracy - 0.1,
                           cv_high=None if accuracy is None else min(1.0, accuracy + 0.1), seconds=3.0,
                           status=status, folds=folds)


def test_auto_is_the_default_and_the_others_are_one_click_away(qtbot: Any) -> None:
    widget = MethodChoice()
    qtbot.addWidget(widget)
    widget.show()
    assert widget.method() == "auto" and widget.combo.currentText() == "Auto (recommended)"
    assert widget.budget.isVisible() and widget.budget.value() == 5.0 and widget.budget_s() == 300.0
    assert [widget.combo.itemData(i) for i in range(widget.combo.count())] == ["auto", "finetune", "svm", "logreg"]
    widget.set_method("svm")
    assert not widget.budget.isVisible()


def test_the_window_opens_on_auto_with_its_fields_marked_and_fits_1280x800(qtbot: Any, tmp_path: Any,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QWidget

    from tests.gui.test_laptop_window import _fully_visible, _make_window, _settle

    win = _make_window(qtbot, monkeypatch, tmp_path, (1280, 800))
    try:
        _settle(qtbot)
        m, t = win.method, win.training
        assert m.method() == "auto" and win.train_config_kwargs()["method"] == "auto"
        assert not t.epochs.isEnabled() and not t.learning_rate.isEnabled() and not win.freeze.slider.isEnabled()
        assert "Chosen by Auto" in t.epochs.toolTip() and "Chosen by Auto" in win.freeze.slider.toolTip()
        assert not win.findChild(QWidget, "topScroll").horizontalScrollBar().isVisible()
        for widget in (m.combo, m.budget, m.compare_button, t.train_button):
            assert _fully_visible(widget, win), widget.objectName()
        m.set_method("finetune")  # one click away: its fields come back, with their own tooltips
        assert t.epochs.isEnabled() and win.freeze.slider.isEnabled() and "Chosen by Auto" not in t.epochs.toolTip()
    finally:
        qtbot.waitUntil(win.is_idle, timeout=60_000)
        win.close()
        win.deleteLater()


def test_a_candidate_sent_again_replaces_its_row_and_the_best_goes_first(qtbot: Any) -> None:
    board = AutoLeaderboard()
    qtbot.addWidget(board)
    board.add(_row("a", 0.7, 1))
    board.add(_row("b", 0.8, 10))
    board.add(_row("a", 0.9, 3))  # the same fine-tuning candidate after its third fold
    proxy = board.proxy
    assert proxy.rowCount() == 2
    assert [proxy.index(r, 0).data() for r in range(2)] == ["a", "b"]
    assert proxy.index(0, 3).data() == "3" and proxy.index(0, 2).data() == "90.0 % (80-100 %)"


def test_the_chinese_leaderboard_shows_the_engines_words_in_chinese(qtbot: Any) -> None:
    """The rows the search itself sends (tests/core/test_auto_words.py: fine-tuning skipped for lack of
    time), across the pipe as the engine sends them, and a row from an older engine (English only):
    names, statuses and the final note in Chinese, the numbers kept; Auto's progress lines name the
    candidate in Chinese too."""
    import pickle

    from core.events import CandidateFinished, LogMessage
    from gui import language
    from gui.engine_messages import engine_text
    from tests.core.test_auto_words import skipped_rows

    english = AutoLeaderboard()  # the English window: the engine's own words, as the CLI prints them
    qtbot.addWidget(english)
    english.add(skipped_rows(12.0)[0])
    assert [english.model.index(0, c).data() for c in (0, 5)] == ["lite0: fine-tune from layer 10",
                                                                   "skipped (needs ~12 s per fold)"]
    assert language.install_language(language.CHINESE) == language.CHINESE
    board = AutoLeaderboard()
    qtbot.addWidget(board)
    sent = [pickle.loads(pickle.dumps(row)) for row in skipped_rows(12.0)]
    for row in sent:
        board.add(row)
    old = CandidateFinished("lite0: embeddings + linear SVM on layer 139 (C=0.1)", {"method": "svm", "layer": 139,
                            "c": 0.1}, None, None, None, 0.0, "skipped (out of memory even with batch size 4)")
    board.add(old)
    shown = {board.model.index(r, 0).data(): board.model.index(r, 5).data() for r in range(board.model.rowCount())}
    assert shown == {"lite0：从第 10 层起微调": "已跳过（每折约需 12 秒）",
                     "lite0：从第 10 层起微调，含数据增强": "已跳过（每折约需 53 秒）",
                     "lite0：第 139 层的嵌入特征 + 线性 SVM（C=0.1）": "已跳过（即使批大小为 4 仍内存不足）"}
    board.finish({"name": sent[0].name, "fold_scheme": "5-fold x 2 repeated stratified, grouped",
                  "refit": "all training images"}, cancelled=False)
    assert board.note.text() == ("自动搜索选择了 lite0：从第 10 层起微调（5 折 × 2 次重复分层，按分组划分）；其设置已填入各字段。"
                                 "最终模型：用全部训练图像训练。")
    skipped = LogMessage.of("auto.candidate_skipped", "warning", candidate=sent[1].name,
                            reason="out of memory even with batch size 4")
    assert engine_text(skipped) == "自动搜索：已跳过 lite0：从第 10 层起微调，含数据增强：即使批大小为 4 仍内存不足"


def test_auto_in_the_window_fills_the_board_live_and_the_fields_at_the_end(qtbot: Any, window: Any, tmp_path: Any,
                                                                           tiny_weights_file: Any) -> None:
    data = write_color_dataset(tmp_path / "colors", per_class=10, seed=4)
    choose_tiny_setup(qtbot, window, data, tiny_weights_file, epochs=2, warmup=1)
    window.method.set_method("auto")
    window.method.budget.setValue(BUDGET_MIN)
    assert not window.freeze.slider.isEnabled() and not window.training.epochs.isEnabled()
    assert "Auto" in window.training.epochs.toolTip()
    arrived: list[Any] = []
    board = window.auto_leaderboard
    window.train_worker.jobEvent.connect(lambda e: arrived.append((e, board.model.rowCount())))
    clicked, last_event = time.perf_counter(), [0.0]
    window.train_worker.progress.connect(lambda _e: last_event.__setitem__(0, time.perf_counter()))
    window.train_worker.jobEvent.connect(lambda _e: last_event.__setitem__(0, time.perf_counter()))
    with qtbot.waitSignal(window.trainingFinished, timeout=120_000) as blocker:
        qtbot.mouseClick(window.training.train_button, Qt.MouseButton.LeftButton)
        assert window.result_tabs.currentWidget() is board
    result, cancelled = blocker.args
    assert result is not None and not cancelled and result.auto
    rows = [(e, n) for e, n in arrived if type(e).__name__ == "CandidateFinished"]
    assert len(rows) >= 8 and rows[0][1] == 1  # the first row was on the board as soon as it came
    assert board.model.rowCount() == len({e.name for e, _ in rows})  # one row per candidate
    chosen = result.auto["config"]
    assert window.method.method() == chosen["method"] and window.backbone.current_id() == TINY
    qtbot.waitUntil(lambda: window.freeze.freeze_point() == chosen["freeze"], timeout=10_000)
    if chosen["method"] == "finetune":
        assert window.training.learning_rate.value() == pytest.approx(chosen["learning_rate"])
        assert window.training.epochs.value() == chosen["epochs"]
    assert "Auto chose" in window.training.status.text() and "Auto chose" in board.note.text()
    assert window.result is not None  # Try it, Results and Save follow the chosen model
    # the window's probe ran from the click (gui/diagnostics.py); its stalls over 20 ms are kept with
    # their time: none over 50 ms from the click to the search's last event (the end-of-run redraw aside)
    during = [ms for at, ms in window.stall_probe.worst if at <= last_event[0]]
    print(f"\nstalls over 20 ms during Auto's search: {during}; all: "
          f"{[(round(at - clicked, 1), round(ms)) for at, ms in window.stall_probe.worst]}, search ended at "
          f"{last_event[0] - clicked:.1f} s")
    # < 50 ms measured alone (no stall over 20 ms); on a machine shared by many processes the
    # scheduler alone makes 50-200 ms gaps, so the bound is test_flow's loose one, which still catches
    # TensorFlow in the window's process (320 ms stalls)
    assert max(during, default=0.0) < 250
