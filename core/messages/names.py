"""The English templates of the words the engine gives things the window names (see
core/messages/__init__.py): the training methods' names and descriptions, the offline backbones'
labels, Auto's candidate recipes and their leaderboard statuses, and the notes that come with
predictions and counts. They are not errors or progress lines, but the window shows them as they
come, so they are translated the same way: by template, in the context "EngineMessages"
(gui/engine_messages.engine_words finds the template a text was made from; a leaderboard status
also travels with its id).
"""

from __future__ import annotations

NAMES: dict[str, str] = {
    # core/methods.py: label (in sentences), title (a menu entry), description (a tooltip, --help)
    "method.finetune.label": "fine-tuning",
    "method.finetune.title": "Fine-tune the network",
    "method.finetune.description": "Trains the new head, then adapts the unfrozen layers (epochs)",
    "method.svm.label": "embeddings + linear SVM",
    "method.svm.title": "Embeddings + SVM",
    "method.svm.description":
        "Features from the frozen network, then a linear SVM with calibrated probabilities; the freeze slider picks "
        "the feature layer",
    "method.logreg.label": "embeddings + logistic regression",
    "method.logreg.title": "Embeddings + logistic regression",
    "method.logreg.description":
        "Features from the frozen network, then logistic regression; the freeze slider picks the feature layer",
    "method.auto.label": "Auto",
    "method.auto.title": "Auto (recommended)",
    "method.auto.description":
        "Tries embeddings and fine-tuning recipes by cross-validation on the training images within a time budget, "
        "then trains the best one and fills in its settings",
    # core/auto/candidates.py: an Auto candidate recipe's name (a leaderboard row, {candidate} in Auto's
    # progress lines, config.json's "auto" record) and its status in the leaderboard
    "auto.candidate.finetune": "{backbone}: fine-tune from layer {layer}",
    "auto.candidate.finetune_augmented": "{backbone}: fine-tune from layer {layer}, augmented",
    "auto.candidate.logreg": "{backbone}: embeddings + logistic regression on layer {layer} (C={c:g})",
    "auto.candidate.svm": "{backbone}: embeddings + linear SVM on layer {layer} (C={c:g})",
    "auto.status.waiting": "waiting",
    "auto.status.scored": "scored",
    "auto.status.stopped": "stopped",
    "auto.status.skipped_time": "skipped (needs ~{needed:.0f} s per fold)",
    "auto.status.skipped": "skipped ({reason})",
    # core/auto/finetune.py: why a candidate was skipped ({reason} above)
    "finetune.out_of_memory_smallest_batch": "out of memory even with batch size {batch}",
    # core/auto/search.py: the fold scheme and what Auto's final model was trained on (the "auto" record)
    "auto.fold_scheme": "{k}-fold x {repeats} repeated stratified",
    "auto.fold_scheme_grouped": "{k}-fold x {repeats} repeated stratified, grouped",
    "auto.refit.all_images": "all training images",
    "auto.refit.stopped": "stopped: the model of the last cross-validation fold, not retrained on all images",
    "auto.refit.out_of_memory": "out of memory: the model of the last cross-validation fold",
    "auto.refit.final_stopped": "stopped before its first epoch: the model of the last cross-validation fold",
    # core/backbones/__init__.py
    "backbone.offline": "{name} (offline)",
    # core/stats/validation.py, core/bundles/statistics.py, core/stats/conformal.py
    "statistics.uncalibrated": "This model was saved before calibration: its probabilities are the raw ones.",
    "statistics.damaged": "This model's calibration file is damaged and was ignored: its probabilities are the raw ones.",
    "statistics.too_few_for_sets":
        "Prediction sets at {coverage:.0%} coverage need at least {need} validation images; this model has {n}. "
        "Use a lower coverage or more labelled images.",
    # core/bundles/counting.py, core/report/calibration.py
    "counts.no_adjustment":
        "This model has no validation statistics (saved before calibration), so only the raw counts are given; "
        "train it again to get adjusted proportions.",
    "counts.thin_validation":
        "Some classes have fewer than {n} validation images: the adjusted proportions rest on few examples of the "
        "model's mistakes, so read them with their intervals; more labelled validation images make them firmer.",
}
