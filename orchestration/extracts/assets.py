"""The partner extracts: one asset per partner declared in the registry,
all built in one step so that they are published together (all partners or
none, see releases.py). Selecting some partners rebuilds those; the others
are carried over as they are."""

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    AssetSpec,
    DataVersion,
    Failure,
    MaterializeResult,
    MetadataValue,
    RetryPolicy,
    multi_asset,
)
from dagster_dbt import get_asset_key_for_model

from orchestration.core.asset_keys import extract_key
from orchestration.core.check_results import record_check, record_validations
from orchestration.core.resources import Warehouse
from orchestration.core.settings import extracts_dir
from orchestration.extracts.manifest import MANIFEST, verify_extract
from orchestration.extracts.plan import PLAN, load_partners
from orchestration.extracts.publish import ExtractRejected, publish_extracts

EXTRACT_CHECK = "extract_suite"




def _suite_result(key: AssetKey, validations: list, rejected: ExtractRejected | None,
                  failing: bool) -> AssetCheckResult:
    if failing:
        description = str(rejected)
    elif rejected is not None:
        description = f"not published: the extract of another partner failed ({rejected})"
    else:
        description = f"{len(validations)} file(s) passed the extract suite"
    return AssetCheckResult(
        asset_key=key, check_name=EXTRACT_CHECK, passed=rejected is None, severity=AssetCheckSeverity.ERROR,
        description=description[:2000], metadata={"files_validated": len(validations)},
    )


def build_extract_assets(dbt_assets: AssetsDefinition) -> list[AssetsDefinition]:
    partners = list(load_partners().values())
    if not partners:
        return []
    marts = [get_asset_key_for_model([dbt_assets], item.mart) for item in PLAN]
    marts.append(get_asset_key_for_model([dbt_assets], "mart_build_info"))

    @multi_asset(
        specs=[AssetSpec(
            extract_key(p.name), deps=marts, group_name="extracts", owners=["team:data-engineering"], kinds={"parquet"},
            skippable=True,
            description=f"Parquet extract with manifest for {p.name} ({p.kind}"
                        f"{', org ' + p.org_id if p.org_id else ''}; k={p.k}).") for p in partners],
        check_specs=[AssetCheckSpec(
            EXTRACT_CHECK, asset=extract_key(p.name), blocking=True,
            description="great-expectations extract suite (expectations/extracts.py) on every file before "
                        "publication; a failing file publishes nothing, for any partner.") for p in partners],
        name="partner_extracts",
        can_subset=True,
        retry_policy=RetryPolicy(max_retries=2, delay=5),  # file I/O; publication is atomic, so a retry is safe
    )
    def _extracts(context: AssetExecutionContext, warehouse: Warehouse) -> Iterator[Any]:
        chosen = [p for p in partners if extract_key(p.name) in context.selected_asset_keys]
        validations: list = []
        unchanged: set[str] = set()
        rejected: ExtractRejected | None = None
        con = warehouse.connect(read_only=False)
        try:
            try:
                folders = publish_extracts(con, chosen, extracts_dir(warehouse.file), validations=validations,
                                           unchanged=unchanged)
            except ExtractRejected as exc:
                rejected, folders = exc, {}
                if exc.outcome is not None:
                    validations.append((exc.file or "extract", exc.outcome))
            results = {p.name: _suite_result(extract_key(p.name), [v for v in validations if v[0].startswith(p.name)],
                                             rejected, rejected is not None and rejected.partner == p.name)
                       for p in chosen}
            for p in chosen:
                record_check(con, context.run_id, extract_key(p.name).path, EXTRACT_CHECK, results[p.name],
                             float(rejected is not None))
            record_validations(con, context.run_id, "extracts", ["extracts"], validations)
        finally:
            con.close()
        if rejected is not None:
            yield from results.values()
            raise Failure(str(rejected), allow_retries=False)  # the same rows fail again
        for p in chosen:
            verification = verify_extract(folders[p.name])
            if not verification.ok:
                raise RuntimeError(f"extract {folders[p.name]} failed verification: "
                                   f"{'; '.join(verification.problems)}")
            manifest = json.loads((folders[p.name] / MANIFEST).read_text(encoding="utf-8"))
            parquet = sorted(f"{e['path']}:{e['sha256']}" for e in manifest["files"] if e["path"].endswith(".parquet"))
            # the files' hashes are the extract's version: unchanged content, unchanged version
            yield MaterializeResult(asset_key=extract_key(p.name), data_version=DataVersion(
                hashlib.sha256("\n".join(parquet).encode()).hexdigest()), metadata={
                "folder": MetadataValue.path(str(folders[p.name])), "files": verification.files,
                "republished": p.name not in unchanged, "as_of": manifest["as_of"],
                "rows": MetadataValue.json({e["path"]: e["rows"] for e in manifest["files"] if "rows" in e}),
                "sha256": MetadataValue.json({e["path"]: e["sha256"] for e in manifest["files"]})})
            yield results[p.name]

    return [_extracts]
