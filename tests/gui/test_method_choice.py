"""The method chooser: suggestion on small datasets, compare request, comparison table."""
from __future__ import annotations

import sys

from PySide6.QtCore import Qt

from gui.widgets.method_choice import MethodChoice, uses_epochs


def test_hint_and_switch(qtbot) -> None:
    widget = MethodChoice()
    qtbot.addWidget(widget)
    widget.show()
    assert widget.method() == "auto"  # the default (tests/gui/test_auto_window.py); fine-tuning one click away
    widget.set_method("finetune")
    assert not widget.hint.isVisible()
    widget.set_dataset_size(280)
    assert widget.hint.isVisible() and "280 images" in widget.hint.text() and widget.use_embeddings.isVisible()
    with qtbot.waitSignal(widget.methodChanged) as changed:
        qtbot.mouseClick(widget.use_embeddings, Qt.MouseButton.LeftButton)
    assert changed.args == ["svm"] and widget.method() == "svm" and not uses_epochs("svm")
    assert not widget.use_embeddings.isVisible()
    widget.set_method("finetune")
    widget.set_dataset_size(5000)
    assert not widget.hint.isVisible()


def test_compare_and_choose(qtbot) -> None:
    widget = MethodChoice()
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.compareRequested) as requested:
        qtbot.mouseClick(widget.compare_button, Qt.MouseButton.LeftButton)
    assert requested.args == [["finetune", "svm", "logreg"]]
    widget.show_comparison({"finetune": {"val_accuracy": 0.8, "elapsed_s": 95.0},
                            "svm": {"val_accuracy": 0.9, "elapsed_s": 6.2}, "logreg": {"val_accuracy": 0.85}})
    assert widget.table.rowCount() == 3
    assert widget.table.item(1, 1).text() == "90.0% ★" and widget.table.item(0, 2).text() == "1 min 35 s"
    with qtbot.waitSignal(widget.resultChosen) as chosen:
        widget.table.cellDoubleClicked.emit(2, 0)
    assert chosen.args == ["logreg"] and widget.method() == "logreg"


def test_gui_widgets_do_not_import_tensorflow() -> None:
    import subprocess

    code = ("import sys, gui.widgets.method_choice, gui.widgets.results_panel; "
            "sys.exit('tensorflow' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], timeout=120).returncode == 0
