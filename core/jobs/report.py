"""The door of ``report``: ``python main.py report`` and the window's File › Export report… both
call :func:`write_report`. TensorFlow-free."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from core.data.outputs import check_output_outside_datasets, check_output_writable
from core.errors import ReportError
from core.report.html_report import check_report_target, write_report as write_html
from core.report.source import from_bundle, from_run, is_bundle_folder


def write_report(target: str | Path, out: str | Path, store: Any = None, overwrite: bool = False,
                 summary: str | Path | None = None) -> Path:
    """Write the report of ``target`` (a bundle folder, or the id of a recorded run, looked up in
    ``store``, by default the app's run store) to the HTML file ``out``; the path written.
    ``out`` is checked first: a wrong name costs nothing; then, before anything is drawn, that it is
    outside the model's recorded training and validation folders (only ever read: the next training
    would meet the report there) and that its folder takes new files.
    ``summary``: a counts CSV written by ``predict FOLDER --summary`` (core.stats.counts), shown as
    "Results on new images", checked first too."""
    check_report_target(out, overwrite)
    counts = _read_summary(summary) if summary is not None else None
    if is_bundle_folder(target):
        source = from_bundle(target)
    else:
        source = from_run(_find_run(str(target), store))
    check_output_outside_datasets(out, [source.train.get("data_dir"), source.train.get("val_dir")])
    check_output_writable(out)
    if counts is not None:
        source.counts, source.counts_file = counts, str(summary)
    return write_html(source, out, overwrite)


def _read_summary(path: str | Path) -> list[dict[str, Any]]:
    from core.stats.counts import read_counts_csv

    try:
        return read_counts_csv(Path(path).expanduser())
    except (OSError, ValueError, KeyError, UnicodeDecodeError) as error:
        raise ReportError.of("report.cannot_read_counts_summary", path=path, error=error) from None


def _find_run(run_id: str, store: Any) -> Any:
    """The run record ``run_id`` (a unique prefix will do); a path that exists but is no bundle is
    named as such rather than looked up as a run."""
    if store is None:
        if Path(run_id).expanduser().exists():
            raise ReportError.of("report.not_model_bundle_folder", run_id=run_id)
        from core.runs.store import RunStore

        store = RunStore()
    return store.get(run_id)
