"""The process boundary: the window's TensorFlow work runs in a separate engine process.

Three modules, one per side of the pipe and the pipe itself:

* :mod:`core.engine.protocol` — the typed requests, replies and wire messages (no TensorFlow, no Qt);
* :mod:`core.engine.server` — the engine process's loop and its job table (each job a call into
  :mod:`core.jobs`, the door the CLI uses too), and the models the engine holds;
* :mod:`core.engine.client` — the window's side: starting the process, sending requests and
  handing what comes back to the caller's callback on the pipe's reader thread (no Qt: the window
  turns the callbacks into signals in gui/worker.py).

Importing this package imports nothing; the window may import ``protocol`` and ``client``, never
``server`` (it reaches TensorFlow through :mod:`core.jobs`).
"""
