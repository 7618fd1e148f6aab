"""Peak resident memory of a command's whole process tree, sampled with
psutil: the kernel's own counters (ru_maxrss) carry a forked parent's
high-water mark across exec, and a bench process that has just generated
gigabytes of demo data would lend it to every job it starts."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

SAMPLE_SECONDS = 0.05


def tree_rss(process: psutil.Process) -> int:
    """Bytes resident in the process and all its descendants now."""
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_info().rss
        except psutil.Error:  # ended between the listing and the reading
            pass
    return total


def run_sampled(command: list[str], **popen: object) -> tuple[int, list[tuple[float, int]], str, str]:
    """Run `command` to its end: its exit code, (time.time(), tree bytes)
    samples, and its stdout and stderr (through files: a pipe nobody reads
    while it runs would stop it once full)."""
    samples: list[tuple[float, int]] = [(time.time(), 0)]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        with subprocess.Popen(command, stdout=out, stderr=err, **popen) as child:
            watched = psutil.Process(child.pid)
            while child.poll() is None:
                samples.append((time.time(), tree_rss(watched)))
                time.sleep(SAMPLE_SECONDS)
        out.seek(0)
        err.seek(0)
        return child.returncode, samples, out.read().decode(errors="replace"), err.read().decode(errors="replace")


OUT = Path(__file__).resolve().parent / "out"


def measure(mode: str, registry: Path, chunk_bytes: int | None = None) -> dict:
    """One job in a fresh process; its peak is its process tree's (the validation workers included)."""
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "bench.worker", mode, str(registry), str(Path(tmp) / "b.duckdb")]
        exit_code, samples, out, errors = run_sampled(command + ([str(chunk_bytes)] if chunk_bytes else []),
                                                      cwd=Path(__file__).resolve().parent.parent)
    if exit_code:
        raise RuntimeError(f"bench.worker {mode} exited {exit_code}: {errors[-2000:]}")
    return {**json.loads(out.strip().splitlines()[-1]), "peak_mb": max(rss for _, rss in samples) / 2**20}
