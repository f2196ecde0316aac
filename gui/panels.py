"""The main window's panels as one value, so the controllers, the layout and the remembered
settings receive the panels (what they work with) instead of the whole window.

They are created together because two are rows of another: the method chooser heads the
training settings' form and the caches check box sits in its Advanced section (remembered there as
``train/useCache``); the keep-together rule (gui/widgets/group_setting.py) is a row of the Data panel,
remembered under ``data/``, previewing on the folder each scan found."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QCheckBox

from .widgets.backbone_picker import BackbonePicker
from .widgets.common import set_names
from .widgets.curves import CurvesPanel
from .widgets.data_panel import DataPanel
from .widgets.freeze_slider import FreezePanel
from .widgets.group_setting import GroupSetting
from .widgets.method_choice import MethodChoice
from .widgets.prediction_panel import PredictionPanel
from .widgets.results_panel import ResultsPanel
from .widgets.training_settings import TrainingSettings


GROUPS_ROW = 3  # in the Data panel's body: after the training folder, the validation folder and share


@dataclass(frozen=True)
class Panels:
    """Steps 1-4 (data, backbone, freeze, training with its method and caches rows), the training
    curves, the Results and the Try-it panel."""

    data: DataPanel
    backbone: BackbonePicker
    freeze: FreezePanel
    training: TrainingSettings
    method: MethodChoice
    use_cache: QCheckBox
    curves: CurvesPanel
    results: ResultsPanel
    predict: PredictionPanel
    groups: GroupSetting

    @classmethod
    def create(cls) -> Panels:
        data, backbone, freeze, training = DataPanel(), BackbonePicker(), FreezePanel(), TrainingSettings()
        curves, predict, method = CurvesPanel(), PredictionPanel(), MethodChoice()
        training.insert_row(0, QCoreApplication.translate("Panels", "Method"), method)
        use_cache = set_names(QCheckBox(QCoreApplication.translate("Panels", "Use caches (faster)")), "useCacheCheck",
                              QCoreApplication.translate("Panels", "Use caches"),
                              QCoreApplication.translate("Panels", "Decode each image once and compute the frozen "
                                                         "layers once, then train on the stored results. Turn off "
                                                         "only to compare speeds or to rule the caches out when "
                                                         "something looks wrong."))
        use_cache.setChecked(True)
        training.add_advanced_row(QCoreApplication.translate("Panels", "Caches"), use_cache, setting="useCache")
        groups = GroupSetting()
        data.body.insertWidget(GROUPS_ROW, groups)  # below the validation share: both decide the split
        data.datasetChanged.connect(lambda result: groups.set_folder(result.train_dir if result else ""))
        return cls(data=data, backbone=backbone, freeze=freeze, training=training, method=method,
                   use_cache=use_cache, curves=curves, results=ResultsPanel(), predict=predict, groups=groups)
