"""Named points where the fault-injection tests (tests/test_faults.py) kill
a run, as a crash or an operator would: COOPMETRICS_FAULT_AT=<point> makes
the process kill itself when it reaches that point (SIGKILL: nothing of it
runs after). A `*.terminate` point sends SIGTERM instead, as `kill` does,
half a second later from another thread, so that it lands wherever the run
then is (mostly waiting on dbt) and the run must end its children. Unset, a
point costs one dictionary look-up."""

from __future__ import annotations

import os
import signal
import threading

FAULT_ENV = "COOPMETRICS_FAULT_AT"


def fault_point(name: str) -> None:
    if os.environ.get(FAULT_ENV) != name:
        return
    if name.endswith(".terminate"):
        os.environ.pop(FAULT_ENV)  # once
        threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGTERM)).start()
    else:
        os.kill(os.getpid(), signal.SIGKILL)
