"""Which visible texts of a window do not fit their widget: labels (wrapped ones by their wrapped
height), push buttons, check boxes, radio buttons, tool buttons, tabs and progress-bar texts, each
measured with the widget's own font metrics against the room its style leaves for the text.

Generic on purpose (issue 25): it walks every visible widget, so a text that a later change (or a
translation, whose sentences are often longer or taller) makes too long is caught without a test
naming that widget. A text that is shortened on purpose (elided with "…") must carry the full text
as its tooltip; such a widget is not reported."""
from __future__ import annotations

from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (QAbstractButton, QCheckBox, QLabel, QProgressBar, QPushButton, QRadioButton, QStyle,
                               QStyleOptionButton, QTabBar, QToolButton, QWidget)

SLACK_PX = 1  # rounding between the metrics and the layout's integer geometry


def _plain(text: str) -> str:
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText()


def _name(widget: QWidget) -> str:
    return widget.objectName() or type(widget).__name__


def _elided_on_purpose(widget: QWidget, text: str) -> bool:
    """Shortened with "…" by the program, the whole text in the tooltip."""
    tip = _plain(widget.toolTip()) if widget.toolTip() else ""
    head = text.split("…")[0].strip()
    return "…" in text and bool(tip) and tip.startswith(head) and len(tip) > len(text) - 1


def _label(label: QLabel) -> str | None:
    if label.pixmap() is not None and not label.pixmap().isNull() or not label.text():
        return None
    room = label.contentsRect()
    margin = label.margin()
    room = room.adjusted(margin, margin, -margin, -margin)
    if label.wordWrap():
        needed = label.heightForWidth(label.width())
        if needed > label.height() + SLACK_PX:
            return f"{_name(label)}: wrapped text needs {needed} px height, has {label.height()}: {label.text()[:60]!r}"
        return None
    text = _plain(label.text()) if label.textFormat() != label.textFormat().PlainText and "<" in label.text() \
        else label.text()
    if _elided_on_purpose(label, text):
        return None
    metrics = label.fontMetrics()
    lines = text.split("\n")
    width = max(metrics.horizontalAdvance(line) for line in lines)
    height = metrics.height() * len(lines)
    if width > room.width() + SLACK_PX or height > room.height() + SLACK_PX:
        return (f"{_name(label)}: text needs {width}x{height} px, has {room.width()}x{room.height()}: "
                f"{text[:60]!r}")
    return None


def _button_room(button: QAbstractButton) -> int:
    option = QStyleOptionButton()
    button.initStyleOption(option)
    element = QStyle.SubElement.SE_PushButtonContents
    if isinstance(button, QCheckBox):
        element = QStyle.SubElement.SE_CheckBoxContents
    elif isinstance(button, QRadioButton):
        element = QStyle.SubElement.SE_RadioButtonContents
    room = button.style().subElementRect(element, option, button).width()
    if not button.icon().isNull() and isinstance(button, QPushButton):
        room -= button.iconSize().width() + 4
    return room


def _button(button: QAbstractButton) -> str | None:
    text = button.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
    if not text:
        return None
    if isinstance(button, QToolButton):
        if button.toolButtonStyle() == button.toolButtonStyle().ToolButtonIconOnly:
            return None
        needed, room = button.sizeHint().width(), button.width()
    else:
        needed, room = button.fontMetrics().horizontalAdvance(text), _button_room(button)
    if _elided_on_purpose(button, text):
        return None
    if needed > room + SLACK_PX:
        return f"{_name(button)}: '{text}' needs {needed} px, has {room}"
    return None


def _tabs(bar: QTabBar) -> list[str]:
    found = []
    for index in range(bar.count()):
        if not bar.isTabVisible(index):
            continue
        rect, hint = bar.tabRect(index), bar.tabSizeHint(index)
        if rect.width() + SLACK_PX < hint.width() or not bar.rect().contains(rect):
            found.append(f"{_name(bar)}: tab '{bar.tabText(index)}' has {rect.width()} px of {hint.width()} "
                         f"(or is scrolled out of view)")
    return found


def _progress(bar: QProgressBar) -> str | None:
    if not bar.isTextVisible() or not bar.text():
        return None
    text = bar.text()
    if _elided_on_purpose(bar, text):
        return None
    needed = bar.fontMetrics().horizontalAdvance(text)
    room = bar.contentsRect().width()
    if needed > room + SLACK_PX:
        return f"{_name(bar)}: progress text '{text}' needs {needed} px, has {room}"
    return None


def clipped_texts(root: QWidget) -> list[str]:
    """One line per visible text under ``root`` that does not fit its widget (empty when all fit)."""
    found: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible() or widget.width() <= 0:
            continue
        if isinstance(widget, QLabel):
            problem = _label(widget)
        elif isinstance(widget, QAbstractButton):
            problem = _button(widget)
        elif isinstance(widget, QProgressBar):
            problem = _progress(widget)
        elif isinstance(widget, QTabBar):
            found.extend(_tabs(widget))
            continue
        else:
            continue
        if problem:
            found.append(problem)
    return found



def _laid_out(layout: object) -> list[QWidget]:
    """The widgets a layout places, through its nested layouts."""
    found: list[QWidget] = []
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item.widget() is not None:
            found.append(item.widget())
        elif item.layout() is not None:
            found.extend(_laid_out(item.layout()))
    return found


def overlapping_widgets(root: QWidget) -> list[str]:
    """Visible widgets placed by the same layout that overlap: the layout got less room than its
    minimum, so one draws over the other (a text over a neighbour's border), whatever each one's
    own size says. (Overlays are not placed by a layout, so they are not compared.)"""
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        if widget.layout() is None or not widget.isVisible():
            continue
        placed = [w for w in _laid_out(widget.layout()) if w.isVisible() and w.width() > 0 and w.height() > 0]
        for index, first in enumerate(placed):
            for second in placed[index + 1:]:
                overlap = first.geometry().intersected(second.geometry())
                if overlap.width() > SLACK_PX and overlap.height() > SLACK_PX:
                    found.append(f"{_name(widget)}: {_name(first)} and {_name(second)} overlap by "
                                 f"{overlap.width()}x{overlap.height()} px")
    return found


def _drawn_tick_labels(axis: object) -> list[object]:
    """The tick labels matplotlib draws: visible, with text, their tick inside the view limits."""
    low, high = sorted(axis.get_view_interval())
    span = (high - low) * 1e-9
    return [tick.label1 for tick in axis.get_major_ticks()
            if tick.label1.get_visible() and tick.label1.get_text() and low - span <= tick.get_loc() <= high + span]


def _drawn_texts(figure: object) -> list[object]:
    texts = [text for text in figure.findobj(lambda a: hasattr(a, "get_text") and hasattr(a, "get_window_extent"))
             if text.get_visible() and text.get_text().strip() and (text.axes is None or text.axes.get_visible())]
    ticks = {id(label) for ax in figure.axes for axis in (ax.xaxis, ax.yaxis) for tick in axis.get_major_ticks()
             for label in (tick.label1, tick.label2)}
    drawn = {id(label) for ax in figure.axes for axis in (ax.xaxis, ax.yaxis) for label in _drawn_tick_labels(axis)}
    return [text for text in texts if id(text) not in ticks or id(text) in drawn]


def figure_text_problems(figure: object) -> list[str]:
    """A matplotlib figure's drawn texts that stick out of the figure (an axis label cut by the
    canvas's edge) or tick labels of one axis that overlap each other ("0.50.60.70.8")."""
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    bounds = figure.bbox
    found = []
    for text in _drawn_texts(figure):
        box = text.get_window_extent(renderer)
        if box.x0 < bounds.x0 - SLACK_PX or box.y0 < bounds.y0 - SLACK_PX or box.x1 > bounds.x1 + SLACK_PX \
                or box.y1 > bounds.y1 + SLACK_PX:
            found.append(f"figure text {text.get_text()!r} is cut by the canvas's edge")
    for ax in figure.axes:
        if not ax.get_visible():
            continue
        for axis in (ax.xaxis, ax.yaxis):
            boxes = [(label.get_text(), label.get_window_extent(renderer)) for label in _drawn_tick_labels(axis)]
            for (first, a), (second, b) in zip(boxes, boxes[1:]):
                if a.overlaps(b):
                    found.append(f"tick labels {first!r} and {second!r} overlap")
    return found


def canvas_problems(root: QWidget) -> list[str]:
    """figure_text_problems for every visible matplotlib canvas under ``root``."""
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

    found = []
    for canvas in root.findChildren(FigureCanvasQTAgg):
        if canvas.isVisible() and canvas.width() > 10 and canvas.height() > 10:
            found.extend(f"{_name(canvas)}: {problem}" for problem in figure_text_problems(canvas.figure))
    return found
