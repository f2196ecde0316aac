"""The process boundary: the window's TensorFlow work runs in a separate engine process.

* :mod:`core.engine.protocol` — the pipe: the :class:`~core.engine.protocol.Request` base, the wire
  messages and how errors cross (no TensorFlow, no Qt);
* ``core.engine.requests.<operation>`` — each operation's typed requests and replies (TF-free);
* ``core.engine.handlers.<operation>`` — the engine side of each: thin calls into core.jobs;
* :mod:`core.engine.state` — the engine's one state object (the models it holds, what it classified);
* :mod:`core.engine.server` — the engine process's loop; its table is built by :mod:`core.operations`;
* :mod:`core.engine.client` — the window's side: starting the process, sending requests and
  handing what comes back to the caller's callback on the pipe's reader thread (no Qt: the window
  turns the callbacks into signals in gui/worker.py).

Importing this package imports nothing; the window may import ``protocol``, ``requests`` and
``client``, never ``server`` or ``handlers`` (they reach TensorFlow through core.jobs).
"""
