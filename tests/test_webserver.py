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
QUERY = """{ assetNodes { assetKey { path } groupName owners { ... on TeamAssetOwner { team } }
  metadataEntries { label ... on TableSchemaMetadataEntry { schema { columns { name type } } } } } }"""
# what the UI sends for "Materialize" on assets picked by hand: a run of the implicit asset job
LAUNCH = """mutation($params: ExecutionParams!) { launchRun(executionParams: $params) {
  __typename ... on LaunchRunSuccess { run { runId status } }
  ... on PythonError { message } ... on InvalidSubsetError { message } } }"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def graphql(port: int, query: str, variables: dict | None = None) -> dict:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql",
                                     data=json.dumps({"query": query, "variables": variables or {}}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())["data"]


def test_webserver_lists_the_asset_graph_in_groups_and_queues_what_the_ui_launches(tmp_path):
    port = free_port()
    # the instance of `make dev`: no daemon here, so a launched run stays in the queue it waits in
    (tmp_path / "dagster.yaml").write_text((PROJECT_ROOT / "orchestration" / "instance" / "dagster.yaml").read_text())
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
        deadline = time.monotonic() + 60
        while True:  # the code location may still be loading
            nodes = graphql(port, QUERY)["assetNodes"]
            if nodes or time.monotonic() > deadline:
                break
            time.sleep(1)
        launched = graphql(port, LAUNCH, {"params": {
            "selector": {"repositoryLocationName": "orchestration.definitions", "repositoryName": "__repository__",
                         "jobName": "__ASSET_JOB", "assetSelection": [{"path": ["marts", "mart_build_info"]}]},
            "mode": "default", "executionMetadata": {"tags": [{"key": "dagster/from_ui", "value": "true"}]}}})
        launched = launched["launchRun"]
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    groups = {"/".join(n["assetKey"]["path"]): n["groupName"] for n in nodes}
    assert groups["raw/events"] == "ingest"
    assert groups["marts/mart_shared_value"] == "marts"
    assert groups["staging/stg_events__member_joined"] == "staging"
    assert groups["extracts/regional-fund"] == "extracts"
    assert all(n["owners"] == [{"team": "data-engineering"}] for n in nodes)
    # a dbt asset's definition shows its columns typed before anything was built
    (health,) = [n for n in nodes if n["assetKey"]["path"] == ["marts", "mart_initiative_health"]]
    (columns,) = [e["schema"]["columns"] for e in health["metadataEntries"] if e["label"] == "dagster/column_schema"]
    assert {c["name"]: c["type"] for c in columns}["absence_factor"] == "BIGINT"
    assert all(c["type"] != "?" for c in columns)
    assert launched["__typename"] == "LaunchRunSuccess", launched
    assert launched["run"]["status"] == "QUEUED"
