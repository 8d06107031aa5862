"""Framework calls in a child process, so that a call that aborts, segfaults or
hangs costs one cell, not the run.

The child imports the adapters (and so its framework) once and serves
requests over a pipe; the parent waits at most ``timeout`` seconds for each
answer.  A child that dies or overruns is killed and restarted, and the cell is
recorded as ``crash`` or ``timeout``.  ``isolate=False`` runs calls in-process
(faster to debug, no protection).
"""

from __future__ import annotations

import importlib
import multiprocessing as mp
import os
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass
class Outcome:
    kind: str  # "ok" | "raised" | "unsupported" | "crash" | "timeout"
    result: object = None  # ndarray (value) or {name: ndarray} (grad)
    seconds: float = 0.0
    error: str = ""  # "TypeName: message" for raised / the reason for crash and timeout


def load_framework(name, device="cpu"):
    """(Framework, [Binding]) for a stack of adapters.STACKS (its env applied before the framework is imported),
    or for a module path (e.g. tests.fault_adapters) that defines FRAMEWORK and BINDINGS; the framework places
    every tensor on ``device``."""
    if "." in name:
        module = importlib.import_module(name)
        framework, bindings = module.FRAMEWORK, list(module.BINDINGS)
    else:
        import adapters

        if name not in adapters.STACKS:
            raise ValueError(f"--framework: expected one of {sorted(adapters.STACKS)} or a module path, got {name!r}")
        os.environ.update(adapters.STACKS[name].env)
        framework, bindings = adapters.framework(name), adapters.bindings(stack=name)
    framework.device = device
    return framework, bindings


def unavailable_device(framework, device):
    """Why the framework cannot run on ``device`` here ("" when it can).  Asks the framework only for a device
    other than the CPU (importing it to ask costs seconds)."""
    if device == "cpu" or device in framework.devices():
        return ""
    return f"--device {device}: not available to this stack here (its devices: {', '.join(framework.devices())})"


def plain_version(name, framework):
    """{package: version} as plain str (torch's TorchVersion cannot cross xdist's channel): the stack's packages,
    or what a module path's framework reports."""
    import adapters

    version = adapters.STACKS[name].version() if name in adapters.STACKS else framework.version()
    return {k: None if v is None else str(v) for k, v in version.items()}


_ROOTS = sorted({str(Path(p).resolve()) for p in (*sys.path, Path(__file__).parents[1]) if p}, key=len, reverse=True)


def relative(filename):
    """A traceback's file relative to the deepest sys.path entry (site-packages, the repository root) that holds
    it: records never carry a path of the machine."""
    path = str(Path(filename).resolve())
    for root in _ROOTS:
        if path.startswith(root + os.sep):
            return os.path.relpath(path, root)
    return Path(filename).name


def _call(framework, bindings, request):
    from adapters import Unsupported

    binding_id, check, arrays, dtype, reduction, params, cotangent = request
    binding = bindings[binding_id]
    t0 = time.perf_counter()
    try:
        if check == "grad":
            result = framework.grad(binding, arrays, dtype, reduction, params, cotangent)
            result = {k: np.asarray(v, dtype=np.float64) for k, v in result.items()}
        else:
            result = np.asarray(framework.value(binding, arrays, dtype, reduction, params), dtype=np.float64)
        return Outcome("ok", result, time.perf_counter() - t0)
    except Unsupported as e:
        return Outcome("unsupported", None, time.perf_counter() - t0, str(e))
    except Exception as e:  # the framework's own behaviour: recorded, not raised
        tb = traceback.extract_tb(e.__traceback__)
        where = f" ({relative(tb[-1].filename)}:{tb[-1].lineno})" if tb else ""
        return Outcome("raised", None, time.perf_counter() - t0, f"{type(e).__name__}: {e}"[:2000] + where)


def _serve(conn, framework_name, device):
    import warnings

    warnings.simplefilter("ignore")
    framework, bindings = load_framework(framework_name, device)
    bindings = {b.id: b for b in bindings}
    conn.send(("ready", plain_version(framework_name, framework)))
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        if request is None:
            return
        conn.send(_call(framework, bindings, request))


class Worker:
    def __init__(self, framework_name, timeout=60.0, isolate=True, device="cpu"):
        self.framework_name = framework_name
        self.timeout = timeout
        self.isolate = isolate
        self.device = device
        self.proc = None
        self.version = None
        if not isolate:
            framework, bindings = load_framework(framework_name, device)
            self._local = (framework, {b.id: b for b in bindings})
            self.version = plain_version(framework_name, framework)

    def _start(self):
        ctx = mp.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, self.framework_name, self.device), daemon=True)
        self.proc.start()
        child.close()
        if not self.conn.poll(300):
            self.close()
            raise RuntimeError(f"the {self.framework_name} worker did not start within 300 s")
        tag, self.version = self.conn.recv()

    def call(self, binding_id, check, arrays, dtype, reduction, params, cotangent=None):
        request = (binding_id, check, arrays, dtype, reduction, params, cotangent)
        if not self.isolate:
            return _call(*self._local, request)
        if self.proc is None or not self.proc.is_alive():
            self._start()
        t0 = time.perf_counter()
        self.conn.send(request)
        try:
            ready = self.conn.poll(self.timeout)
            if ready:
                return self.conn.recv()
        except (EOFError, OSError):
            ready = True
        elapsed = time.perf_counter() - t0
        if not ready:
            self.close()
            return Outcome("timeout", None, elapsed, f"no answer within {self.timeout:g} s; worker killed")
        self.proc.join(5)
        code = self.proc.exitcode
        self.proc = None
        reason = f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        return Outcome("crash", None, elapsed, f"the framework process died ({reason})")

    def close(self):
        if self.proc is not None:
            if self.proc.is_alive():
                self.proc.kill()
            self.proc.join(5)
            self.proc = None
