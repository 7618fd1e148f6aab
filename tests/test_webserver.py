"""`make dev` in miniature: the Dagster webserver serves the code location on
a free localhost port, and its GraphQL API lists the asset graph in groups."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from orchestration.core.settings import DEFAULT_REGISTRY, PROJECT_ROOT

pytestmark = pytest.mark.slow
QUERY = "{ assetNodes { assetKey { path } groupName owners { ... on TeamAssetOwner { team } } } }"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_webserver_lists_the_asset_graph_in_groups(tmp_path):
    port = free_port()
    webserver = Path(sys.executable).parent / "dagster-webserver"
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path), "COOPMETRICS_REGISTRY": str(DEFAULT_REGISTRY),
           "COOPMETRICS_WAREHOUSE": str(tmp_path / "wh.duckdb")}
    process = subprocess.Popen([str(webserver), "-h", "127.0.0.1", "-p", str(port), "-m", "orchestration.definitions"],
                               cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2) as answer:
                    assert answer.status == 200
                    break
            except OSError:
                assert process.poll() is None, process.stderr.read().decode()[-2000:]
                assert time.monotonic() < deadline, "webserver did not answer within 120 s"
                time.sleep(1)
        request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", data=json.dumps({"query": QUERY}).encode(),
                                         headers={"Content-Type": "application/json"})
        deadline = time.monotonic() + 60
        while True:  # the code location may still be loading
            with urllib.request.urlopen(request, timeout=30) as answer:
                nodes = json.loads(answer.read())["data"]["assetNodes"]
            if nodes or time.monotonic() > deadline:
                break
            time.sleep(1)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    groups = {"/".join(n["assetKey"]["path"]): n["groupName"] for n in nodes}
    assert groups["raw/events"] == "ingest"
    assert groups["marts/mart_shared_value"] == "marts"
    assert groups["staging/stg_events__member_joined"] == "staging"
    assert groups["extracts/regional-fund"] == "extracts"
    assert all(n["owners"] == [{"team": "data-engineering"}] for n in nodes)
