"""The training methods, declared once for the CLI, the engine and the window (TensorFlow-free).

Fine-tuning trains the network; the two embeddings methods take the frozen network's features and
fit a classic linear classifier (core.training.classic), which is the robust choice under ~1000
images. Everything that names, lists or explains a method reads it from here.
"""
from __future__ import annotations

from dataclasses import dataclass

from core.messages import message


@dataclass(frozen=True)
class Method:
    id: str  # TrainConfig.method, --method, config.json "method"
    label: str  # in sentences: "validation accuracy of fine-tuning ..."
    title: str  # a menu or combo entry
    description: str  # one line on what it does, for tooltips and --help
    uses_epochs: bool  # whether epochs, learning rate, warm-up, augmentation and early stopping apply
    embeddings: bool  # features of the frozen network + a classic classifier


METHODS: dict[str, Method] = {m.id: m for m in (
    Method("finetune", message("method.finetune.label"), message("method.finetune.title"),
           message("method.finetune.description"), True, False),
    Method("svm", message("method.svm.label"), message("method.svm.title"), message("method.svm.description"),
           False, True),
    Method("logreg", message("method.logreg.label"), message("method.logreg.title"),
           message("method.logreg.description"), False, True),
)}
DEFAULT_METHOD = "finetune"
CLASSIC_METHODS: tuple[str, ...] = tuple(m.id for m in METHODS.values() if m.embeddings)
METHOD_LABELS: dict[str, str] = {m.id: m.label for m in METHODS.values()}

# Auto (core/auto/, core/jobs/auto.py) is not a method of TrainConfig: it *chooses* one of the above
# (and the backbone, freeze point, learning rate, epochs, augmentation) by cross-validation within a
# time budget. The window offers it first and by default; the CLI spells it ``train --auto``.
AUTO = Method("auto", message("method.auto.label"), message("method.auto.title"), message("method.auto.description"),
              False, False)
WINDOW_METHODS: dict[str, Method] = {AUTO.id: AUTO, **METHODS}  # the window's choices, Auto first
WINDOW_DEFAULT_METHOD = AUTO.id


def method_label(method: str) -> str:
    """Plain words for ``method`` (its id if unknown, e.g. from a newer bundle)."""
    return METHOD_LABELS.get(method, method)


def uses_epochs(method: str) -> bool:
    """Whether epochs, learning rate, warm-up, augmentation and early stopping apply to ``method``."""
    found = METHODS.get(method)
    return found.uses_epochs if found is not None else False
