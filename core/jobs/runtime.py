"""The door to the runtime of forward passes that do not train (core/runtime), for the engine:
converted models are built on a thread there while Keras answers, since the engine lives long enough
to use them (a short CLI process builds one only for a job large enough to pay for it)."""
from __future__ import annotations


def build_in_background() -> None:
    """Called once by the engine process at start (TensorFlow-free)."""
    from core.runtime.forward import allow_background_builds

    allow_background_builds(True)
