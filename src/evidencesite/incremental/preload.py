"""A process that loads slow libraries while the build does something else.

A large review's first build spends its opening second on one core (the generator's own
modules, the settings and the bibliography are loaded before the workers start), and
loading statsmodels (with SciPy and pandas) costs about a second of CPU. `Preloaded` forks
a process (the command line does so before loading the rest of the generator) that imports
the modules at the lowest priority, in the time the build leaves a core idle, then waits
for the one piece of work that needs them. It shares nothing with the build but a pipe,
written by a thread of the build's: whatever goes wrong with it, the work is done in the
build's process instead, with the same result.
"""
from __future__ import annotations

import importlib
import os
import pickle
import signal
import threading
from multiprocessing import get_context

from evidencesite.incremental.workers import Done

# The lowest priority: the process takes what the build leaves of the cores, so that it
# slows neither the reading nor the rendering; when the build waits for its result, it is
# one of the few processes left and runs at full speed.
NICENESS = 19


def _serve(connection, theirs, modules: tuple[str, ...]) -> None:
    """In the forked process: import `modules`, then run what is sent, once. The build's
    end of the pipe is closed here, so that its closing is seen; Ctrl+C and SIGTERM are the
    build's to handle (it ends this process), not the handlers' a dev server sets."""
    theirs.close()
    if hasattr(os, "nice"):  # POSIX
        os.nice(NICENESS)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError:  # the work will fail here and in the build alike, and say why
            break
    try:
        task = connection.recv()
    except EOFError:  # the build needed nothing from us
        return
    function, args = task
    try:
        connection.send((True, function(*args)))
    except BaseException as exc:  # noqa: BLE001 - reported to, and raised in, the build
        connection.send((False, exc))


class Preloaded:
    """Used as a context manager; `submit(function, *args)` computes `function(*args)` in
    the process that has `modules` loaded (or here if that process is gone), once."""

    def __init__(self, modules: tuple[str, ...]) -> None:
        context = get_context("fork")
        self._connection, theirs = context.Pipe()
        self._process = context.Process(target=_serve, args=(theirs, self._connection,
                                                             modules), daemon=True)
        self._process.start()
        theirs.close()
        self._sending: threading.Thread | None = None
        self._sent = False

    def __enter__(self) -> Preloaded:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def submit(self, function, *args):
        """Start `function(*args)` there; `.get()` waits for its result. The work is sent
        by a thread: the process reads it only once its modules are loaded, and a large
        message would otherwise hold the build until then."""
        if self._process is None:
            return Done(function(*args))
        message = pickle.dumps((function, args), protocol=pickle.HIGHEST_PROTOCOL)
        self._sending = threading.Thread(target=self._send, args=(message,), daemon=True)
        self._sending.start()
        return _Pending(self, function, args)

    def _send(self, message: bytes) -> None:
        try:
            self._connection.send_bytes(message)
            self._sent = True
        except OSError:  # the process is gone: the work is done here (see _result)
            pass

    def _result(self, function, args):
        if self._sending is not None:
            self._sending.join()
        try:
            if not self._sent:
                raise EOFError
            finished, value = self._connection.recv()
        except (EOFError, OSError):  # the process died: do the work here
            self.close()
            return function(*args)
        self.close()
        if not finished:
            raise value
        return value

    def close(self) -> None:
        if self._process is not None:
            self._process.kill()  # done already, or loading what no one needs
            self._process.join()
            self._process = None
            if self._sending is not None:
                self._sending.join()  # the write it was blocked in failed with the process
            self._connection.close()


class _Pending:
    def __init__(self, process: Preloaded, function, args) -> None:
        self._process, self._function, self._args = process, function, args

    def get(self):
        return self._process._result(self._function, self._args)
