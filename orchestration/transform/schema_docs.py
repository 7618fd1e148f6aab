"""dbt docs blocks for the envelope and every event type, rendered from the
JSON Schemas, so the source and staging models document them from the one
source of truth.
(written by `coopmetrics generate-dbt`, generated.py)."""

from __future__ import annotations

from typing import Any

from orchestration.core.schemas import EventSchema, envelope_schema
from orchestration.core.settings import DBT_PROJECT_DIR

DOCS_FILE = DBT_PROJECT_DIR / "models" / "staging" / "_payload_docs.md"


def _rule(node: dict[str, Any]) -> str:
    kind = node.get("type", "any")
    parts = [" or ".join(kind) if isinstance(kind, list) else kind]
    if "enum" in node:
        parts.append("one of " + ", ".join(f"`{v}`" for v in node["enum"]))
    if "pattern" in node:
        parts.append(f"matching `{node['pattern']}`")
    for keyword, word in (("minLength", "min length"), ("maxLength", "max length"), ("minimum", ">="),
                          ("exclusiveMinimum", ">"), ("maximum", "<="), ("minItems", "at least"),):
        if keyword in node:
            parts.append(f"{word} {node[keyword]}")
    if node.get("uniqueItems"):
        parts.append("distinct items")
    return ", ".join(str(p) for p in parts)


def _fields(node: dict[str, Any], prefix: str = "") -> list[str]:
    rows = []
    required = set(node.get("required", []))
    for name, child in node.get("properties", {}).items():
        path = f"{prefix}{name}"
        rule = _rule(child).replace("|", "\\|")  # a pipe in a pattern would end the table cell
        rows.append(f"| `{path}` | {'yes' if name in required else 'no'} | {rule} | "
                    f"{child.get('description', '').replace('|', '/')} |")
        if child.get("type") == "object":
            rows.extend(_fields(child, path + "."))
    return rows


def render(schemas: dict[tuple[str, int], EventSchema]) -> str:
    envelope = envelope_schema()
    blocks = ["<!-- Generated from sources/schemas by `coopmetrics generate-dbt`: do not edit. -->",
              "", "{% docs event_envelope %}", f"**The envelope of every event**: {envelope['description']}", "",
              "| field | required | rule | meaning |", "| --- | --- | --- | --- |", *_fields(envelope),
              "{% enddocs %}"]
    for (event_type, version), schema in sorted(schemas.items()):
        name = f"payload_{event_type.replace('.', '_')}_v{version}"
        blocks += ["", f"{{% docs {name} %}}", f"**{event_type} v{version}**: {schema.description}", "",
                   "| field | required | rule | meaning |", "| --- | --- | --- | --- |",
                   *_fields(schema.schema), "{% enddocs %}"]
    return "\n".join(blocks) + "\n"
