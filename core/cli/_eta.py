"""The time left that the command line prints after each epoch, from measured steady epochs only.

Core's own estimate (``EpochEnded.eta_s``: the run's elapsed time per epoch so far) counts each
phase's first epoch as typical, although it carries that phase's setup: the cached-feature pass,
tracing and compiling the model (issue 25: four times too long on the first fine-tuning epochs).
The window waits for evidence (gui/training_progress.py); this is the same rule for the terminal:
an epoch is measured only from the end of the one before it in the same phase, and the time left
is told only once the current phase is the last one and has a measured epoch. Before that the line
says the estimate is still to come rather than print a wrong one."""
from __future__ import annotations

import statistics

from core.events import EpochEnded, PhaseStarted


class SteadyEta:
    """Feed it the run's PhaseStarted and EpochEnded events in order; ``seconds_left`` answers after
    each epoch (None while there is no steady epoch of the last phase yet)."""

    def __init__(self) -> None:
        self._phase_end: int | None = None  # epoch count at the end of the current phase
        self._last_elapsed: float | None = None  # elapsed_s at the previous epoch of this phase
        self._epoch_seconds: list[float] = []  # the measured (steady) epochs of this phase

    def phase(self, event: PhaseStarted) -> None:
        """A new phase: its first epoch carries the phase's setup, so nothing is measured yet."""
        self._phase_end = event.first_epoch + event.epochs
        self._last_elapsed, self._epoch_seconds = None, []

    def epoch(self, event: EpochEnded) -> float | None:
        """Record ``event`` and return the seconds left, or None while there is no evidence."""
        if self._last_elapsed is not None:
            self._epoch_seconds.append(max(0.0, event.elapsed_s - self._last_elapsed))
        self._last_elapsed = event.elapsed_s
        last_phase = self._phase_end is None or self._phase_end >= event.epochs
        if not self._epoch_seconds or not last_phase:
            return None
        return statistics.median(self._epoch_seconds) * max(0, event.epochs - event.epoch - 1)


def eta_words(seconds_left: float | None) -> str:
    """The ETA as printed on an epoch's line."""
    return "ETA not yet known" if seconds_left is None else f"ETA {seconds_left:.0f} s"
