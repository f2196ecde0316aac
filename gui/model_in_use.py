"""The model in use: the one the Try-it panel predicts with, the Results tab describes and
File › Save writes. One object owns it, so "which model is this?" has one answer.

Before, the training controller and the model-files controller each wrote three loose window
attributes (``result``, ``model_path``, ``comparison``) and then updated the panels by hand, each
its own way. Now they call :class:`ModelInUse`'s few transitions (a model was trained, opened or
saved, the engine restarted, a comparison ended) and :class:`ModelInUseDisplay` brings the
panels, the Save action and the status bar along on ``changed``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QStatusBar

from core.methods import uses_epochs

from .display_text import class_list, model_kind, short_label
from .engine_messages import engine_words
from .widgets.backbone_picker import BackbonePicker
from .widgets.common import accuracy_record
from .widgets.method_choice import MethodChoice
from .widgets.prediction_panel import PredictionPanel
from .widgets.results_panel import ResultsPanel

# What a ``changed`` signal says happened (listeners redo only what that change affects).
TRAINED = "trained"  # a just-trained model (a run, or one method of a comparison) is now in use
OPENED = "opened"  # a saved bundle was opened; no trained model is in use any more
SAVED = "saved"  # the trained model in use now also lives in a bundle the user chose
HANDLE = "handle"  # same model, new engine handle (the engine restarted: its kept bundle is used)
COMPARISON = "comparison"  # the compared models changed (a comparison ended, or a new run began)


def in_use_text(result: Any) -> str:
    """The status bar's line for a trained model in use: its method, and the C of an embeddings
    classifier (a comparison's last log line named the logistic regression's C whichever model was in use)."""
    metrics = result.metrics or {}
    classifier = metrics.get("classifier") or {}
    c = f", C = {classifier['C']:g}" if not uses_epochs(result.method) and "C" in classifier else ""
    accuracy = accuracy_words(metrics)
    if accuracy:
        return QCoreApplication.translate("ModelInUse", "In use: the {method} model{classifier}: validation "
                                          "accuracy {accuracy}.").format(method=engine_words(result.method_label),
                                                                         classifier=c, accuracy=accuracy)
    return QCoreApplication.translate("ModelInUse", "In use: the {method} model{classifier}.").format(
        method=engine_words(result.method_label), classifier=c)


def accuracy_words(metrics: dict[str, Any]) -> str:
    """"90 % (70-97 %) on 20 validation images" (the Wilson 95 % interval), and "(a rough number: few
    validation images per class)" when there are under ~30 per class; "" before any validation.
    Worded here from the numbers, so that it is translated (the engine's own wording is the fallback)."""
    record = accuracy_record(metrics)
    if record is None:
        accuracy = metrics.get("val_accuracy")
        return f"{accuracy * 100:.1f} %" if accuracy is not None else ""
    ci, count = record.get("accuracy_ci"), metrics.get("val_images")
    if record.get("accuracy") is not None and ci and None not in ci and count:
        from core.stats.intervals import _percent as percent  # the engine's rounding (scipy: imported late)

        numbers = {"percent": percent(record["accuracy"]), "low": percent(ci[0]), "high": percent(ci[1])}
        text = (QCoreApplication.translate("ModelInUse", "{percent} % ({low}-{high} %) on 1 validation image")
                .format(**numbers) if count == 1 else
                QCoreApplication.translate("ModelInUse", "{percent} % ({low}-{high} %) on {count} validation "
                                           "images").format(count=count, **numbers))
    else:
        text = record["text"]
    rough = QCoreApplication.translate("ModelInUse", " (a rough number: few validation images per class)")
    return text + (rough if record.get("note") else "")


def kept_note(result: Any, last: bool = False) -> str:
    """Where the engine kept ``result``'s model, for the end of a message ("" when it could not);
    ``last``: after a failure, it is the last model trained."""
    kept = getattr(result, "kept_path", None)
    if not kept:
        return ""
    if last:
        return QCoreApplication.translate("ModelInUse", " Your last trained model is safe in {path}; File › Save "
                                          "model… copies it to a place you choose.").format(path=kept)
    return QCoreApplication.translate("ModelInUse", " Your trained model is safe in {path}; File › Save model… "
                                      "copies it to a place you choose.").format(path=kept)


def kept_text(result: Any, compared: bool = False) -> str:
    """Where the engine kept a just-trained model (or why it could not), and what Save does."""
    kept = getattr(result, "kept_path", None)
    if kept and compared:
        return QCoreApplication.translate("ModelInUse", "Trained models kept in {folder} — File › Save model… to "
                                          "choose a place.").format(folder=Path(kept).parent)
    if kept:
        return QCoreApplication.translate("ModelInUse", "Trained model kept in {path} — File › Save model… to "
                                          "choose a place.").format(path=kept)
    error = getattr(result, "kept_error", None)
    if error:
        return QCoreApplication.translate("ModelInUse", "The model could not be kept on disk ({error}): save it "
                                          "now with File › Save model….").format(error=error)
    return QCoreApplication.translate("ModelInUse", "The model could not be kept on disk: save it now with "
                                      "File › Save model….")


class ModelInUse(QObject):
    """The model the window works with: a trained one (``result``, a core.engine.protocol.TrainSummary whose
    model lives in the engine, also kept on disk), or an opened bundle (``opened``); the bundle it
    lives in (``path``: saved there or opened from there) and the models of the last comparison.
    Emits ``changed(kind)`` after every transition; nothing else writes this state."""

    changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._result: Any = None
        self._opened: Any = None
        self._path: str | None = None
        self._comparison: dict[str, Any] = {}

    # -- what is in use --------------------------------------------------------------------
    @property
    def result(self) -> Any:
        """The trained model in use (None when none, or when an opened bundle is in use)."""
        return self._result

    @property
    def opened(self) -> Any:
        """The opened bundle in use (core.engine.protocol.ModelSummary), or None."""
        return self._opened

    @property
    def path(self) -> str | None:
        """The bundle behind the predictions: where the trained model was saved, or the opened one."""
        return self._path

    @property
    def comparison(self) -> dict[str, Any]:
        """``{method: TrainSummary}`` of the last comparison (a copy: only transitions change it)."""
        return dict(self._comparison)

    @property
    def handle(self) -> str | None:
        """The engine handle predictions use."""
        model = self._result if self._result is not None else self._opened
        return None if model is None else model.handle

    @property
    def metrics(self) -> dict[str, Any] | None:
        model = self._result if self._result is not None else self._opened
        return None if model is None else model.metrics

    @property
    def bundle_path(self) -> str | None:
        """The folder the model in use is on disk in: its bundle, else the trained model's kept copy."""
        return self._path or getattr(self._result, "kept_path", None)

    def is_saved(self) -> bool:
        return self._path is not None

    def can_save(self) -> bool:
        """Only a trained model is saved from the window (an opened one already is a bundle)."""
        return self._result is not None

    # -- transitions -----------------------------------------------------------------------
    def use_trained(self, result: Any) -> None:
        """A just-trained model (not saved yet) is now in use."""
        self._result, self._opened, self._path = result, None, None
        self.changed.emit(TRAINED)

    def use_opened(self, path: str, bundle: Any) -> None:
        """An opened bundle is now in use; the trained and compared models are let go."""
        self._result, self._opened, self._path = None, bundle, str(path)
        self._comparison = {}
        self.changed.emit(OPENED)

    def mark_saved(self, path: str) -> None:
        """The trained model in use was saved to ``path``."""
        self._path = str(path)
        self.changed.emit(SAVED)

    def set_comparison(self, results: dict[str, Any]) -> None:
        """The models of a comparison that ended ({} when a new run starts: theirs leave the engine)."""
        self._comparison = dict(results)
        self.changed.emit(COMPARISON)

    def switch_to_kept(self) -> None:
        """The engine process died and its in-memory models with it: the trained model in use and every
        compared one switch to the bundle the engine kept on disk (a fresh engine loads it when first
        asked to predict)."""
        for result in [self._result, *self._comparison.values()]:
            kept = getattr(result, "kept_path", None)
            if kept and str(getattr(result, "handle", "")).startswith("trained:"):
                result.handle = f"bundle:{kept}"
        if self._result is not None:
            self.changed.emit(HANDLE)


def describe(model: ModelInUse, backbone: BackbonePicker) -> str:
    """The Try-it panel's words for the model in use ("" when none)."""
    result, path = model.result, model.path
    if result is not None and path is None:
        words = {"kind": model_kind(backbone, result), "classes": class_list(result.class_names)}
        if getattr(result, "kept_path", None):
            return QCoreApplication.translate("ModelInUse", "your {kind} ({classes}; not saved yet (kept in the "
                                              "app's runs folder))").format(**words)
        return QCoreApplication.translate("ModelInUse", "your {kind} ({classes}; not saved yet)").format(**words)
    if result is not None:
        return QCoreApplication.translate("ModelInUse", "your {kind} ({classes})").format(
            kind=model_kind(backbone, result, Path(path).name), classes=class_list(result.class_names))
    bundle = model.opened
    if bundle is None:
        return ""
    info = backbone.info((bundle.config.get("train") or {}).get("backbone", ""))
    kind = f"{short_label(info.label)} " if info else ""
    kind += "" if uses_epochs(getattr(bundle, "method", "finetune")) else f"{engine_words(bundle.method_label)} "
    return QCoreApplication.translate("ModelInUse", "the {kind}model “{name}” ({classes})").format(
        kind=kind, name=Path(path or "").name, classes=class_list(bundle.class_names))


class ModelInUseDisplay(QObject):
    """Keeps what shows the model in use in step with it: the Try-it panel (handle and words) and
    File › Save on every change; the Results tab and the status bar when another model comes into
    use; the comparison table when the compared models change."""

    def __init__(self, model: ModelInUse, predict: PredictionPanel, results: ResultsPanel, method: MethodChoice,
                 backbone: BackbonePicker, save_action: QAction, status: QStatusBar) -> None:
        super().__init__(model)
        self.model, self.predict, self.results, self.method = model, predict, results, method
        self.backbone, self.save_action, self.status = backbone, save_action, status
        model.changed.connect(self.show)

    def show(self, kind: str) -> None:
        model = self.model
        self.predict.set_model(model.handle, describe(model, self.backbone), new_model=kind in (TRAINED, OPENED))
        self.save_action.setEnabled(model.can_save())
        if kind in (TRAINED, OPENED):
            self.results.show_metrics(model.metrics)
        if kind == TRAINED:
            self.status.showMessage(in_use_text(model.result))
        if kind in (COMPARISON, OPENED):
            comparison = model.comparison
            if comparison:
                self.method.show_comparison({m: r.metrics for m, r in comparison.items()})
            else:
                self.method.clear_comparison()
