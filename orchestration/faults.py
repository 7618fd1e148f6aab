"""Named points where the fault-injection tests (tests/test_faults.py) kill
a run, as a crash or an operator would: COOPMETRICS_FAULT_AT=<point> makes
the process kill itself when it reaches that point (SIGKILL: nothing of it
runs after; `*.terminate` points send SIGTERM instead, as `kill` does, so
that its children are ended too). Unset, a point costs one dictionary
look-up."""

from __future__ import annotations

import os
import signal

FAULT_ENV = "COOPMETRICS_FAULT_AT"


def fault_point(name: str) -> None:
    if os.environ.get(FAULT_ENV) == name:
        os.kill(os.getpid(), signal.SIGTERM if name.endswith(".terminate") else signal.SIGKILL)
