# coopmetrics: the two commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
MANIFEST := dbt_project/target/manifest.json
# dagster-dbt calls `dbt`: the venv's bin comes first on PATH
export PATH := $(CURDIR)/$(BIN):$(PATH)
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export GX_ANALYTICS_ENABLED := False
export DAGSTER_DISABLE_TELEMETRY := true

.PHONY: help install manifest run test test-faults test-replay test-property test-spark test-browser spark-venv dev bench docs lint clean

help:
	@echo "make run    - set up .venv, build the dbt manifest, run the pipeline on the bundled demo data"
	@echo "make test   - run the test suite"
	@echo "make test-faults - the fault-injection suite: a run killed at each of ten points, runs at once, a damaged file"
	@echo "make test-replay - two deliveries through the pipeline equal a full replay and a --full-refresh"
	@echo "make test-property - records generated from the JSON Schemas, at their bounds, through the whole pipeline"
	@echo "make test-spark - the same dbt models on local Spark, every mart compared with DuckDB's"
	@echo "make test-browser - the social report sheet rendered and printed to A4 in headless Chromium"
	@echo "make dev    - Dagster UI on http://127.0.0.1:3000"
	@echo "make bench  - the whole pipeline at 10M events (full, 1% delivery, nothing new), ingest and spillover benchmarks"
	@echo "make docs   - dbt docs into warehouse/docs/"
	@echo "make lint   - ruff, import contracts, generated dbt files current, doc links, sqlfluff on dbt and SQL files"

UV_VERSION := 0.13.9

# uv installs the lock in about 15 s cold where pip takes about 60 s. Bytecode is
# compiled at install: where PYTHONDONTWRITEBYTECODE is set (as here), every
# process would otherwise compile dagster, dbt and GX again on import.
$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

WEB_ASSETS := $(VENV)/web/.installed-$(shell cksum < orchestration/quality/data_docs_assets.json | cut -d' ' -f1)

# the web assets GX Data Docs pages load, installed with npm so the pages read offline
$(WEB_ASSETS): orchestration/quality/data_docs_assets.json $(STAMP)
	$(BIN)/python -m orchestration.quality.offline_docs install
	@rm -f $(VENV)/web/.installed-*
	@touch $(WEB_ASSETS)

install: $(STAMP) $(WEB_ASSETS)

DBT_SOURCES := $(shell find dbt_project -path dbt_project/target -prune -o -type f \( -name '*.sql' -o -name '*.yml' -o -name '*.csv' -o -name '*.md' \) -print)

# dagster-dbt's own preparation (dbt parse) writes the manifest; never committed.
$(MANIFEST): $(STAMP) $(WEB_ASSETS) $(DBT_SOURCES)
	$(BIN)/dagster-dbt project prepare-and-package --file orchestration/transform/project.py
	@touch $(MANIFEST)

manifest: $(MANIFEST)

INSTANCE_YAML := $(DAGSTER_HOME)/dagster.yaml

# the project's instance settings (one run at a time on the warehouse, telemetry off)
$(INSTANCE_YAML): orchestration/instance/dagster.yaml
	mkdir -p $(DAGSTER_HOME)
	cp orchestration/instance/dagster.yaml $(INSTANCE_YAML)

run: manifest $(INSTANCE_YAML)
	$(BIN)/coopmetrics run

# Two pytest workers; the tests sharing the hand-checked warehouse stay on one (xdist_group).
test: lint $(INSTANCE_YAML)
	$(BIN)/python -m pytest -q -p no:logging -n 2 --dist loadgroup -m "not faults and not replay and not spark and not property and not browser"

# the whole fault-injection suite: a run killed at each of ten points, then repaired by the next
test-faults: manifest $(INSTANCE_YAML)
	$(BIN)/python -m pytest -q -p no:logging -n 2 -m faults tests

# incremental equals replay, the tables kept by touched keys equal a full refresh, a reader holds the
# published catalog open across a run, and the schedule, a sensor and the CLI decide alike: about five
# minutes of whole-pipeline runs on two workers, kept out of make test's five
test-replay: manifest $(INSTANCE_YAML)
	$(BIN)/python -m pytest -q -p no:logging -n 2 -m replay tests/test_incremental_replay.py tests/test_touched_keys.py \
		tests/test_published.py tests/test_impact_account.py tests/test_cli.py tests/test_one_decision.py

# hypothesis-jsonschema draws records from the schemas themselves; three whole-pipeline runs, derandomised
test-property: manifest $(INSTANCE_YAML)
	$(BIN)/python -m pytest -q -p no:logging -m property tests/test_schema_property.py

# dbt-spark gets a venv of its own: installed beside great-expectations it breaks
# `import great_expectations`. Java 17 comes from Debian when the machine has none.
SPARK_VENV := .venv-spark
SPARK_STAMP := $(SPARK_VENV)/.installed-$(shell cksum < requirements-spark.lock | cut -d' ' -f1)
APT_GET := $(if $(filter 0,$(shell id -u)),,sudo )apt-get

$(SPARK_STAMP): requirements-spark.lock
	@command -v java >/dev/null || { $(APT_GET) update -qq && \
		DEBIAN_FRONTEND=noninteractive $(APT_GET) install -y -qq --no-install-recommends openjdk-17-jre-headless; }
	@test -x $(SPARK_VENV)/bin/python || $(PYTHON) -m venv $(SPARK_VENV)
	$(SPARK_VENV)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(SPARK_VENV)/bin/uv pip install --quiet --python $(SPARK_VENV)/bin/python -r requirements-spark.lock
	@rm -f $(SPARK_VENV)/.installed-*
	@touch $(SPARK_STAMP)

spark-venv: $(SPARK_STAMP)

# Spark's catalogue and tables live in each test's temporary folder; one JVM per test worker.
test-spark: manifest $(INSTANCE_YAML) $(SPARK_STAMP)
	$(BIN)/python -m pytest -q -p no:logging -n 2 -m spark tests/test_spark_parity.py

# the pages people print, in a real browser: Debian's Chromium when the machine has none
test-browser: manifest $(INSTANCE_YAML)
	@command -v chromium >/dev/null || { $(APT_GET) update -qq && \
		DEBIAN_FRONTEND=noninteractive $(APT_GET) install -y -qq --no-install-recommends chromium; }
	$(BIN)/python -m pytest -q -p no:logging -m browser tests/test_sheets_in_a_browser.py

dev: manifest $(INSTANCE_YAML)
	$(BIN)/dagster dev -h 127.0.0.1 -p 3000 -m orchestration.definitions

# the ingest bench's peer, dlt, in a venv of its own: its dependencies are never the project's
PEER_VENV := .venv-peer
PEER_STAMP := $(PEER_VENV)/.installed-$(shell cksum < bench/peer.lock | cut -d' ' -f1)

$(PEER_STAMP): bench/peer.lock
	@test -x $(PEER_VENV)/bin/python || $(PYTHON) -m venv $(PEER_VENV)
	$(PEER_VENV)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(PEER_VENV)/bin/uv pip install --quiet --python $(PEER_VENV)/bin/python -r bench/peer.lock
	@rm -f $(PEER_VENV)/.installed-*
	@touch $(PEER_STAMP)

# a smaller size: make bench BENCH_ARGS="--events 1000000"
bench: manifest $(INSTANCE_YAML) $(PEER_STAMP)
	$(BIN)/python -m bench.run --peer-python $(PEER_VENV)/bin/python $(BENCH_ARGS)

docs: manifest
	$(BIN)/python -m orchestration.transform.docs

# Python (ruff), the import contracts of pyproject.toml, the links of README.md and docs/, the dbt models (sqlfluff's dbt templater) and the
# SQL files beside the Python code; sqlfluff takes each folder's templater from its working directory.
lint: manifest
	$(BIN)/ruff check orchestration expectations tests bench
	$(BIN)/lint-imports --no-cache
	$(BIN)/coopmetrics generate-dbt --check
	$(BIN)/python .ci/check_links.py
	cd dbt_project && ../$(BIN)/sqlfluff lint models --processes 2 --disable-progress-bar
	@# the dbt templater skips models the duckdb target disables; the jinja one (dbt builtins) reads them
	cd dbt_project && ../$(BIN)/sqlfluff lint --templater jinja models/intermediate/spillover_forest/sql --disable-progress-bar
	cd orchestration && ../$(BIN)/sqlfluff lint . --processes 2 --disable-progress-bar

clean:
	rm -rf dbt_project/target warehouse/*.duckdb* warehouse/extracts warehouse/quality warehouse/docs
