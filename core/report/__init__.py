"""The lab report: one self-contained HTML file describing a trained model (a bundle, or a recorded
run): a methods paragraph written from its configuration, the dataset, the training curves, the
per-class metrics, the confusion matrix, the hardest validation images and the exports made.

TensorFlow-free (JSON, CSV, matplotlib's Agg canvas, Pillow): the CLI writes a report in about a
second, and the window writes it on a worker thread. ``source`` reads what the report describes,
``methods`` words the paragraph, ``figures`` draws, ``html_report`` assembles and writes."""
