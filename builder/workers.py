"""Worker processes that never outlive the build that started them.

A pool's workers wait on a pipe whose other end they hold themselves (fork copies it), so
when the parent is killed (SIGKILL, the OOM killer) they would wait forever. Each worker
therefore asks Linux for SIGKILL when its parent dies (PR_SET_PDEATHSIG; elsewhere a thread
polls the parent's pid), leaves Ctrl-C to the parent, and the parent kills them at once on
any exception or interrupt instead of waiting for the queued work.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
PARENT_POLL = 0.25  # seconds between checks of the parent, where prctl is not available


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL)
    os._exit(1)


def die_with_parent(parent: int) -> None:
    """Pool initializer: end this worker when process `parent` ends, however it ends.

    The terminal sends Ctrl-C to the whole process group: workers ignore it and the parent,
    which gets KeyboardInterrupt, stops them. Signal handlers inherited from the parent
    (a SIGTERM handler that raises) are reset, so SIGTERM simply ends a worker.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    armed = False
    if sys.platform == "linux":
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            armed = libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
        except (OSError, AttributeError):
            armed = False
    if not armed:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before the death signal was armed
        os._exit(1)


def stop_workers(pool: ProcessPoolExecutor, timeout: float = 5.0) -> None:
    """Kill the pool's workers now (queued work is dropped) and reap them."""
    processes = list((pool._processes or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.kill()
    for process in processes:
        process.join(timeout)
