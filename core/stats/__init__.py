"""How sure the app is: intervals, calibration, prediction sets and adjusted counts (TensorFlow-free).

NumPy, SciPy and scikit-learn only, plus core's TF-free leaves (``core.files``, ``core.wording``),
so the window, the report and the CLI may all import it without loading TensorFlow:

- :mod:`core.stats.intervals`: Wilson intervals, the cross-validation spread, the "rough number" rule
  and the one formatter every accuracy goes through ("92 % (85-96 %) on 100 validation images");
- :mod:`core.stats.calibration`: temperature scaling, expected calibration error, reliability diagram;
- :mod:`core.stats.conformal`: split-conformal prediction sets ("infected or dividing");
- :mod:`core.stats.counts`: counts per folder, misclassification-adjusted proportions, the summary CSV.
"""
