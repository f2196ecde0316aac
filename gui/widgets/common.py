"""Small building blocks shared by the panels: a titled card, a collapsible section, helpers."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QImageReader
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget


class Section(QFrame):
    """A card with a numbered title ("1  Data") and a body layout. The number shows the flow."""

    def __init__(self, title: str, step: int | None = None, subtitle: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("section")
        self.setFrameShape(QFrame.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(14, 12, 14, 14)
        outer.setSpacing(8)
        header = QHBoxLayout()
        header.setSpacing(8)
        if step is not None:
            badge = QLabel(str(step))
            badge.setObjectName("stepBadge")
            badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
            badge.setFixedSize(22, 22)
            header.addWidget(badge)
        self.title_label = QLabel(title)
        self.title_label.setObjectName("sectionTitle")
        header.addWidget(self.title_label)
        header.addStretch(1)
        self.header_layout = header
        outer.addLayout(header)
        if subtitle:
            sub = QLabel(subtitle)
            sub.setObjectName("sectionSubtitle")
            sub.setWordWrap(True)
            outer.addWidget(sub)
        self.body = QVBoxLayout()
        self.body.setSpacing(8)
        outer.addLayout(self.body, 1)
        self.setAccessibleName(title)


class Collapsible(QWidget):
    """A header button that shows or hides its content ("▸ Advanced")."""

    toggled = Signal(bool)

    def __init__(self, title: str, content: QWidget, expanded: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.button = QToolButton()
        self.button.setObjectName("collapsibleHeader")
        self.button.setCheckable(True)
        self.button.setChecked(expanded)
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.button.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.button.setText(title)
        self.button.setAccessibleName(title)
        self.button.toggled.connect(self._toggle)
        self.content = content
        content.setVisible(expanded)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.button)
        layout.addWidget(content)

    def set_title(self, title: str) -> None:
        self.button.setText(title)

    def is_expanded(self) -> bool:
        return self.button.isChecked()

    def set_expanded(self, expanded: bool) -> None:
        self.button.setChecked(expanded)

    def _toggle(self, expanded: bool) -> None:
        self.button.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.content.setVisible(expanded)
        self.toggled.emit(expanded)


def hint_label(text: str = "", object_name: str = "hint") -> QLabel:
    label = QLabel(text)
    label.setObjectName(object_name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def set_style_property(widget: QWidget, name: str, value: object) -> None:
    """Set a dynamic property the style sheet selects on (e.g. ``[state="error"]``) and re-apply the
    style: Qt does not re-evaluate property selectors by itself."""
    widget.setProperty(name, value)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def read_thumbnail(path: str, size: int) -> QImage:
    """Decode a scaled-down copy (safe off the GUI thread: QImage, not QPixmap). Null if unreadable."""
    reader = QImageReader(path)
    reader.setAutoTransform(True)
    original = reader.size()
    if original.isValid() and original.width() > 0 and original.height() > 0:
        scale = size / max(original.width(), original.height())
        if scale < 1:
            reader.setScaledSize(original * scale)
    image = reader.read()
    if image.isNull():
        return image
    return image.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)


def set_names(widget: QWidget, object_name: str, accessible: str, description: str = "") -> QWidget:
    widget.setObjectName(object_name)
    widget.setAccessibleName(accessible)
    if description:
        widget.setAccessibleDescription(description)
        widget.setToolTip(description)
    return widget


def accuracy_record(results: dict[str, Any] | None) -> dict[str, Any] | None:
    """The validation accuracy of metrics.json (a run's record, a TrainSummary's metrics) or of an
    evaluation report, with its Wilson 95 % interval, its one wording (``text``) and the rough-number
    ``note``: as the engine wrote it, or computed from the count for results saved before intervals
    (core.stats.intervals.recorded_accuracy, whose scipy import is paid only then). None when nothing
    was counted."""
    results = results or {}
    evaluation = results if "confusion_matrix" in results else results.get("evaluation") or {}
    for source, prefix in ((results, "val_accuracy"), (evaluation, "accuracy")):
        if source.get(f"{prefix}_text"):
            return {"text": source[f"{prefix}_text"], "note": source.get(f"{prefix}_note"),
                    "accuracy_ci": source.get(f"{prefix}_ci"), "accuracy": source.get(prefix)}
    accuracy = results.get("val_accuracy", evaluation.get("accuracy"))
    total = results.get("val_images") or evaluation.get("n_images")
    if accuracy is None or not total:
        return None
    from core.stats.intervals import recorded_accuracy

    return recorded_accuracy({"val_accuracy": accuracy, "val_images": total, "evaluation": evaluation})
