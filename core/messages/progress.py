"""The progress and status lines' English templates by id (see core/messages/__init__.py): the text
of the Progress and LogMessage events the engine sends. Grouped by the module that sends them.
"""

from __future__ import annotations

PROGRESS: dict[str, str] = {
    # core/data/scan.py (split_warning)
    "scan.split_warning":
        "Only {n_train:plural:training image} against {n_val} for validation: the model learns from very little. "
        "A validation split of 0.1 to 0.3 is usual.",
    # core/auto/finetune.py
    "finetune.auto_ran_out_memory":
        "Auto: {candidate} ran out of memory with batch size {batch}; retrying with {half_batch}.",
    # core/auto/search.py
    "auto.features": "features of {backbone_id} at layers {layers}",
    "auto.lr_finder": "learning-rate finder for {backbone_id} from layer {freeze}",
    "auto.lr_finder_skipped": "Auto: learning-rate finder skipped ({error_type}); using {fallback:g}",
    "auto.lr_finder_suggests": "Auto: learning-rate finder suggests {rate:.2g} for {backbone_id} from layer {freeze}",
    "auto.no_time_for_fold":
        "Auto: {candidate}: no time for another fold (needs ~{needed:.0f} s, {left:.0f} s left after reserving "
        "the final training)",
    "auto.fold": "{candidate}: fold {fold} of {folds}",
    "auto.no_time_for_finetuning": "Auto: no time left for fine-tuning; keeping the embeddings candidates",
    "auto.candidate_skipped": "Auto: {candidate} skipped: {reason}",
    "auto.backbone_left_out": "Auto: {backbone_id} left out: the embeddings stage has used its share of the budget",
    "auto.backbone_stopped": "Auto: {backbone_id} stopped while computing its features",
    "auto.backbone_out_of_memory": "Auto: {backbone_id} skipped: out of memory while computing its features",
    "auto.chose": "Auto: chose {candidate}: cross-validated accuracy {accuracy:.3f} on {folds} folds",
    "auto.final_training": "training the chosen recipe on all training images: {candidate}",
    "auto.final_out_of_memory":
        "Auto: the final training out of memory; keeping the last cross-validation fold's model",
    "auto.final_stopped":
        "Auto: the final training stopped before its first epoch; keeping the last cross-validation fold's model",
    # core/bundles/classify.py
    "classify.classified_images": "Classified {done} images",
    # core/bundles/evaluate.py
    "evaluate.evaluating": "Evaluating {done}/{n_files}",
    # core/bundles/export.py
    "export.converting": "Converting to {fmt}",
    "export.checking_export_images": "Checking the {fmt} export on {n_names} images",
    "export.exported": "Exported to {target}",
    # core/bundles/predict.py
    "predict.reading_images": "Reading images",
    # core/data/image_cache.py
    "image_cache.decoded_images_mb_exceed":
        "The decoded images ({size_mb:.0f} MB) exceed the memory budget ({budget:.0f} MB); using a "
        "memory-mapped file in {folder}.",
    "image_cache.read_from_cache": "Read {n_rows:plural:decoded image} from the cache.",
    "image_cache.cannot_use_image_cache_2":
        "Cannot use the image cache folder {folder} ({error}); decoding in memory.",
    "image_cache.decoded_came_from_cache":
        "Decoded {decoded:plural:new or changed image}; {n_files} came from the cache.",
    "image_cache.could_not_save_decoded":
        "Could not save decoded images to the cache ({error}); continuing without it.",
    # core/data/scan.py
    "scan.reading_images": "Reading images {done}/{total}",
    # core/insight/audit.py
    "audit.scanning": "Scanning {data_dir}",
    "audit.calibrating_near_duplicate_threshold":
        "Calibrating the near-duplicate threshold on altered copies of sample images.",
    "audit.cross_validating_classifier_embeddings": "Cross-validating a classifier on the embeddings",
    "audit.check_finished": "Check finished",
    # core/insight/embeddings.py
    "embeddings.computing_embeddings_images_from":
        "Computing embeddings of {n_todo} of {n_files} images ({n_cached} from the cache).",
    "embeddings.could_not_save_embeddings":
        "Could not save the embeddings to the cache ({error}); continuing without it.",
    "embeddings.comparing_pixels": "Comparing pixels {done}/{n_files}",
    # core/insight/overlays.py
    "overlays.explaining": "Explaining {done}/{n_images}",
    # core/jobs/compare.py
    "compare.comparing_methods": "Comparing methods: {method} ({n_results}/{n_methods})",
    # core/jobs/distribute.py
    "distribute.worker_trains_global_batch":
        "{workers:plural:worker}, {replicas:plural:replica}: this worker trains on {n_train:plural:image} of "
        "{n_all}, global batch {batch_size}.",
    "distribute.mirroredstrategy_over_batch_split":
        "MirroredStrategy over {n_devices:plural:device} ({devices}); the batch of {batch_size} is split among "
        "them.",
    # core/jobs/label.py
    "label.reading_folders": "Reading the folders",
    "label.ranking_unlabelled_images": "Ranking the unlabelled images",
    "label.suggestions_ready": "Suggestions ready",
    # core/jobs/predict.py
    "predict.copied_images": "Copied {done} of {n_items} images",
    # core/jobs/runs.py
    "runs.continuing_run_after_epoch": "Continuing run {id} after epoch {done} of {epochs}.",
    "runs.run_trained_all_epochs": "Run {id} trained all {epochs} epochs but its model was never written.",
    "runs.run_no_epochs_continue":
        "Run {id} ({method}) has no epochs to continue; fitting it again with the same settings.",
    "runs.images_changed_since_run":
        "The images in {data_dir} changed since run {id} started; the continued run trains on the folder as it "
        "is now.",
    # core/jobs/train.py
    "train.checkpoints_cannot_written_training":
        "Checkpoints cannot be written: {problem}. Training goes on without checkpoints (the run cannot be "
        "continued if it is interrupted); the model is still saved at the end.",
    # core/training/checkpoints.py
    "checkpoints.could_not_write_checkpoint":
        "Could not write the checkpoint of epoch {epoch}: {disabled}. Training goes on without checkpoints (the "
        "run cannot be continued if it is stopped); the model is saved at the end.",
    # core/training/classic.py
    "classic.fitting_features": "Fitting {method} on {n_features} features",
    "classic.chose_c": "Chose C = {C:g}",
    "classic.c_by_cross_validation": "{method}: C = {C:g} by {folds}-fold cross-validation",
    "classic.c_given": "{method}: C = {C:g}, given",
    "classic.c_too_few_images": "{method}: too few images per class for cross-validation; using C = 1",
    "classic.embeddings_from_network_random":
        "Embeddings from a network with random weights carry little meaning; choose pretrained weights for the "
        "embeddings methods.",
    # core/training/feature_cache.py
    "feature_cache.feature_cache_off_freeze": "Feature cache off at freeze point {position}: {reason}.",
    "feature_cache.frozen_layer_features_exceed":
        "Frozen-layer features ({size}) exceed the memory budget; keeping them in a temporary file in {folder} "
        "(slower than memory, much faster than recomputing).",
    # core/training/features.py
    "features.computing": "Computing features {done}/{total}",
    "features.calibrating": "Calibrating the unfamiliar-image check {done}/{total}",
    "features.frozen_training": "Computing frozen-layer features (training) {done}/{total}",
    "features.frozen_validation": "Computing frozen-layer features (validation) {done}/{total}",
    "features.embeddings": "Computing embeddings {done}/{total}",
    "auto.embedding_features": "Auto: features of {backbone_id} at {n_layers} layers {done}/{total}",
    # core/training/finish.py
    "finish.all_epochs_were_trained":
        "All {done} epochs were trained; writing the model from the best checkpoint, without training.",
    # core/training/lr_find.py
    "lr_find.learning_rate_sweep_steps":
        "Learning-rate sweep: {steps} steps from {start_lr:g} to {end_lr:g}, training {trained}.",
    "lr_find.learning_rate_sweep_rate": "Learning-rate sweep {step}/{steps}: rate {lr:.2g}, loss {loss:.3f}",
    # core/training/precision.py
    "precision.precision": "Precision: {why}.",
    # core/training/trainer.py
    "trainer.pixel_augmentation_frozen_layers":
        "Pixel augmentation is on: the frozen layers see new pixels every epoch, so their output cannot be "
        "cached; training reads decoded images and runs the whole network.",
    "trainer.stopped_user_keeping_best": "Stopped by the user; keeping the best epoch ({best_epoch}).",
    "trainer.validation_keeps_groups_whole":
        "Validation keeps groups by '{group_by}' whole: {train_groups} groups for training, {val_groups} for "
        "validation.",
    "trainer.groups_images_both_training":
        "{n_both} groups by '{group_by}' have images in both the training and the validation folder (e.g. "
        "{both}): validation accuracy may be inflated.",
}
