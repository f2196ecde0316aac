"""Step 2, the backbone: every registered network with a one-line description (size, input,
speed, whether its ImageNet weights are on this computer) and where training starts from
(ImageNet weights, a weights file, or random weights). Listing is cheap: no TensorFlow."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QFormLayout, QWidget

from ..engine_messages import engine_words
from ..settings import Field, field_values, restore_fields
from .common import Section, hint_label, set_names, set_style_property

WEIGHTS_STATE = {"offline": "ok", "cached": "ok", "download": "warn"}  # the description's style


def _weights_text(status: str) -> str:
    """Where a backbone's ImageNet weights are (core.backbones.weights' status), as the description says it."""
    texts = {"offline": QCoreApplication.translate("BackbonePicker", "ImageNet weights included, works offline"),
             "cached": QCoreApplication.translate("BackbonePicker", "ImageNet weights already on this computer"),
             "download": QCoreApplication.translate("BackbonePicker",
                                                    "ImageNet weights need a one-time download (internet)")}
    return texts.get(status) or QCoreApplication.translate("BackbonePicker", "ImageNet weights {status}").format(
        status=status)


def _speed_text(speed: str) -> str:
    """The backbone's speed class (core/backbones: "fast", "medium", "slow") in words."""
    texts = {"fast": QCoreApplication.translate("BackbonePicker", "fast on CPU"),
             "medium": QCoreApplication.translate("BackbonePicker", "medium on CPU"),
             "slow": QCoreApplication.translate("BackbonePicker", "slow on CPU")}
    return texts.get(speed) or QCoreApplication.translate("BackbonePicker", "{speed} on CPU").format(speed=speed)

IMAGENET, SCRATCH, FROM_FILE = "imagenet", "scratch", "file"


def _list_backbones() -> list[Any]:
    from core.backbones.catalog import list_backbones  # cheap: no TensorFlow, no engine needed

    return list_backbones()


def _default_backbone() -> str:
    from core.backbones import DEFAULT_BACKBONE

    return DEFAULT_BACKBONE


class BackbonePicker(Section):
    """Emits ``backboneChanged(id)`` and ``weightsChanged()``."""

    backboneChanged = Signal(str)
    weightsChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Backbone"), 2, "", parent)
        self.infos = {info.id: info for info in _list_backbones()}
        self.combo = set_names(QComboBox(), "backboneCombo", self.tr("Backbone"),
                               self.tr("The pretrained network whose features are fine-tuned"))
        for info in self.infos.values():
            self.combo.addItem(self._item_text(info), info.id)
            self.combo.setItemData(self.combo.count() - 1, self._describe(info), 3)  # tooltip role
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # a cut name is another network
        self.combo.currentIndexChanged.connect(self._changed)

        self.description = hint_label("", "backboneDescription")
        self.description.setAccessibleName(self.tr("Backbone description"))

        self.weights_combo = set_names(QComboBox(), "weightsCombo", self.tr("Start from"), self.tr(
            "Pretrained ImageNet weights (recommended), a weights file, or random weights (training from scratch "
            "needs many more images)"))
        # Short texts that fit the column at 1280 px; the tooltip says the rest.
        self.weights_combo.addItem(self.tr("ImageNet (recommended)"), IMAGENET)
        self.weights_combo.addItem(self.tr("Random — from scratch"), SCRATCH)
        self.weights_combo.addItem(self.tr("Weights file…"), FROM_FILE)
        self._weights_file: str | None = None
        self._previous_weights_index = 0
        self.weights_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # never cut
        self.weights_combo.activated.connect(self._weights_activated)

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Network"), self.combo)
        form.addRow(self.tr("Start from"), self.weights_combo)
        self.body.addLayout(form)
        self.body.addWidget(self.description)
        self.set_current(_default_backbone())
        self._changed()

    # -- public API ------------------------------------------------------------------------
    def current_id(self) -> str:
        return str(self.combo.currentData())

    def set_current(self, backbone_id: str) -> bool:
        index = self.combo.findData(backbone_id)
        if index < 0:
            return False
        self.combo.setCurrentIndex(index)
        return True

    def info(self, backbone_id: str | None = None) -> Any:
        return self.infos.get(backbone_id or self.current_id())

    def weights_arg(self) -> str | None:
        """What TrainConfig.weights expects: "imagenet", None (scratch) or a file path."""
        mode = self.weights_combo.currentData()
        if mode == SCRATCH:
            return None
        if mode == FROM_FILE and self._weights_file:
            return self._weights_file
        return "imagenet"

    def pretrained(self) -> bool:
        return self.weights_arg() is not None

    def set_weights_file(self, path: str | Path | None) -> None:
        """Start from a weights file (``None``: back to ImageNet). Also used by scripts and tests."""
        if path is None:
            self._weights_file = None
            self.weights_combo.setItemText(2, self.tr("Weights file…"))
            self.weights_combo.setCurrentIndex(0)
        else:
            self._weights_file = str(path)
            name = Path(path).name
            shown = name if len(name) <= 24 else f"{name[:11]}…{name[-12:]}"  # the column keeps its width
            self.weights_combo.setItemText(2, self.tr("File: {name}").format(name=shown))
            self.weights_combo.setItemData(2, str(path), 3)  # tooltip role: the whole path
            self.weights_combo.setCurrentIndex(2)
        self._previous_weights_index = self.weights_combo.currentIndex()
        self.weightsChanged.emit()

    def set_scratch(self) -> None:
        self.weights_combo.setCurrentIndex(1)
        self._previous_weights_index = 1
        self.weightsChanged.emit()

    def set_locked(self, locked: bool) -> None:
        self.combo.setEnabled(not locked)
        self.weights_combo.setEnabled(not locked)

    def weights_mode(self) -> str:
        return str(self.weights_combo.currentData())

    # -- settings --------------------------------------------------------------------------
    def _setting_fields(self) -> dict[str, Field]:
        """The backbone, then where training starts (a weights file is not remembered: ImageNet then)."""
        return {"backbone": Field(self.current_id, lambda raw: self.set_current(str(raw)) if raw else None),
                "weights": Field(lambda: SCRATCH if self.weights_mode() == SCRATCH else IMAGENET,
                                 lambda raw: self.set_scratch() if str(raw) == SCRATCH else None)}

    def settings(self) -> dict[str, Any]:
        return field_values(self._setting_fields())

    def restore_settings(self, values: dict[str, Any]) -> None:
        restore_fields(self._setting_fields(), values)

    def refresh_weights_status(self) -> None:
        """Look again where each backbone's ImageNet weights are (e.g. after the weights folder setting
        changed): the "⤓ needs a download" markers and the description follow."""
        self.infos = {info.id: info for info in _list_backbones()}
        for index in range(self.combo.count()):
            info = self.infos.get(self.combo.itemData(index))
            if info is None:
                continue
            self.combo.setItemText(index, self._item_text(info))
            self.combo.setItemData(index, self._describe(info), 3)
        self._show_description()

    # -- internals -------------------------------------------------------------------------
    @staticmethod
    def _item_text(info: Any) -> str:
        return f"{engine_words(info.label)}{'  ⤓' if info.weights == 'download' else ''}"

    @staticmethod
    def _describe(info: Any) -> str:
        return QCoreApplication.translate("BackbonePicker", "{params:.1f} M parameters · {size} px input · "
                                          "{speed} · {weights}").format(params=info.params_m, size=info.input_size,
                                                              speed=_speed_text(info.speed),
                                                              weights=_weights_text(info.weights))

    def _changed(self, *_: Any) -> None:
        info = self._show_description()
        if info is not None:
            self.backboneChanged.emit(info.id)

    def _show_description(self) -> Any:
        info = self.info()
        if info is None:
            return None
        state = WEIGHTS_STATE.get(info.weights, "")
        self.description.setText(self._describe(info))
        set_style_property(self.description, "state", state)
        self.combo.setToolTip(self._describe(info))
        return info

    def _weights_activated(self, index: int) -> None:
        if self.weights_combo.itemData(index) == FROM_FILE:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose a weights file"), str(Path.home()),
                                                  self.tr("Keras weights (*.h5 *.weights.h5 *.keras);;All files (*)"))
            if not path:
                self.weights_combo.setCurrentIndex(self._previous_weights_index)
                return
            self.set_weights_file(path)
            return
        self._previous_weights_index = index
        self.weightsChanged.emit()

