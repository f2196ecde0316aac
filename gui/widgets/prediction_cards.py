"""Try it's result column: one card per image (thumbnail, name, ranked probability bars, a warning
for an image unlike any training image), newest first, in a scrolling list.

Kept out of the event loop's way (issue 9, every stall under 50 ms): a drop of many images (a
folder gives up to 200) is shown CARDS_PER_TURN cards per event-loop turn, and the panel's one-line
message lives inside the list, so neither it nor the cards change the panel's minimum size. A
change there resized the window's bottom row and with it the training curves beside the panel,
and a resized matplotlib figure is redrawn whole (50-90 ms measured on 2 busy cores).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from .common import hint_label, set_names, set_style_property

THUMB = 88
CARDS_PER_TURN = 8  # cards built and laid out per event-loop turn: ~1-2 ms each on a busy 2-core machine


class ProbabilityBar(QWidget):
    """One ranked guess: the class name over a bar as long as its probability, and the percentage."""

    def __init__(self, rank: int, label: str, probability: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("predictionBar")
        self.rank, self.label, self.probability = rank, label, float(probability)
        self.setAccessibleName(f"{rank}. {label}: {self.percent_text()}")
        self.setToolTip(f"{label}: {self.probability * 100:.2f} %")
        self.setMinimumHeight(20)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def percent_text(self) -> str:
        value = self.probability * 100
        return f"{value:.0f} %" if value >= 10 else f"{value:.1f} %"

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt naming)
        return QSize(260, 20)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(0.5, 1.5, -0.5, -1.5)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#eef2f8"))
        painter.drawRoundedRect(rect, 4, 4)
        fill = QRectF(rect)
        fill.setWidth(max(0.0, rect.width() * min(1.0, self.probability)))
        painter.setBrush(QColor("#2f6fd6" if self.rank == 1 else "#9db7e6"))
        if fill.width() > 0:
            painter.drawRoundedRect(fill, 4, 4)
        font = QFont(self.font())
        font.setBold(self.rank == 1)
        painter.setFont(font)
        text_rect = rect.adjusted(8, 0, -8, 0)
        percent = self.percent_text()
        percent_width = painter.fontMetrics().horizontalAdvance(percent) + 12
        name = painter.fontMetrics().elidedText(self.label, Qt.TextElideMode.ElideRight,
                                                int(text_rect.width() - percent_width))
        # Text colour follows what lies under its start: white on the dark top-1 fill.
        on_fill = self.rank == 1 and fill.width() > painter.fontMetrics().horizontalAdvance(name) + 10
        painter.setPen(QColor("#ffffff" if on_fill else "#1d2430"))
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, name)
        on_fill_right = self.rank == 1 and fill.right() > rect.right() - percent_width
        painter.setPen(QColor("#ffffff" if on_fill_right else "#3c4758"))
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, percent)
        painter.end()


UNFAMILIAR_TEXT = "Unlike any training image — this prediction may be meaningless."


def unfamiliar_hint(familiarity: dict[str, Any]) -> QLabel:
    """The plain-words warning on a prediction for an image far from every class the model learnt
    (a cat photo given to a texture model), with the numbers behind it in the tooltip."""
    hint = hint_label(f"⚠ {UNFAMILIAR_TEXT}", "predictionUnfamiliar")
    set_style_property(hint, "state", "warn")
    hint.setAccessibleName(UNFAMILIAR_TEXT)
    hint.setToolTip("The model places this image far from every class it was trained on (distance "
                    f"{familiarity.get('distance', 0):.2f}, while training images lie within "
                    f"{familiarity.get('distance_limit', 0):.2f}). It still has to pick one of its classes, "
                    "so the bars below say little about this image.")
    return hint


def set_text(members: Any) -> str | None:
    """"infected or dividing" for a prediction set of two or more classes (the model cannot decide
    between them, core/stats/conformal.py), else None: one class needs no extra words."""
    if not members or len(members) < 2:
        return None
    text = str(members[0])  # "A or B or C": one whole pattern applied in turn, never a bare " or " glued in
    for member in members[1:]:
        text = QCoreApplication.translate("PredictionCard", "{earlier} or {last}").format(earlier=text, last=member)
    return text


def set_hint(text: str) -> QLabel:
    """The card's "A or B" line, with what it promises in the tooltip."""
    hint = hint_label(QCoreApplication.translate("PredictionCard", "Undecided: {0}").format(text), "predictionSet")
    set_style_property(hint, "state", "warn")
    hint.setToolTip(QCoreApplication.translate(
        "PredictionCard", "The model cannot decide between these classes. On its validation images, such "
        "sets held the true class 9 times in 10."))
    return hint


class PredictionCard(QFrame):
    """A thumbnail, the file name, and the ranked bars (or why the image could not be read), with a
    warning when the image is unlike any training image (``familiarity["unfamiliar"]``)."""

    def __init__(self, source: str, guesses: list[tuple[str, float]], error: str | None, thumbnail: Any,
                 parent: QWidget | None = None, familiarity: dict[str, Any] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("predictionCard")
        self.source = source
        self.unfamiliar = bool(familiarity and familiarity.get("unfamiliar"))
        self.bars: list[ProbabilityBar] = []
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(12)
        thumb = QLabel()
        thumb.setObjectName("predictionThumb")
        thumb.setFixedSize(THUMB, THUMB)
        thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if thumbnail is not None and not thumbnail.isNull():
            thumb.setPixmap(QPixmap.fromImage(thumbnail))
        else:
            thumb.setText("?")
        layout.addWidget(thumb, 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout()
        column.setSpacing(3)
        name = QLabel(Path(source).name)
        name.setObjectName("predictionName")
        name.setToolTip(source)
        column.addWidget(name)
        if error:
            problem = hint_label(f"Could not read this image: {error}.", "predictionError")
            column.addWidget(problem)
        if self.unfamiliar:
            column.addWidget(unfamiliar_hint(familiarity or {}))
        self.set_text = set_text((familiarity or {}).get("set"))
        if self.set_text:
            column.addWidget(set_hint(self.set_text))
        for rank, (label, probability) in enumerate(guesses, start=1):
            bar = ProbabilityBar(rank, label, probability)
            self.bars.append(bar)
            column.addWidget(bar)
        column.addStretch(1)
        layout.addLayout(column, 1)
        top = f"{guesses[0][0]} {guesses[0][1] * 100:.0f} %" if guesses else (error or "")
        warning = f" ({UNFAMILIAR_TEXT})" if self.unfamiliar else ""
        undecided = " " + QCoreApplication.translate("PredictionCard", "({classes})").format(
            classes=self.set_text) if self.set_text else ""
        self.setAccessibleName(f"{Path(source).name}: {top}{warning}{undecided}")


@dataclass(frozen=True)
class CardSpec:
    """What one card shows, as the prediction job returned it (the thumbnail a QImage decoded on the
    worker thread, or None)."""

    source: str
    guesses: list[tuple[str, float]]
    error: str | None
    thumbnail: Any = None
    familiarity: dict[str, Any] | None = None

    def build(self) -> PredictionCard:
        return PredictionCard(self.source, self.guesses, self.error, self.thumbnail, familiarity=self.familiarity)


class PredictionList(QScrollArea):
    """A scrolling column: the panel's message line (``set_note``), then the cards, newest first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        set_names(self, "predictionList", "Predictions", "Each image with its most likely classes")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget()
        inner.setObjectName("predictionListInner")
        self._layout = QVBoxLayout(inner)
        self._layout.setContentsMargins(0, 0, 4, 0)
        self._layout.setSpacing(8)
        self.empty = QLabel("Each image appears here with its five most likely classes, best first.")
        self.empty.setObjectName("predictionEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self._layout.addWidget(self.empty)
        self._layout.addStretch(1)
        self._note: QWidget | None = None
        self._generation = 0  # bumped by clear(): batches of an older drop then stop
        self.setWidget(inner)

    def set_note(self, note: QWidget) -> None:
        """Show ``note`` above the cards, inside the scrolling area: showing or hiding it then
        changes no size outside the list."""
        self._note = note
        self._layout.insertWidget(0, note)

    def _top(self) -> int:
        return 1 if self._note is not None else 0

    def add_cards(self, cards: list[PredictionCard], after: PredictionCard | None = None) -> None:
        """Insert ``cards`` in their order at the top, or right below ``after`` (the last card of the
        same drop, for its later batches)."""
        at = self._layout.indexOf(after) + 1 if after is not None else self._top()
        for offset, card in enumerate(cards):
            self._layout.insertWidget(at + offset, card)
        self.empty.setVisible(not self.cards())
        if after is None:
            self.verticalScrollBar().setValue(0)

    def show_batched(self, specs: list[CardSpec], done: Callable[[int], None]) -> None:
        """Build and insert the cards CARDS_PER_TURN per event-loop turn (the first turn now), then
        call ``done(len(specs))``; ``clear`` meanwhile drops the rest and ``done`` is not called."""
        generation = self._generation

        def next_batch(index: int, after: PredictionCard | None) -> None:
            if generation != self._generation:
                return
            cards = [spec.build() for spec in specs[index:index + CARDS_PER_TURN]]
            self.add_cards(cards, after)
            index += len(cards)
            if index < len(specs):
                QTimer.singleShot(0, self, lambda: next_batch(index, cards[-1]))
            else:
                done(len(specs))

        next_batch(0, None)

    def cards(self) -> list[PredictionCard]:
        items = (self._layout.itemAt(i).widget() for i in range(self._layout.count()))
        return [w for w in items if isinstance(w, PredictionCard)]

    def count(self) -> int:
        return len(self.cards())

    def clear(self) -> None:
        self._generation += 1
        for card in self.cards():
            self._layout.removeWidget(card)
            card.deleteLater()
        self.empty.setVisible(True)
