"""The multi-worker watchdog: when a peer worker dies, this one stops too, with a plain message.

Why a watchdog and not only TensorFlow's own checks: a worker whose peer was killed waits inside a
collective operation in C++, where Python cannot interrupt it; MultiWorkerMirroredStrategy's health
checks notice after tens of seconds at best, and with a collective timeout a slow first step (tracing,
a big model) would count as a failure. Every worker's TensorFlow server listens on its ``host:port``
from TF_CONFIG for as long as its process lives, so a peer whose port stops answering is gone. The
watchdog connects to each peer's port every ``interval`` seconds; a peer it has seen and then cannot
reach ``misses`` times in a row ends this process with exit code 1 (``os._exit``: the main thread
may be stuck in C++). A peer never seen within ``startup_timeout`` (it never started) does too.

A worker that finishes normally must not look like a dead one: the non-chief workers therefore
stay up after training until the chief has gone (:meth:`Watchdog.wait_for_chief`), and each worker
disarms its watchdog once its own training has returned; nothing at ``--out`` is written before
that, so an aborted run leaves no bundle.
"""
from __future__ import annotations

import logging
import os
import socket
import sys
import threading
import time
from typing import Callable

from core.training.distribute import Cluster

log = logging.getLogger("finetune_studio")
EXIT_PEER_LOST = 1


def reachable(address: str, timeout: float = 1.0) -> bool:
    """Whether something accepts TCP connections at ``host:port``."""
    host, _, port = address.rpartition(":")
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout):
            return True
    except OSError:
        return False


def _exit_now(message: str) -> None:
    sys.stderr.write(f"error: {message}\n")
    sys.stderr.flush()
    log.error("%s", message)
    logging.shutdown()
    os._exit(EXIT_PEER_LOST)


class Watchdog:
    """Watches every peer of ``cluster`` from a daemon thread (see the module docstring)."""

    def __init__(self, cluster: Cluster, interval: float = 1.0, misses: int = 3,
                 startup_timeout: float | None = None, on_lost: Callable[[str], None] = _exit_now,
                 probe: Callable[[str], bool] = reachable) -> None:
        self.cluster, self.interval, self.misses = cluster, interval, misses
        self.startup_timeout = startup_timeout if startup_timeout is not None else float(
            os.environ.get("FTS_PEER_STARTUP_TIMEOUT", "900"))
        self.on_lost, self.probe = on_lost, probe
        self._armed = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> "Watchdog":
        self._armed.set()
        self._thread = threading.Thread(target=self._watch, name="peer-watchdog", daemon=True)
        self._thread.start()
        return self

    def disarm(self) -> None:
        """This worker's training is over: a peer leaving now is no failure."""
        self._armed.clear()
        self._stop.set()

    def _watch(self) -> None:
        peers = {i: address for i, address in enumerate(self.cluster.workers) if i != self.cluster.index}
        seen: set[int] = set()
        missed = dict.fromkeys(peers, 0)
        started = time.monotonic()
        while not self._stop.wait(self.interval):
            for index, address in peers.items():
                if self.probe(address):
                    seen.add(index)
                    missed[index] = 0
                    continue
                if not self._armed.is_set():
                    return
                if index not in seen:
                    if time.monotonic() - started > self.startup_timeout:
                        self.on_lost(f"{self.cluster.name(index)} did not start within {self.startup_timeout:.0f} s; "
                                     f"stopping {self.cluster.name()} too. Check that every worker was launched with "
                                     "the same TF_CONFIG cluster.")
                        return
                    continue
                missed[index] += 1
                if missed[index] >= self.misses:
                    self.on_lost(f"{self.cluster.name(index)} stopped responding (killed, crashed or unreachable); "
                                 f"stopping {self.cluster.name()} too. No bundle was written; start all workers again.")
                    return

    def wait_for_chief(self, timeout: float | None = None) -> bool:
        """On a non-chief worker after its training: wait until the chief's server has gone (it has
        saved the bundle, or failed), so the chief never mistakes this worker's exit for a crash."""
        timeout = timeout if timeout is not None else float(os.environ.get("FTS_CHIEF_WAIT_TIMEOUT", "3600"))
        deadline = time.monotonic() + timeout
        chief = self.cluster.workers[0]
        while time.monotonic() < deadline:
            if not self.probe(chief):
                return True
            time.sleep(self.interval)
        return False
