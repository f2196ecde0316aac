"""The door of ``save`` (the window's Save and the engine's safety net): every finished model is
kept on disk in the run's folder before the window hears of it, so a dead engine loses nothing; Save
copies the kept bundle, or writes the model from memory when keeping failed."""
from __future__ import annotations

import logging
import traceback
from pathlib import Path
from typing import Any

from core.backbones.weights import disk_reason
from core.errors import WordedValueError
from core.jobs.train import save_training_result
from core.wording import first_line

log = logging.getLogger("finetune_studio")


def keep_results(results: dict[str, Any], root: Path | None = None, keep: int | None = None) -> dict[str, str]:
    """Write every ``{key: TrainResult}`` of one run into a new run folder of the kept runs
    (core/bundles/kept_runs.py), one bundle per method; ``{key: bundle path}``. Then prune the
    runs folder to the newest ``keep`` runs: only folders of completed runs (or of none recorded)
    go; a run still running, stopped, interrupted or failed keeps its checkpoints to continue from,
    and the folders written here stay. A pruned run's record forgets the bundle that was in it."""
    from core.bundles import kept_runs

    kept: dict[str, str] = {}
    written: set[Path] = set()
    for key, result in results.items():
        method = getattr(result.config, "method", None) or key or "model"
        run = kept_runs.run_dir(getattr(result, "run_id", None), root)  # the run's own folder, beside its checkpoints
        written.add(run)
        kept[key] = str(save_training_result(result, run / method))
    log.info("kept %d trained model(s) in %s", len(kept), run)
    _prune_kept(run.parent, kept_runs.KEEP_RUNS if keep is None else keep, written)
    return kept


def _prune_kept(root: Path, keep: int, written: set[Path]) -> None:
    import sqlite3

    from core.bundles import kept_runs
    from core.runs.store import RunStore

    try:
        store = RunStore()
        records = {record.id: record for record in store.runs()}
    except (sqlite3.Error, OSError) as error:  # which runs may be continued is unknown: delete nothing
        log.error("kept runs not pruned: the run store cannot be read (%s)", error)
        return
    spare = written | {root / run_id for run_id, record in records.items() if record.status != "completed"}
    for folder in kept_runs.prune(root, keep, spare=spare):
        record = records.get(folder.name)
        if record is not None and record.bundle and Path(record.bundle).is_relative_to(folder):
            try:
                store.update(record.id, bundle=None)
            except (sqlite3.Error, OSError) as error:
                log.error("could not clear the bundle of pruned run %s: %s", record.id, error)


def keep_on_disk(results: dict[str, Any]) -> tuple[dict[str, str], str | None]:
    """:func:`keep_results`, never failing the run: ``({key: bundle path}, None)``, or ``({}, reason)``
    when the models could not be written (a full disk); they are still in memory to save."""
    if not results:
        return {}, None
    try:
        return keep_results(results), None
    except Exception as error:  # noqa: BLE001 - keeping is a safety net; never lose the run over it
        log.error("could not keep the trained model(s) on disk:\n%s", traceback.format_exc())
        return {}, disk_reason(error) if isinstance(error, OSError) else first_line(error)


def save_model(path: str | Path, result: Any = None, kept: str | Path | None = None) -> Path:
    """Save a trained model to ``path``: a copy of its kept bundle ``kept`` when there is one (the
    same bytes, and it works in an engine that never trained it), else ``result`` written from
    memory. Either way a target that exists and is not a model bundle is refused before anything
    is written."""
    from core.bundles.bundle import check_save_target, is_bundle
    from core.bundles.kept_runs import copy_bundle

    if kept and is_bundle(kept):
        from core.runs.recorder import record_bundle

        copied = copy_bundle(kept, path)
        record_bundle(getattr(result, "run_id", None) or Path(kept).parent.name, copied)
        return copied
    check_save_target(path)
    if result is None:
        raise WordedValueError.of("save.model_no_longer_memory")
    return save_training_result(result, path)
