"""What the Runs tab's buttons do (gui/widgets/runs_tab.py shows the runs and asks): open a run's
model, put a run's settings back into the window's fields, continue a stopped or interrupted run,
delete runs; and when the list is read again (a run starts or ends, a model is saved, the tab is
shown, Refresh).

Continuing a run goes through the training controller's continue_run (gui/training_control.py):
the same curves, progress bar, Stop button and end of run as Train, only the engine is asked with a
ResumeRequest (core/engine/requests/runs.py) instead of a TrainRequest. The fields show the run's
settings while it continues, as they do for any run. Deleting never touches a bundle the user saved
elsewhere (core.runs.store.RunStore.delete), and refuses a run whose kept model is the one in use.
"""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject
from PySide6.QtWidgets import QStatusBar, QTabWidget, QWidget

from core.methods import METHODS

from .dialogs import ask_yes_no, show_error
from .model_files import ModelFiles
from .model_in_use import ModelInUse
from .panels import Panels
from .training_control import TrainingControl
from .widgets.runs_tab import RunsTab, continuable, read_runs
from .worker import Worker


class _FreezeWhenLoaded:
    """Set the freeze slider to a run's freeze point once the backbone's layer table is on screen
    (at once when it already is; a table read in the background emits ``tableLoaded`` later).

    The panel holds the one waiting for its table (``pending_run_freeze``): a connected bound method
    does not keep its object alive in PySide6, so without it the wait would be collected unrun; a
    newer one replaces it."""

    def __init__(self, panel: Any, backbone_id: str, freeze: Any) -> None:
        self.panel, self.backbone_id, self.freeze = panel, backbone_id, freeze
        previous = getattr(panel, "pending_run_freeze", None)
        if previous is not None and previous.waiting:
            previous.drop()
        self.waiting = True
        panel.tableLoaded.connect(self._loaded)
        panel.pending_run_freeze = self

    def drop(self) -> None:
        self.waiting = False
        self.panel.tableLoaded.disconnect(self._loaded)
        if getattr(self.panel, "pending_run_freeze", None) is self:
            self.panel.pending_run_freeze = None

    def _loaded(self, backbone_id: str) -> None:
        if self.waiting and backbone_id == self.backbone_id:
            self.apply()

    def apply_if_ready(self) -> None:
        if self.waiting and self.panel.backbone_id == self.backbone_id and self.panel.table is not None:
            self.apply()

    def apply(self) -> None:
        self.drop()
        panel, freeze = self.panel, self.freeze
        if freeze is None:
            panel.reset_to_default()
        elif isinstance(freeze, int) or str(freeze).isdigit():
            panel.set_freeze_point(int(freeze))
        elif str(freeze) in panel.table.names:  # a layer's name (the CLI's --freeze LAYER)
            panel.set_freeze_point(panel.table.names.index(str(freeze)) + 1)


def apply_run_settings(panels: Panels, config: dict[str, Any]) -> list[str]:
    """Put a recorded configuration (TrainConfig.to_json()'s form) into the window's fields; returns
    what could not be put back, in words (e.g. a weights file that is gone)."""
    missing: list[str] = []
    method = str(config.get("method") or "finetune")
    if method in METHODS:
        panels.method.set_method(method)  # first: it decides which fields apply and the slider's mode
    backbone = str(config.get("backbone") or panels.backbone.current_id())
    freeze = _FreezeWhenLoaded(panels.freeze, backbone, config.get("freeze"))
    if not panels.backbone.set_current(backbone):
        missing.append(QCoreApplication.translate("RunsControl", "the backbone {backbone} (not in this "
                                                  "version)").format(backbone=backbone))
    weights = config.get("weights", "imagenet")
    if weights is None:
        panels.backbone.set_scratch()
    elif weights != "imagenet" and Path(str(weights)).is_file():
        panels.backbone.set_weights_file(weights)
    else:
        if weights != "imagenet":
            missing.append(QCoreApplication.translate("RunsControl", "the weights file {path} (gone; ImageNet "
                                                      "instead)").format(path=weights))
        panels.backbone.set_weights_file(None)
    freeze.apply_if_ready()
    t = panels.training
    t.epochs.setValue(int(config.get("epochs", t.epochs.value())))
    t.warmup.setValue(int(config.get("warmup_epochs", t.warmup.value())))
    t.batch_size.setValue(int(config.get("batch_size", t.batch_size.value())))
    t.learning_rate.setValue(float(config.get("learning_rate", t.learning_rate.value())))
    for name, box in t.augment.items():
        box.setChecked(bool((config.get("augment") or {}).get(name, False)))
    patience = int(config.get("early_stopping_patience") or 0)
    t.early_stop.setChecked(patience > 0)
    if patience > 0:
        t.patience.setValue(patience)
    t.image_size.setValue(int(config.get("image_size") or 0))
    t.seed.setValue(int(config.get("seed", t.seed.value())))
    panels.use_cache.setChecked(bool(config.get("use_cache", True)))
    data = panels.data
    if config.get("val_split") is not None:
        data.split_spin.setValue(round(float(config["val_split"]) * 100))
    data.set_val_dir(config.get("val_dir") or None, scan=False)
    panels.groups.set_group_by(config.get("group_by"))  # off for runs recorded before the rule existed
    if config.get("data_dir"):
        if not Path(str(config["data_dir"])).is_dir():
            missing.append(QCoreApplication.translate("RunsControl", "the data folder {path} (not found)").format(
                path=config["data_dir"]))
        data.set_train_dir(str(config["data_dir"]))  # scans it: the class table and Train follow
    return missing


# The settings whose silent replacement a user would notice (issue 25: the data folder switched from
# the user's digits to the sample set, the learning rate from 0.015 to 0.001), with their words.
WATCHED_SETTINGS = (("data_dir", QT_TRANSLATE_NOOP("RunsControl", "data folder")),
                    ("val_dir", QT_TRANSLATE_NOOP("RunsControl", "validation folder")),
                    ("method", QT_TRANSLATE_NOOP("RunsControl", "method")),
                    ("backbone", QT_TRANSLATE_NOOP("RunsControl", "backbone")),
                    ("freeze", QT_TRANSLATE_NOOP("RunsControl", "freeze point")),
                    ("epochs", QT_TRANSLATE_NOOP("RunsControl", "epochs")),
                    ("warmup_epochs", QT_TRANSLATE_NOOP("RunsControl", "warm-up epochs")),
                    ("learning_rate", QT_TRANSLATE_NOOP("RunsControl", "learning rate")),
                    ("batch_size", QT_TRANSLATE_NOOP("RunsControl", "batch size")),
                    ("image_size", QT_TRANSLATE_NOOP("RunsControl", "image size")))


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)), abs(float(b)))
    if a in (None, "") and b in (None, ""):
        return True
    return str(a) == str(b)


def _shown(value: Any) -> str:
    if value in (None, ""):
        return QCoreApplication.translate("RunsControl", "none")
    return f"{value:g}" if isinstance(value, float) else str(value)


def settings_changes(current: dict[str, Any], recorded: dict[str, Any]) -> list[str]:
    """What putting a run's recorded settings into the fields would change, in words
    ("learning rate 0.015 → 0.001"); [] when the fields already show them."""
    changes = []
    for key, words in WATCHED_SETTINGS:
        if key in recorded and not _same(current.get(key), recorded.get(key)):
            changes.append(f"{QCoreApplication.translate('RunsControl', words)} {_shown(current.get(key))} → "
                           f"{_shown(recorded.get(key))}")
    return changes


class RunsControl(QObject):
    """Adds the Runs tab to ``result_tabs`` (``tab``) and carries out its requests with the pieces it
    is given: the panels (fields), the training controller (runs), the model files (opening a
    bundle), the model in use (what must not be deleted)."""

    def __init__(self, result_tabs: QTabWidget, panels: Panels, training: TrainingControl, files: ModelFiles,
                 model: ModelInUse, status: QStatusBar, parent: QWidget | None = None,
                 store_path: str | Path | None = None) -> None:
        super().__init__(parent)
        self.panels, self.training, self.files, self.model, self.status = panels, training, files, model, status
        self.dialog_parent = parent
        self.tab = RunsTab(store_path)
        self.delete_worker = Worker("delete runs", self)  # its own: a refresh never replaces a confirmed delete
        self.result_tabs = result_tabs
        result_tabs.addTab(self.tab, self.tr("Runs"))
        result_tabs.setTabToolTip(result_tabs.indexOf(self.tab), self.tr("Every training run: compare, use, train "
                                                                         "again, continue or delete"))
        self.tab.useRequested.connect(self.use_model)
        self.tab.trainAgainRequested.connect(self.train_again)
        self.tab.continueRequested.connect(self.continue_run)
        self.tab.deleteRequested.connect(self.delete_runs)
        result_tabs.currentChanged.connect(lambda _index: self._refresh_if_shown())
        training.runningChanged.connect(self._running_changed)
        training.worker.epochEnded.connect(lambda _event: self._refresh_if_shown())
        files.modelSaved.connect(lambda _path: self.tab.refresh())

    def _refresh_if_shown(self) -> None:
        if self.result_tabs.currentWidget() is self.tab:
            self.tab.refresh()

    def _running_changed(self, running: bool) -> None:
        self.tab.set_training(running)
        self.tab.refresh()

    # -- the buttons -----------------------------------------------------------------------
    def use_model(self, record: Any) -> None:
        """Open the run's bundle as the model in use, as File › Open model does."""
        if not record.bundle or not Path(record.bundle).is_dir():
            show_error(self.dialog_parent, self.tr("No model to open"),
                       self.tr("Run {run} has no model on disk any more (it was at {path}).").format(
                           run=record.id, path=record.bundle) if record.bundle else
                       self.tr("Run {run} has no model on disk.").format(run=record.id))
            return
        self.files.open_model(record.bundle)

    def train_again(self, record: Any) -> None:
        """The run's settings into the fields; the user presses Train (and may change something first)."""
        if self.training.worker.is_busy():
            return
        missing = apply_run_settings(self.panels, record.config)
        note = self.tr(" Not restored: {missing}.").format(missing="; ".join(missing)) if missing else ""
        self.panels.training.set_status(self.tr("The settings of run {run} are in the fields: press Train to train "
                                                "again.").format(run=record.id) + note, "warn" if missing else "ok")

    def continue_run(self, record: Any) -> None:
        """Continue a stopped or interrupted run from its last checkpoint in the engine, followed like
        a training run (curves, progress, Stop; its model comes into use when it ends)."""
        control = self.training
        if control.worker.is_busy() or not continuable(record):
            return
        # The run continues with its own settings, and the locked fields show them: the user's own are
        # replaced, so ask first, naming each one that changes (never a silent swap of data folder or rate).
        changes = settings_changes(control.train_config_kwargs(), record.config)
        if changes and not ask_yes_no(
                self.dialog_parent, self.tr("Continue run %s") % record.id,
                self.tr("Run %s continues with its own settings, which replace these in the fields:") % record.id
                + "\n\n" + "\n".join(f"• {change}" for change in changes) + "\n\n"
                + self.tr("Continue the run?")):
            self.panels.training.set_status(self.tr("Run %s was not continued; your settings are unchanged.")
                                            % record.id)
            return
        apply_run_settings(self.panels, record.config)  # the locked fields show what continues
        epochs = int(record.config.get("epochs") or record.epochs or 1)
        if not control.continue_run(record.id, record.config.get("method") or "finetune", epochs):
            return
        self._replay(record.history)
        changed = self.tr(" The fields show the run's settings (changed: %s).") % "; ".join(changes) if changes else ""
        self.panels.training.set_status(
            (self.tr("Writing the model of run {run} from its best checkpoint ({epochs} epochs trained)…")
             if record.epochs_done >= epochs else self.tr("Continuing run {run} after epoch {done} of {epochs}…"))
            .format(run=record.id, done=record.epochs_done, epochs=epochs) + changed)

    def _replay(self, history: list[dict[str, Any]]) -> None:
        """The epochs the run already finished, on the fresh curves (the engine reports only new ones)."""
        curves, previous = self.panels.curves, None
        total = self.training.epochs_total
        for index, row in enumerate(history):
            epoch = int(row.get("epoch") or index + 1)
            if previous is not None and previous != "finetune" and row.get("phase") == "finetune":
                curves.add_phase(SimpleNamespace(name="finetune", first_epoch=epoch - 1))
            previous = row.get("phase")
            curves.add_epoch(SimpleNamespace(epoch=epoch - 1, epochs=total, loss=row.get("loss"),
                                             val_loss=row.get("val_loss"), accuracy=row.get("accuracy"),
                                             val_accuracy=row.get("val_accuracy")))

    def delete_runs(self, records: list[Any]) -> None:
        """Ask, then forget the runs and delete their checkpoints and kept models, on a thread."""
        if not records:
            return
        in_use = self._model_in_use_inside(records)
        if in_use is not None:
            show_error(self.dialog_parent, self.tr("Run in use"),
                       self.tr("The model in use is run {run}'s, kept in its folder. Save it with File › Save "
                               "model… or use another model before deleting the run.").format(run=in_use.id))
            return
        names = ", ".join(record.id for record in records)
        saved = [r.bundle for r in records if r.bundle and r.id not in Path(r.bundle).parts]
        keep = self.tr(" Saved models stay where they are ({paths}).").format(paths=", ".join(saved)) if saved else \
            self.tr(" A model you saved elsewhere is never deleted.")
        question = (self.tr("Delete this run ({names})? Its record, checkpoints and the app's kept copy of its "
                            "model are removed.") if len(records) == 1 else
                    self.tr("Delete these {count} runs ({names})? Its record, checkpoints and the app's kept copy "
                            "of its model are removed.")).format(names=names, count=len(records))
        if not ask_yes_no(self.dialog_parent, self.tr("Delete runs"), question + keep):
            return
        ids, path = [record.id for record in records], self.tab.store_path

        def delete(_sink: Any, _cancel: Any) -> list[Any]:
            from core.runs.store import RunStore

            store = RunStore(path)
            for run_id in ids:
                store.delete(run_id)
            return read_runs(path)

        self.delete_worker.start(delete, "delete runs", on_done=self._deleted,
                              on_error=lambda message, details: show_error(
                                     self.dialog_parent, self.tr("Could not delete"),
                                                                           message, details))

    def _deleted(self, records: list[Any]) -> None:
        self.tab.show_runs(records)
        if self.tab.worker.is_busy():  # a refresh that began during the delete may have read too early
            self.tab.refresh()
        self.status.showMessage(self.tr("Deleted."), 5000)

    def _model_in_use_inside(self, records: list[Any]) -> Any:
        """The run among ``records`` whose folder holds the model in use (an unsaved trained model's
        kept copy, or an opened kept bundle), or None."""
        path = self.model.bundle_path
        for record in records:
            if path and record.id in Path(path).parts:
                return record
        return None
