"""The user errors' English templates by id (see core/messages/__init__.py). Grouped by the module that
raises them; an id never changes once released (translations are found by it).
"""

from __future__ import annotations

ERRORS: dict[str, str] = {
    # core/errors.py (made in the errors' own __init__)
    "backbone.unknown": "Unknown backbone '{backbone_id}'. Choose one of: {choices}.",
    "weights.unavailable":
        "The ImageNet weights file '{file_name}' is not on this computer and could not be downloaded ({cause}). "
        "On a computer with internet access, download it from {url} and copy it into {cache_dir} (or into a "
        "folder named in the FTS_WEIGHTS_DIR setting), then try again. Alternatively choose the offline "
        "backbone 'efficientnet_lite0'.",
    # core/backbones/weights.py
    "weights.bad_file_from_url":
        "The ImageNet weights file {path} cannot be used: {reason}. Delete it, download it again from {url} and "
        "copy it to the same place, then try again. Or choose the offline backbone 'efficientnet_lite0'.",
    "weights.bad_file":
        "The ImageNet weights file {path} cannot be used: {reason}. Delete it, download it again and copy it to "
        "the same place, then try again. Or choose the offline backbone 'efficientnet_lite0'.",
    # core/bundles/sorting.py
    "sorting.link_refusal":
        "The class folder '{folder}' is a link; a sort never writes through a link (it could lead into a dataset "
        "and add images to a class). Remove the link or choose another sort folder.",
    # core/runs/recorder.py
    "recorder.unsaved":
        "Could not save the model to '{target}': {reason}; nothing was written there and a model already there "
        "is unchanged.",
    "recorder.unsaved_in_run":
        "Could not save the model to '{target}': {reason}; nothing was written there and a model already there "
        "is unchanged. The trained model is kept in run {run_id}'s checkpoints ({folder}): free some space, or "
        "write it elsewhere without training with 'finetune-studio train --resume {run_id} --out OTHER_FOLDER'.",
    # core/data/scan.py (no_usable_images_message)
    "scan.no_files": "No usable images in '{root}': its class folders hold no files. Supported file types: {extensions}.",
    "scan.no_usable_images":
        "No usable images in '{root}': {n_skipped:plural:file} skipped ({kinds}). Supported file types: "
        "{extensions}.",
    # core/training/callbacks.py
    "training.loss_not_finite":
        "Training stopped because the loss became NaN or infinite. Lower the learning rate (now "
        "{learning_rate:g}) and try again.",
    "training.loss_exploded":
        "Training stopped because the loss exploded to {loss:.3g} (it started near {reference:.3g}). Lower the "
        "learning rate (now {learning_rate:g}) and try again.",
    # core/backbones/keras_hook.py
    "keras_hook.could_not_copy_weights":
        "Could not copy the weights file {local} into Keras' weights folder {cache}: {disk_reason}. Make room "
        "there (or set KERAS_HOME to a folder you can write to), then try again.",
    # core/backbones/lite_weights.py
    "lite_weights.model_lacks_layers_weights": "model lacks layers the weights need: {missing}",
    "lite_weights.pytorch_tensor_s_not": "{n_unused} PyTorch tensor(s) not used: {unused}",
    "lite_weights.pytorch_tensor_missing_from": "PyTorch tensor {key} is missing from the state dict",
    "lite_weights.pytorch_tensor_would_used": "PyTorch tensor {key} would be used twice",
    "lite_weights.keras_layer_no_pytorch": "Keras layer {layer_name} has no PyTorch counterpart",
    "lite_weights.shape_mismatch_vs": "shape mismatch for {layer_name} <- {tensor}: {shapes} vs {expected}",
    "lite_weights.could_not_save_converted":
        "Could not save the converted {title} weights in {target_parent}: {disk_reason}. Make room there (they "
        "need about {cache_mb} MB) or set FTS_CACHE_DIR to a folder you can write to, then try again.",
    "lite_weights.unexpected_weighted_layer": "unexpected weighted layer {layer_name} ({layer_type})",
    # core/bundles/bundle.py
    "bundle.not_model_bundle_so":
        "'{path}' is {kind} that is not a model bundle, so it will not be overwritten; choose a new name or an "
        "empty folder.",
    "bundle.cannot_save_file_not":
        "Cannot save to '{target}': '{ancestor}' is a file, not a folder; choose another place.",
    "bundle.cannot_save_folder_not":
        "Cannot save to '{target}': the folder '{ancestor}' is not writable; choose a folder you can write to.",
    "bundle.not_enough_free_space":
        "Not enough free space to save to '{target}': about {needed_bytes} needed, {free} free; free some space "
        "or choose another disk.",
    "bundle.no_model_bundle_expected": "No model bundle at '{folder}' (expected a folder containing {MODEL_FILE}).",
    "bundle.not_complete_model_bundle": "'{folder}' is not a complete model bundle: missing {missing}.",
    "bundle.bundle_damaged": "The bundle '{folder}' has a damaged {CONFIG_FILE}.",
    "bundle.bundle_damaged_2": "The bundle '{folder}' has a damaged {LABELS_FILE}.",
    "bundle.bundle_inconsistent_labels_but":
        "The bundle '{folder}' is inconsistent: {n_labels} labels but the model has {n_outputs} "
        "outputs.",
    "bundle.cannot_save_there": "Cannot save there: {error}",
    "bundle.cannot_create_folder_choose":
        "Cannot create the folder '{target_parent}' ({reason}); choose another place.",
    "bundle.internal_error_save_into": "Internal error: the save into '{target}' did not write {REQUIRED_FILES}.",
    "bundle.bundle_damaged_3": "The bundle '{folder}' is damaged ({error}).",
    "bundle.model_file_could_not": "The model file in '{folder}' could not be loaded ({error}).",
    "bundle.bundle_uses_unknown_method": "The bundle '{folder}' uses an unknown method '{method}'.",
    # core/bundles/classify.py
    "classify.folder_csv_file_does": "The folder of the CSV file '{path}' does not exist.",
    "classify.exists_not_regular_file": "'{path}' exists and is not a regular file; it will not be overwritten.",
    "classify.exists_not_csv_written":
        "'{path}' exists and is not a CSV written by 'predict'; it will not be overwritten. Choose a new file "
        "name.",
    "classify.no_images_found_image": "No images found in {items} (image types: {IMAGE_EXTENSIONS}).",
    "classify.sort_folder_exists_not": "The sort folder '{sort_into}' exists and is not a folder.",
    "classify.inside_input_folder_which":
        "The {what} '{target}' is inside the input folder '{folder}', which is only ever read; choose a place "
        "outside it.",
    "classify.sorting_into_would_copy":
        "Sorting into '{sort_into}' would copy images into the input folder '{folder}'; choose a sort folder "
        "elsewhere.",
    # core/bundles/counting.py
    "counting.folder_summary_file_does": "The folder of the summary file '{target}' does not exist.",
    "counting.summary_file_inside_input":
        "The summary file '{target}' is inside the input folder '{folder}', which is only ever read; choose a "
        "place outside it.",
    "counting.exists_not_regular_file": "'{target}' exists and is not a regular file; it will not be overwritten.",
    "counting.exists_not_counts_summary":
        "'{target}' exists and is not a counts summary written by 'predict'; it will not be overwritten. Choose "
        "a new file name.",
    # core/bundles/evaluate.py
    "evaluate.model_does_not_know":
        "The model does not know the class folder(s) {unknown} in '{data_dir}'. It knows: {class_names}.",
    # core/bundles/export.py
    "export.folder_export_does_not": "The folder '{target_parent}' for the export does not exist.",
    "export.exists_not_earlier_export":
        "'{out}' exists and is not an earlier export; choose a new folder name for the export (it is never "
        "written over, so no images or other files can be lost).",
    "export.created_someone_else_during": "'{out}' was created by someone else during the export; nothing written.",
    # core/bundles/untrusted.py
    "untrusted.model_file_refused_holds": "The model file in '{folder}' was refused: it holds {n_members} files.",
    "untrusted.model_file_refused_would":
        "The model file in '{folder}' was refused: its {filename} would unpack to {file_size} (damaged or "
        "hostile).",
    # core/cli/lr_find.py
    "lr_find.folder_does_not_exist": "The folder '{data_dir}' does not exist.",
    # core/cli/train.py
    "train.model_folder_inside_image":
        "The model folder '{out}' is inside the image folder '{folder}', which is only ever read; choose a "
        "folder outside it.",
    # core/config.py
    "config.must_got": "{name} must be {describe} (got {value}).",
    "config.warm_up_epochs_warmup":
        "Warm-up epochs (--warmup-epochs) must be at most the number of epochs, {epochs} (got {warmup}).",
    "config.image_size_image_size":
        "Image size (--image-size) must be at least {min_input_size} for {label} (got {size}).",
    "config.unknown_training_setting_s": "Unknown training setting(s): {unknown} (known: {known}).",
    # core/data/copy_in.py
    "copy_in.cannot_class_name_give": "'{name}' cannot be a class name: give the class a name.",
    "copy_in.cannot_class_name_must": "'{cleaned}' cannot be a class name: it must not contain '/' or '\\'.",
    "copy_in.cannot_class_name_name":
        "'{cleaned}' cannot be a class name: a name starting with '.' is a hidden folder, never a class.",
    "copy_in.cannot_class_name_contains": "'{cleaned}' cannot be a class name: it contains a control character.",
    "copy_in.dataset_folder_does_not": "The dataset folder '{root}' does not exist or is not a folder.",
    "copy_in.exists_not_folder_choose": "'{folder}' exists and is not a folder: choose another class name.",
    "copy_in.not_image_file": "'{src}' is not an image file.",
    "copy_in.already_inside_dataset": "'{src}' is already inside the dataset '{root}'.",
    "copy_in.dataset_no_class_add": "The dataset '{root}' has no class '{class_name}' (add it by name first).",
    "copy_in.changed_since_copied_kept":
        "'{target_name}' in '{class_name}' has changed since it was copied; it was kept.",
    "copy_in.could_not_copy_into": "Could not copy '{src_name}' into '{class_name}' ({reason}); nothing was copied.",
    # core/data/groups.py
    "groups.keep_together_rule_group":
        "Keep-together rule (--group-by) is empty: give 'subfolder' or a regular expression such as "
        "'^(slide\\d+)_'.",
    "groups.too_few_images_groups": "Too few images (or groups) per class for cross-validation: it needs at least 2.",
    "groups.validation_split_must_between": "The validation split must be between 0 and 1 (got {val_fraction}).",
    "groups.keeping_images_together_leaves":
        "Keeping images together by '{spec}' leaves {n_groups:plural:group}: too few to split into training and "
        "validation. Give a validation folder (--val-dir) or a finer rule.",
    "groups.keep_together_rule_group_2":
        "Keep-together rule (--group-by) '{text}' is not a valid regular expression ({error}); use 'subfolder' "
        "or a pattern such as '^(slide\\d+)_'.",
    # core/data/image_cache.py
    "image_cache.image_size_image_size": "Image size (--image-size) must be a whole number of pixels (got {size}).",
    "image_cache.decoding_px_needs_about":
        "Decoding {n_images:plural:image} at {size} px needs about {needed} ({fit} fit in memory), and the cache "
        "folder {folder} has {free} free; use a smaller --image-size or free some space.",
    "image_cache.cannot_use_image_cache":
        "Cannot use the image cache folder {folder} ({reason}), and decoding {n_files:plural:image} at {size} px "
        "in memory needs about {needed}; use a smaller --image-size or fix the cache folder.",
    # core/data/move_file.py
    "move_file.not_image_inside_data": "'{source}' is not an image inside the data folder '{root}'.",
    "move_file.data_folder_no_class": "The data folder '{root}' has no class folder '{class_name}'.",
    "move_file.already_class": "'{source_name}' is already in the class '{class_name}'.",
    "move_file.already_file_named_nothing":
        "'{class_name}' already has a file named '{source_name}'; nothing was moved (rename one of them first).",
    "move_file.already_file_named_nothing_2":
        "'{class_name}' already has a file named '{source_name}'; nothing was moved.",
    "move_file.could_not_move_nothing":
        "Could not move '{source_name}' to '{class_name}' ({reason}); nothing was moved.",
    "move_file.could_not_move_could":
        "Could not move '{source_name}' to '{class_name}': could not remove it from its folder ({reason}); "
        "nothing was moved.",
    "move_file.could_not_copy_nothing":
        "Could not copy '{source_name}' to '{class_name}' ({reason}); nothing was moved.",
    # core/data/outputs.py
    "outputs.inside_dataset_folder_which":
        "'{out}' is inside the dataset folder '{dataset}', which is only ever read: the next training would "
        "take what is written there for images. Choose a place outside it.",
    "outputs.file_not_folder_choose": "'{path}' is a file, not a folder; choose a folder for this output.",
    "outputs.folder_not_file_choose": "'{path}' is a folder, not a file; choose a file name for this output.",
    "outputs.file_not_folder_so": "'{place}' is a file, not a folder, so '{path}' cannot be made.",
    "outputs.cannot_written_folder_takes":
        "'{path}' cannot be written: the folder '{place}' takes no new files ({reason}).",
    # core/data/scan.py
    "scan.folder_does_not_exist": "The folder '{root}' does not exist or is not a folder.",
    "scan.contains_no_class_folders":
        "'{root}' contains no class folders. Put the images of each class into their own subfolder, e.g. "
        "cells/healthy/*.jpg and cells/infected/*.jpg.",
    "scan.found_only_classifier_needs":
        "Found only {n_class_names:plural:class folder} in '{root}'. A classifier needs at least two classes: "
        "make one subfolder per class.",
    "scan.every_class_needs_least": "Every class needs at least {min_per_class:plural:usable image}; too few in {small}.",
    "scan.too_few_images_excluded":
        "Every class needs at least {min_per_class:plural:usable image}; too few in {small}. Excluded images do "
        "not count: include them again in the Data panel, or audit --clear-exclusions.",
    "scan.validation_classes_differ":
        "The validation folder '{root}' must have the same class folders as the training folder (missing "
        "{missing}; unexpected {unexpected}).",
    "scan.validation_classes_missing":
        "The validation folder '{root}' must have the same class folders as the training folder (missing "
        "{missing}).",
    "scan.validation_classes_unexpected":
        "The validation folder '{root}' must have the same class folders as the training folder (unexpected "
        "{unexpected}).",
    "scan.no_images_use_all":
        "No images to use in '{root}': all {n_excluded:plural:image} are excluded from training (Include all "
        "again in the Data panel, or audit --clear-exclusions).",
    # core/insight/gradcam.py
    "gradcam.model_no_spatial_layer": "The model has no spatial layer '{name}' (the last ones are: {last_layers}).",
    "gradcam.model_no_layer_spatial": "This model has no layer with a spatial feature map to explain.",
    # core/jobs/audit.py
    "audit.folder_does_not_exist": "The folder '{folder}' does not exist or is not a folder.",
    # core/jobs/distribute.py
    "distribute.batch_size_global_batch":
        "--batch-size {batch_size} is the global batch and must divide evenly among the {replicas} replicas of "
        "the {workers} workers",
    "distribute.workers_see_different_images":
        "the workers see different images (another folder, or files added meanwhile); every worker must read "
        "the same DATA_DIR",
    "distribute.another_worker_cluster_stopped":
        "another worker of the cluster stopped or became unreachable during training ({reason}); no bundle was "
        "written. Start all workers again.",
    # core/jobs/explain.py
    "explain.model_no_class_classes": "The model has no class '{class_name}'; its classes are: {classes}.",
    "explain.output_file_give_folder": "The output '{out_dir}' is a file; give a folder for the overlay images.",
    "explain.output_folder_holds_image":
        "The output folder '{out_dir}' holds the image '{image}'; overlays written there would mix with your "
        "images. Choose a folder outside them.",
    # core/jobs/label.py
    "label.unlabelled_folder_must_not":
        "The unlabelled folder must not be the dataset folder or inside it (it would be taken for a class).",
    # core/jobs/report.py
    "report.cannot_read_counts_summary":
        "Cannot read the counts summary '{path}' ({error}); give a file written by 'predict FOLDER --summary'.",
    "report.not_model_bundle_folder":
        "'{run_id}' is not a model bundle (a folder with model.keras, labels.json and config.json).",
    # core/jobs/runs.py
    "runs.run_still_running_can": "Run {id} is still running; it can be continued once it has stopped.",
    "runs.run_no_checkpoint_continue":
        "Run {id} has no checkpoint to continue from (it stopped before its first epoch ended, or its folder "
        "was deleted); train it again instead.",
    "runs.run_already_finished_epochs":
        "Run {id} has already finished {done} of {epochs} epochs; give --epochs N with N larger than {done} to "
        "train it further.",
    # core/report/html_report.py
    "html_report.folder_link_give_file": "'{out}' is a folder or a link; give a file name such as report.html.",
    "html_report.folder_report_does_not": "The folder '{target_parent}' for the report does not exist.",
    "html_report.exists_not_earlier_report":
        "'{out}' exists and is not an earlier report, so it will not be overwritten; choose another name.",
    # core/report/source.py
    "source.not_model_bundle_folder": "'{folder}' is not a model bundle (a folder with {BUNDLE_FILES}).",
    "source.bundle_damaged_config_json": "The bundle '{folder}' is damaged (config.json or labels.json).",
    "source.bundle_file_could_not": "The bundle file '{path}' could not be read ({error}).",
    # core/runs/store.py
    "store.run_store_could_not": "The run store '{path}' could not be read or written ({text}){hint}",
    "store.there_no_run_see": "There is no run '{run_id}' (see 'runs' for the list).",
    "store.run_still_running_stop": "Run {id} is still running; stop it before deleting it.",
    "store.folder_run_store_cannot": "The folder of the run store '{path}' cannot be made ({reason}).",
    "store.run_store_damaged_could":
        "The run store '{path}' is damaged ({error}) and could not be moved aside ({reason}); move or delete it "
        "to start a fresh one.",
    "store.names_several_runs_give": "'{run_id}' names several runs ({items}, ...); give more of the id.",
    "store.there_no_run": "There is no run '{run_id}'.",
    # core/training/checkpoints.py
    "checkpoints.checkpoint_s_does_not":
        "The checkpoint's {what} does not match the model built from the run's settings (another version, or "
        "changed settings); train it again instead.",
    "checkpoints.run_no_checkpoint_left":
        "This run has no checkpoint left to continue from (it stopped before its first epoch ended, or its "
        "folder was pruned); train it again instead.",
    "checkpoints.checkpoint_written_seed_not": "The checkpoint was written with seed {written_seed}, not {seed}.",
    # core/training/classic.py
    "classic.classifier_refused": "The classifier in '{folder}' was refused: {why}.",
    # core/training/distribute.py
    "distribute.distribute_multiworker_needs_tf":
        "--distribute multiworker needs the TF_CONFIG environment variable (every worker's host:port and this "
        "worker's index), for example {TF_CONFIG_EXAMPLE}",
    "distribute.tf_config_needs_cluster":
        'TF_CONFIG needs a "cluster" and a "task" object; for example {TF_CONFIG_EXAMPLE}',
    "distribute.tf_config_s_cluster":
        'TF_CONFIG\'s cluster has jobs {unknown}; multi-worker training uses only "worker" (and optionally one '
        '"chief")',
    "distribute.tf_config_s_cluster_2": 'TF_CONFIG\'s cluster must list "worker" addresses (and at most one "chief")',
    "distribute.tf_config_s_cluster_3": "TF_CONFIG's cluster lists no workers",
    "distribute.tf_config_s_task":
        'TF_CONFIG\'s task {task} is not one of the cluster\'s workers ("type": "worker", "index": 0 to '
        "{n_workers})",
    "distribute.distribute_must_one_got": "--distribute must be one of {KINDS} (got '{kind}')",
    "distribute.method_fits_classifier_features":
        "--method {method} fits a classifier on features in seconds on one machine; --distribute {kind} is for "
        "fine-tuning (use --distribute none)",
    "distribute.batch_size_global_batch_2":
        "--batch-size {batch_size} is the global batch and must divide evenly among the {n_workers} workers",
    "distribute.early_stopping_weights_none":
        "--early-stopping with --weights none cannot be used with --distribute multiworker: each worker "
        "re-estimates BatchNorm statistics on its own shard, so the workers could disagree on when to stop",
    "distribute.distribute_mirrored_trains_machine":
        "--distribute mirrored trains on this machine's GPUs, and TensorFlow finds none (install with pip "
        "install -e '.[gpu]' on an NVIDIA machine, or use --distribute none)",
    "distribute.tf_config_not_valid": "TF_CONFIG is not valid JSON ({error}); for example {TF_CONFIG_EXAMPLE}",
    "distribute.tf_config_lists_which": "TF_CONFIG lists '{address}', which is not host:port",
    # core/training/finish.py
    "finish.no_checkpoint_write_model":
        "No checkpoint in '{folder}' to write a model from; train the run again instead.",
    "finish.checkpoints_hold_epochs_continue":
        "The checkpoints in '{folder}' hold {done} of {epochs} epochs; continue the run to train the rest.",
    "finish.tensorboard_file_not_folder":
        "--tensorboard '{target}' is a file, not a folder{where}; give a folder for the logs.",
    "finish.tensorboard_folder_not_writable":
        "--tensorboard '{target}': the folder '{existing}' is not writable; give a folder you can write to.",
    # core/training/lr_find.py
    "lr_find.steps_steps_must_whole":
        "Steps (--steps) must be a whole number from {MIN_STEPS} to {MAX_STEPS} (got {steps}).",
    "lr_find.unknown_suggestion_method_choose": "Unknown suggestion method '{method}' (choose {SUGGESTIONS}).",
    # core/training/memory.py
    "memory.needs_px_batch_size":
        "{what} needs {describe} at {image_size} px with batch size {batch_size}; this machine has {gb} free. "
        "Use a smaller --image-size or --batch-size.",
    # plain ValueErrors the window shows (core.errors.WordedValueError)
    "search.auto_needs_least_training": "Auto needs at least 2 training images of every class to cross-validate.",
    "freeze.neither_layer_nor_stage": "'{n}' is neither a layer nor a stage of this backbone.",
    "freeze.freeze_point_must_between":
        "The freeze point must be between {lowest} and {total} (got {n}); a negative count is counted from the end.",
    "exclusions.not_inside_data_folder": "'{path}' is not inside the data folder '{root}'.",
    "server.engine_does_not_know": "This engine does not know the job {job}; restart the application.",
    "state.those_results_no_longer":
        "Those results are no longer in the engine (it was restarted, or newer folders were classified since); "
        "classify the folder again.",
    "state.model_no_longer_memory": "That model is no longer in memory. Open it again with File › Open model….",
    "label.ask_least_one_suggestion": "Ask for at least one suggestion.",
    "save.model_no_longer_memory":
        "That model is no longer in memory and its kept copy is gone; train it again before saving.",
    "classic.svm_s_probability_calibration":
        "The SVM's probability calibration needs at least 2 training images per class; add images or choose "
        "logistic regression.",
    "lr_find.sweep_needs_start_end": "The sweep needs 0 < start < end (got {start_lr:g} to {end_lr:g}).",
    "lr_find.loss_not_finite_any":
        "The loss was not finite at any rate of the sweep; check the images and the weights.",
    "model.needs_images_least_px": "{label} needs images of at least {min_input_size} px (got {input_size}).",
    "trainer.no_usable_validation_images": "No usable validation images remain after skipping unreadable files.",
}
