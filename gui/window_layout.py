"""Where the main window's panels sit: steps 1-4 side by side on top (the flow reads left to right),
then the run bar (Train, Stop, progress, status), then the curves, the Results and the "try it"
panel, the two rows in a splitter the user can adjust. Only placement and keyboard order live here;
what the panels do is wired in gui/main_window.py.

Sized for a 1280x800 laptop: the three step columns fit 1280 px without a horizontal scroll bar
and the run bar sits outside the scrolling steps, so nothing (a comparison table, a long hint) can
push Train or the status out of view at any window size."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QScrollArea, QSplitter, QTabWidget, QVBoxLayout,
                               QWidget)

from .panels import Panels


PREFERRED_SIZE = QSize(1440, 900)  # on a big screen; never more than the screen offers
# Room for the window manager's title bar and borders, which are not part of the window's own size
# before it is shown: without it a window sized to the screen has its bottom (the status bar) cut off.
FRAME_ALLOWANCE = QSize(16, 40)


def available_geometry(window: QWidget) -> QRect:
    """The part of the window's screen that windows may use (without task bars and docks)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 800)


def fit_to_screen(window: QWidget) -> None:
    """A fresh start (no saved geometry): the preferred size, shrunk to the available screen (a
    1280x800 or 1366x768 laptop), and centred on it, so every control is in view without maximising.
    A saved geometry, restored afterwards, replaces this."""
    area = available_geometry(window)
    room = area.size() - FRAME_ALLOWANCE
    size = PREFERRED_SIZE.boundedTo(room).expandedTo(window.minimumSizeHint().boundedTo(room))
    window.resize(size)
    frame = QRect(0, 0, size.width() + FRAME_ALLOWANCE.width(), size.height() + FRAME_ALLOWANCE.height())
    frame.moveCenter(area.center())
    window.move(max(area.left(), frame.left()), max(area.top(), frame.top()))


@dataclass
class WindowLayout:
    """The containers the window keeps: splitters (their state is saved), the result tabs and their
    Results page (shown when a run has no curves)."""

    splitter: QSplitter
    right_splitter: QSplitter
    result_tabs: QTabWidget
    results_page: QScrollArea


def _scroll_area(name: str, content: QWidget) -> QScrollArea:
    scroll = QScrollArea()
    scroll.setObjectName(name)
    scroll.setWidget(content)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    return scroll


def _top_row(panels: Panels) -> QScrollArea:
    model_column = QWidget()
    model_layout = QVBoxLayout(model_column)
    model_layout.setContentsMargins(0, 0, 0, 0)
    model_layout.setSpacing(10)
    model_layout.addWidget(panels.backbone)
    model_layout.addWidget(panels.freeze, 1)
    top = QWidget()
    top.setObjectName("topRow")
    row = QHBoxLayout(top)
    row.setContentsMargins(12, 10, 12, 4)
    row.setSpacing(10)
    row.addWidget(panels.data, 4)
    row.addWidget(model_column, 4)
    row.addWidget(panels.training, 5)  # its rows are the widest (method, epochs/warm-up)
    return _scroll_area("topScroll", top)


def _steps_and_run_bar(panels: Panels) -> QWidget:
    """The scrolling steps with the run bar under them, outside the scroll area: always in view."""
    holder = QWidget()
    holder.setObjectName("stepsAndRunBar")
    box = QVBoxLayout(holder)
    box.setContentsMargins(0, 0, 0, 0)
    box.setSpacing(0)
    box.addWidget(_top_row(panels), 1)
    box.addWidget(panels.training.run_bar)
    return holder


def set_tab_order(panels: Panels, result_tabs: QTabWidget) -> None:
    """Tab follows what the eye reads: each step's fields top to bottom, steps left to right, then
    Train and Stop. (Creation order put the Method row, added to step 4 later, after Train, and the
    plug-ins' buttons, Check my data and Find…, last.) Called once the plug-ins are installed."""
    d, b, f, m, t = panels.data, panels.backbone, panels.freeze, panels.method, panels.training
    check = d.findChild(QWidget, "checkDataButton")  # the audit plug-in's, in the Data panel's header
    chain = [*([check] if check is not None else []), d.train_edit, d.train_browse, d.val_edit, d.val_browse,
             d.split_spin, b.combo, b.weights_combo, f.slider, f.fine_check, f.default_button,
             m.combo, m.compare_button, m.use_embeddings, m.table,
             t.epochs, t.warmup, t.batch_size, t.learning_rate, t.find_rate_button, *t.augment.values(),
             t.early_stop, t.patience,
             t.advanced.button, t.image_size, t.seed, panels.use_cache,
             t.train_button, t.stop_button, result_tabs]
    for first, second in zip(chain, chain[1:]):
        QWidget.setTabOrder(first, second)
    _order_added_rows(panels)


def _order_added_rows(panels: Panels) -> None:
    """Rows added to the steps after the order above was written, each put right after what it sits
    under (issue 25: they came after the result tabs): the grouping setting and the labelling
    plug-in's button in step 1, Auto's budget under the Method row, and Try it's Explain before
    Clear (left to right)."""
    d, m, p = panels.data, panels.method, panels.predict
    label = d.findChild(QWidget, "labelImagesButton")  # the label plug-in's, below the Data panel's rows
    pairs = [(d.split_spin, panels.groups.combo), (panels.groups.combo, label), (m.compare_button, m.budget),
             (p.explainer.button, p.clear_button)]
    for first, second in pairs:
        if first is not None and second is not None:
            QWidget.setTabOrder(first, second)


def let_tab_leave_tables(root: QWidget) -> None:
    """Tab moves to the next control, not to the next cell (issue 25: 19 presses never left the Runs
    table); the arrow keys still move between cells."""
    for view in root.findChildren(QAbstractItemView):
        view.setTabKeyNavigation(False)


def build_window_layout(panels: Panels) -> WindowLayout:
    """Place the panels; the caller makes ``splitter`` its central widget, then sets the tab order."""
    result_tabs = QTabWidget()
    result_tabs.setObjectName("resultTabs")
    result_tabs.setAccessibleName(QCoreApplication.translate("WindowLayout", "Training curves and results"))
    result_tabs.setDocumentMode(True)
    for panel in (panels.curves, panels.results):
        panel.title_label.hide()  # the tab says it
    result_tabs.addTab(panels.curves, QCoreApplication.translate("WindowLayout", "Training curves"))
    # In a scroll area: the per-class table and the matrix keep readable widths in a narrow window.
    results_page = _scroll_area("resultsPage", panels.results)
    result_tabs.addTab(results_page, QCoreApplication.translate("WindowLayout", "Results"))
    result_tabs.setTabToolTip(1, QCoreApplication.translate("WindowLayout", "Per-class precision and recall, the "
                                                            "confusion matrix and the hardest images of the current "
                                                            "model, on the validation images"))
    bottom = QSplitter(Qt.Orientation.Horizontal)
    bottom.setObjectName("resultsSplitter")
    bottom.setChildrenCollapsible(False)
    bottom.addWidget(result_tabs)
    bottom.addWidget(panels.predict)
    bottom.setStretchFactor(0, 3)
    bottom.setStretchFactor(1, 2)
    bottom.setSizes([760, 500])
    holder = QWidget()
    holder.setObjectName("bottomRow")
    box = QHBoxLayout(holder)
    box.setContentsMargins(12, 6, 12, 12)
    box.addWidget(bottom)

    splitter = QSplitter(Qt.Orientation.Vertical)
    splitter.setObjectName("mainSplitter")
    splitter.setChildrenCollapsible(False)
    splitter.addWidget(_steps_and_run_bar(panels))
    splitter.addWidget(holder)
    splitter.setStretchFactor(0, 0)
    splitter.setStretchFactor(1, 1)
    return WindowLayout(splitter, bottom, result_tabs, results_page)
