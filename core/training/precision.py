"""Mixed precision: ``mixed_float16`` on GPUs that benefit, float32 everywhere else.

Why automatic: NVIDIA GPUs from Volta on (compute capability 7.0 and later) have tensor cores that
run float16 matrix products several times faster than float32, and half the activation memory lets
a bigger batch fit; older GPUs and CPUs gain nothing (CPUs lose: float16 is emulated). The head's
Dense layer and its softmax stay float32 (core/training/model.py builds it so) because
probabilities near 0 and 1 and the cross-entropy on them need float32's range; Keras wraps the
optimizer in a ``LossScaleOptimizer`` when it compiles a mixed model, so small gradients survive.

The saved bundle is float32 throughout (:func:`float32_copy`): the desktop app and every export load
it on any machine, and the variables of a mixed model are float32 anyway, so nothing is lost.
"""
from __future__ import annotations

import logging
from typing import Any, Callable, Sequence

from core.events import EventSink, LogMessage

log = logging.getLogger("finetune_studio")
MIXED, FLOAT32 = "mixed_float16", "float32"
MIN_COMPUTE_CAPABILITY = (7, 0)


def choose_policy(enabled: bool, gpus: Sequence[tuple[str, tuple[int, int] | None]]) -> tuple[str, str]:
    """(policy name, why) for the GPUs ``[(name, compute capability)]`` of this machine.

    Mixed precision only when it is enabled and every GPU has tensor cores: one old GPU in a
    mirrored run would get float16 without the speed and hold back the others."""
    if not enabled:
        return FLOAT32, "mixed precision turned off (--no-mixed-precision)"
    if not gpus:
        return FLOAT32, "no GPU: float32 (mixed precision only pays on GPUs)"
    slow = [name for name, capability in gpus if capability is None or tuple(capability) < MIN_COMPUTE_CAPABILITY]
    if slow:
        return FLOAT32, (f"float32: {', '.join(slow)} has no tensor cores (compute capability below "
                         f"{MIN_COMPUTE_CAPABILITY[0]}.{MIN_COMPUTE_CAPABILITY[1]})")
    names = ", ".join(f"{name} (compute capability {c[0]}.{c[1]})" for name, c in gpus if c is not None)
    return MIXED, f"mixed precision (mixed_float16, head in float32) on {names}"


def local_gpus() -> list[tuple[str, tuple[int, int] | None]]:
    """This machine's GPUs as TensorFlow sees them, with their compute capability."""
    import tensorflow as tf

    found = []
    for gpu in tf.config.list_physical_devices("GPU"):
        try:
            details = tf.config.experimental.get_device_details(gpu)
        except Exception:  # details are best effort; without them we cannot tell, so no float16
            details = {}
        capability = details.get("compute_capability")
        found.append((details.get("device_name", gpu.name), tuple(capability) if capability else None))
    return found


def run_with_policy(enabled: bool, sink: EventSink, train: Callable[[], Any]) -> Any:
    """Run ``train()`` (returning a result with ``.model``) under the chosen global dtype policy,
    report the choice, and hand back a float32 model; the policy is restored afterwards (the engine
    process trains again, and predicts, in float32)."""
    from core.training.model import keras

    gpus = local_gpus()
    policy, why = choose_policy(enabled, gpus)
    log.info("precision: %s", why)
    if gpus or not enabled:  # on a CPU-only machine there is no choice to report in the run's events
        sink(LogMessage.of("precision.precision", why=why))
    if policy == FLOAT32:
        return train()
    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy(policy)
    try:
        result = train()
    finally:
        keras.config.set_dtype_policy(previous)
    result.model = float32_copy(result.model)
    return result


def _float32_config(node: Any) -> Any:
    """A model config with every mixed dtype policy replaced by float32."""
    if isinstance(node, dict):
        if node.get("class_name") == "DTypePolicy" and isinstance(node.get("config"), dict):
            return {**node, "config": {**node["config"], "name": FLOAT32}}
        return {key: _float32_config(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_float32_config(value) for value in node]
    if node == MIXED:
        return FLOAT32
    return node


def float32_copy(model: Any) -> Any:
    """The same network with float32 computation everywhere and the same weights (a mixed model's
    variables are float32 already). Compiled like the trainer compiles, with a fresh optimizer:
    the loss-scale wrapper of the mixed run is meaningless in float32."""
    from core.training.model import keras

    copy = model.__class__.from_config(_float32_config(model.get_config()))
    copy.set_weights(model.get_weights())
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None:
        rate = float(keras.ops.convert_to_numpy(optimizer.learning_rate))
        copy.compile(optimizer=keras.optimizers.Adam(rate), loss="sparse_categorical_crossentropy",
                     metrics=["accuracy"])
    return copy
