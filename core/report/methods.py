"""The methods paragraph: what was done, in the words a methods section uses, from the configuration.

Only what the bundle or the run records is stated; what it does not record is left out rather
than guessed (an old bundle without a freeze record gets no freeze sentence)."""
from __future__ import annotations

from typing import Any

from core.backbones import BACKBONES
from core.config import default
from core.methods import method_label
from core.wording import plural

from .source import ReportSource, dataset_rows

AUGMENTATIONS = {"flip": "random horizontal flips", "rotation": "random rotations (up to 10% of a turn)",
                 "zoom": "random zoom (up to 15%)", "contrast": "random contrast changes (up to 20%)"}
VERSION_NAMES = {"python": "Python", "tensorflow": "TensorFlow", "keras": "Keras", "numpy": "NumPy",
                 "pillow": "Pillow", "scikit-learn": "scikit-learn", "finetune_studio": "Finetune Studio"}


def backbone_name(train: dict[str, Any]) -> str:
    """The backbone's one name, for a title ("EfficientNet-Lite0 (offline)", not that and its id)."""
    backbone = str(train.get("backbone") or "an unrecorded backbone")
    spec = BACKBONES.get(backbone)
    return spec.label if spec is not None else backbone


def backbone_words(train: dict[str, Any]) -> str:
    backbone = str(train.get("backbone") or "an unrecorded backbone")
    spec = BACKBONES.get(backbone)
    name = backbone
    if spec is not None:  # the id too, for whoever repeats the run; one pair of brackets, not two
        name = (f"{spec.label[:-1]}; {backbone})" if spec.label.endswith(")") else f"{spec.label} ({backbone})")
    weights = train.get("weights")
    if weights in (None, "none"):
        return f"{name}, trained from randomly initialised weights"
    if weights == "imagenet":
        return f"{name}, initialised with ImageNet-pretrained weights"
    return f"{name}, initialised with the weights file “{weights}”"


def _phases(source: ReportSource) -> list[tuple[str, int]]:
    """(phase, epochs run) in order, from the history."""
    phases: list[tuple[str, int]] = []
    for row in source.history:
        name = str(row.get("phase") or "train")
        if phases and phases[-1][0] == name:
            phases[-1] = (name, phases[-1][1] + 1)
        else:
            phases.append((name, 1))
    return phases


def _training_sentences(source: ReportSource) -> list[str]:
    train = source.train
    lr = float(train.get("learning_rate") or default("learning_rate"))
    factor = float(train.get("finetune_lr_factor") or default("finetune_lr_factor"))
    rates = {"warmup": lr, "head": lr, "train": lr, "finetune": lr * factor}
    what = {"warmup": "training only the new classification head (backbone frozen)",
            "head": "training the new classification head on the frozen backbone",
            "train": "training the whole network", "finetune": "fine-tuning the unfrozen layers and the head"}
    phases = _phases(source)
    planned = train.get("epochs")
    if phases:
        parts = [f"{plural(n, 'epoch')} {what.get(name, name)} at a learning rate of {rates.get(name, lr):g}"
                 for name, n in phases]
        done = sum(n for _, n in phases)
        plan = f" of the {planned} planned" if planned and planned != done else ""
        text = f"Training ran for {done} epochs{plan}: " + ", then ".join(parts) + "."
    else:
        text = f"Training was planned for {planned} epochs at a learning rate of {lr:g}."
    augment = [AUGMENTATIONS[k] for k, on in (train.get("augment") or {}).items() if on and k in AUGMENTATIONS]
    text += (f" The optimizer was Adam with sparse categorical cross-entropy, batch size {train.get('batch_size')}"
             f", head dropout {train.get('dropout', 0.2)}; augmentation: "
             f"{', '.join(augment) if augment else 'none'}.")
    patience = train.get("early_stopping_patience") or 0
    if patience:
        text += f" Early stopping was on (patience: {plural(patience, 'epoch')} without a lower validation loss)."
    if source.best_epoch:
        text += f" The weights of epoch {source.best_epoch} (lowest validation loss) were kept."
    if source.cancelled:
        text += " The run was stopped by the user before its planned end."
    return [text]


def methods_paragraph(source: ReportSource) -> str:
    """One paragraph of plain sentences (HTML-free: the caller escapes it)."""
    train = source.train
    sentences = []
    rows = dataset_rows(source)
    n_train = sum(r[1] for r in rows if r[1] is not None) if any(r[1] is not None for r in rows) else None
    n_val = sum(r[2] for r in rows if r[2] is not None) if any(r[2] is not None for r in rows) else None
    n_val = n_val if n_val is not None else source.metrics.get("val_images")
    n_train = n_train if n_train is not None else source.metrics.get("train_images")
    counts = (f" ({n_train} for training and {n_val} for validation)" if n_train is not None and n_val is not None
              else "")
    classes = len(source.class_names)
    method = source.method
    if method == "finetune":
        sentences.append(f"We fine-tuned {backbone_words(train)}, with a new softmax head for {classes} classes"
                         f"{counts}.")
    else:
        sentences.append(f"We used {backbone_words(train)} as a fixed feature extractor and fitted "
                         f"{method_label(method)} on its globally pooled features for {classes} classes{counts}.")
    if train.get("val_dir"):
        sentences.append(f"Validation images came from a separate folder; the random seed was {train.get('seed')}.")
    else:
        split = train.get("val_split")
        share = f"{float(split):.0%}" if split is not None else "a share"
        if train.get("group_by"):  # core/data/groups.py: whole groups on one side of the split
            rule = "their subfolder" if train["group_by"] == "subfolder" else f"the file-name pattern {train['group_by']}"
            sentences.append(f"About {share} of each class was held out for validation in whole groups (images "
                             f"grouped by {rule}, so that no group was on both sides), with random seed "
                             f"{train.get('seed')}.")
        else:
            sentences.append(f"A stratified random {share} of each class was held out for validation, with random "
                             f"seed {train.get('seed')}.")
    if source.image_size or train.get("image_size"):
        size = source.image_size or train.get("image_size")
        sentences.append(f"Images were resized to {size} × {size} pixels.")
    freeze = source.freeze or {}
    if freeze.get("total_layers"):
        frozen, total = freeze.get("frozen_layers", 0), freeze["total_layers"]
        cut = f" (up to the layer {freeze['cut_layer']})" if freeze.get("cut_layer") else ""
        verb = "used as features" if method != "finetune" else "were frozen"
        sentences.append(f"The first {frozen} of the backbone's {total} layers{cut} {verb}.")
    elif train.get("freeze") is not None:
        sentences.append(f"The backbone was frozen up to {train['freeze']}.")
    if method == "finetune":
        sentences += _training_sentences(source)
    else:
        search = (source.classifier or {}).get("search") or source.metrics.get("classifier") or {}
        if search.get("C") is not None:
            folds = search.get("cv_folds")
            how = f" chosen by {folds}-fold stratified cross-validation" if folds else ""
            sentences.append(f"The regularisation strength was C = {search['C']:g}{how}.")
    sentences += _accuracy_sentences(source.metrics)
    versions = [f"{VERSION_NAMES.get(k, k)} {v}" for k, v in source.versions.items() if v]
    if versions:
        sentences.append(f"Software: Finetune Studio with {', '.join(versions)}.")
    return " ".join(sentences)


def _accuracy_sentences(metrics: dict[str, Any]) -> list[str]:
    """The validation accuracy with its Wilson 95 % interval (recomputed from the count for a bundle
    saved before intervals), the plain "rough number" sentence under ~30 images per class, and how
    many groups each side of a keep-together split held."""
    from core.stats.intervals import recorded_accuracy

    record = recorded_accuracy(metrics)
    sentences = []
    if record is not None:
        sentences.append(f"The kept model reached a validation accuracy of {record['text']} (in parentheses the "
                         "Wilson 95 % confidence interval).")
        if record.get("note"):
            sentences.append(record["note"])
    elif metrics.get("val_accuracy") is not None:
        sentences.append(f"The kept model reached a validation accuracy of {metrics['val_accuracy']:.1%}.")
    groups = metrics.get("groups") or {}
    if groups.get("val_groups") is not None:
        sentences.append(f"The split kept {groups.get('train_groups')} groups for training and {groups['val_groups']} "
                         "for validation, none on both sides.")
    elif groups.get("in_both_folders"):
        sentences.append(f"{groups['in_both_folders']} groups had images in both the training and the validation "
                         "folder.")
    return sentences
