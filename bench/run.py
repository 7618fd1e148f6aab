"""`make bench`: the whole pipeline at size (a full run, a 1% delivery, a
run with nothing new, 1% late events), the bundled sample's run with nothing
new against importing the stack, ingest throughput and memory against bare DuckDB,
finding nothing new in 20,000 small files, and the spillover recursion on deep and wide initiative trees.

    python -m bench.run [--events 10000000] [--ingest-events 2000000] [--initiatives 100000]
                        [--skip-pipeline] [--skip-bundled] [--skip-ingest] [--skip-file-scan] [--skip-spillovers]
                        [--peer-python .venv-peer/bin/python]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from bench.memory import OUT, measure, run_sampled
from orchestration.demo.generate import generate_demo


def demo(events: int, per_file: int = 250_000) -> Path:
    folder = OUT / (f"demo-{events}" if per_file == 250_000 else f"demo-{events}-files-of-{per_file}")
    registry = folder / "registry.yml"
    if not registry.exists():
        print(f"generating {events:,} events (NDJSON, 8 organisations, files of up to {per_file:,} events) "
              f"in {folder} ...", flush=True)
        generate_demo(folder, orgs=8, events=events, seed=42, per_file=per_file, only_format="ndjson")
    return registry


# the batch size of the memory comparison: the same batch for a small and a large input
MEMORY_BATCH_BYTES = 16 * 1024 * 1024


PHASES = ("read", "validate", "resolve", "judge", "append")


def print_phases(rows: list[tuple[int, dict]]) -> None:
    """Where each case's batches spent the run: read (the files' lines and their parse), validate (the
    compiled validator), resolve (the checks and resolution statement), judge (the landing suite on the
    batch's profile), append (ledger, events, commit); the rest is the run's own (registry, workers)."""
    print(f"\n{'events':>10} " + " ".join(f"{p + ' s':>10}" for p in PHASES) + f" {'other s':>8}")
    for size, coop in rows:
        phases = coop["phases"]
        other = coop["seconds"] - sum(phases.get(p, 0.0) for p in PHASES)
        print(f"{size:>10,} " + " ".join(f"{phases.get(p, 0.0):>10.2f}" for p in PHASES) + f" {other:>8.2f}")


def peer_row(python: str, registry: Path, bare: dict) -> None:
    """dlt (bench/peer_dlt.py, in its own venv) on the same files, beside bare DuckDB's rate."""
    with tempfile.TemporaryDirectory() as tmp:
        code, samples, out, errors = run_sampled([python, str(Path(__file__).parent / "peer_dlt.py"),
                                                  str(registry.parent), str(Path(tmp) / "peer.duckdb")])
    if code:
        print(f"the peer (dlt) exited {code}: {errors[-1000:]}", flush=True)
        return
    peer = json.loads(out.strip().splitlines()[-1])
    rate, bare_rate = peer["records"] / peer["seconds"], bare["records"] / bare["seconds"]
    print(f"\npeer: dlt (duckdb destination, payload as JSON, no validation) on the {bare['files']} files of "
          f"{bare['records']:,} records: {peer['records']:,} loaded in {peer['seconds']:.1f} s, {rate:,.0f} ev/s, "
          f"peak {max(rss for _, rss in samples) / 2**20:,.0f} MB, ratio {rate / bare_rate:.3f}", flush=True)


def ingest_bench(events: int, peer_python: str | None = None) -> None:
    print(f"\n== ingest: {events:,} events ==")
    rows = []
    # a feed in large files, and one delivered as many small (daily) files: 500 events a file
    for size, per_file in ((events // 4, 250_000), (events, 250_000), (events // 20, 500)):
        registry = demo(size, per_file)
        bare, coop = measure("bare", registry), measure("coopmetrics", registry)
        rows.append((size, bare, coop))
    print(f"{'events':>10} {'files':>6} {'input MB':>9} {'bare s':>7} {'bare ev/s':>10} {'bare MB':>8} "
          f"{'coop s':>7} {'coop ev/s':>10} {'coop MB':>8} {'ratio':>6}")
    for size, bare, coop in rows:
        bare_rate, coop_rate = bare["records"] / bare["seconds"], coop["records"] / coop["seconds"]
        print(f"{size:>10,} {bare['files']:>6} {bare['input_mb']:>9.0f} {bare['seconds']:>7.1f} {bare_rate:>10,.0f} "
              f"{bare['peak_mb']:>8.0f} {coop['seconds']:>7.1f} {coop_rate:>10,.0f} {coop['peak_mb']:>8.0f} "
              f"{coop_rate / bare_rate:>6.2f}")
    print("ratio = coopmetrics rate (parse + validate + pseudonymise + dedupe + append) / bare read_json rate")
    print("peak: the job's process tree (for coopmetrics, the validation workers included), sampled with psutil")
    print_phases([(size, coop) for size, _, coop in rows])
    if peer_python:
        peer_row(peer_python, demo(events // 4), rows[0][1])
    print(f"\n== memory: the same {MEMORY_BATCH_BYTES // 2**20} MB batches, 4x the input ==")
    for size in (events // 4, events):
        coop = measure("coopmetrics", demo(size), MEMORY_BATCH_BYTES)
        print(f"{size:>10,} events: peak {coop['peak_mb']:,.0f} MB, {coop['seconds']:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=10_000_000, help="events of the end-to-end bench")
    parser.add_argument("--ingest-events", type=int, default=2_000_000, help="events of the ingest bench")
    parser.add_argument("--initiatives", type=int, default=100_000, help="initiatives of the spillover bench")
    parser.add_argument("--peer-python", help="the python of the peer's venv (dlt), for its row beside ingest")
    for part in ("pipeline", "bundled", "ingest", "file-scan", "workbooks", "spillovers"):
        parser.add_argument(f"--skip-{part}", action="store_true")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    if not args.skip_pipeline:
        from bench.pipeline import pipeline_bench

        pipeline_bench(args.events)
    if not args.skip_bundled:
        from bench.bundled import bundled_bench

        bundled_bench()
    if not args.skip_ingest:
        ingest_bench(args.ingest_events, args.peer_python)
    if not args.skip_file_scan:
        from bench.file_scan import file_scan_bench

        file_scan_bench()
    if not args.skip_workbooks:
        from bench.workbooks import workbook_bench

        workbook_bench()
    if not args.skip_spillovers:
        from bench.spillovers import spillover_bench

        spillover_bench(args.initiatives)


if __name__ == "__main__":
    main()
