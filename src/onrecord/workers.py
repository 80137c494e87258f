"""Process-pool workers that go when their parent goes.

A worker blocked in a long extraction would otherwise outlive a parent killed with
SIGKILL (which runs no clean-up) and keep its CPU and memory.
"""

from __future__ import annotations

import os
import threading
import time

PARENT_CHECK_SECONDS = 1.0


def exit_with_parent() -> None:
    """In a worker: a daemon thread ends the process soon after its parent has died."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
