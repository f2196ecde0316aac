"""The runtime of forward passes that do not train: LiteRT (XNNPACK), else onnxruntime, else Keras.

Why a room of its own, below ``core.training``: the feature cache (training), the predictor and the
folder classifier (bundles) and the embeddings (insight, training.classic) all run frozen models, and
exports (bundles) convert them the same way; the conversion and the runtimes therefore live under all
of them. ``setting`` is TensorFlow-free; ``convert``, ``store`` and ``forward`` import it lazily.
"""
