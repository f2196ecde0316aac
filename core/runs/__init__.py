"""The run store: every training run, from either front, recorded in SQLite (core/runs/store.py),
and the recorder that feeds it from a run's events (core/runs/recorder.py). TensorFlow-free."""
