{#- generated from sources/schemas by `coopmetrics generate-dbt`: do not edit.
    Read through the macros of macros/contract_values.sql. -#}
{% macro contract() -%}
    {{ return({
        "bounds": {
            "asset.shared.days": {"minimum": 1e-06, "maximum": 36525},
            "asset.shared.value_eur": {"minimum": 0, "maximum": 1000000000},
            "contribution.logged.amount": {"minimum": 1e-06, "maximum": 1000000000},
            "feedback.recorded.score": {"minimum": 1, "maximum": 5},
            "outcome.reported.quantity": {"minimum": 1e-06, "maximum": 1000000000},
            "resource.committed.amount_eur": {"minimum": 1e-06, "maximum": 1000000000}
        },
        "enums": {
            "asset.shared.asset_type": ["space", "equipment", "data", "knowledge"],
            "contribution.logged.kind": ["time", "money", "in_kind", "space"],
            "contribution.logged.unit": ["hour", "eur", "m2_day"],
            "feedback.recorded.dimension": ["what", "who", "how_much", "contribution", "risk"],
            "feedback.recorded.stakeholder_type": ["beneficiary", "member", "partner", "public_body", "resident"],
            "initiative.closed.outcome": ["completed", "discontinued", "merged"],
            "member.joined.role": ["member", "worker", "volunteer", "beneficiary"],
            "outcome.reported.evidence": ["self_reported", "survey", "administrative", "independent"],
            "outcome.reported.stakeholder_type": ["beneficiary", "member", "partner", "public_body", "resident"],
            "policy.table_joined.level": ["municipal", "metropolitan", "regional", "national", "european"],
            "resource.committed.source_type": ["public_grant", "private_donation", "member_fees", "earned_income", "partner_org", "crowdfunding"]
        },
        "latest_versions": {
            "asset.shared": 1,
            "coalition.dissolved": 1,
            "coalition.formed": 1,
            "coalition.joined": 1,
            "coalition.left": 1,
            "contribution.logged": 2,
            "event.retracted": 1,
            "feedback.recorded": 1,
            "initiative.closed": 1,
            "initiative.launched": 1,
            "member.joined": 1,
            "member.left": 1,
            "outcome.reported": 1,
            "policy.table_joined": 1,
            "policy.table_left": 1,
            "practice.replicated": 1,
            "resource.committed": 1
        },
        "staging_columns": {
            "asset.shared": [["json_text", "asset_id", "asset_id"], ["json_text", "asset_type", "asset_type"], ["json_text", "initiative.org_id", "initiative_org_id"], ["json_text", "initiative.initiative_id", "initiative_id"], ["json_number", "days", "days"], ["json_number", "value_eur", "value_eur"]],
            "coalition.dissolved": [["json_text", "coalition_id", "coalition_id"]],
            "coalition.formed": [["json_text", "coalition_id", "coalition_id"], ["json_text", "purpose", "purpose"]],
            "coalition.joined": [["json_text", "coalition_id", "coalition_id"], ["json_text", "org_id", "org_id"]],
            "coalition.left": [["json_text", "coalition_id", "coalition_id"], ["json_text", "org_id", "org_id"]],
            "contribution.logged": [["json_text", "initiative.org_id", "initiative_org_id"], ["json_text", "initiative.initiative_id", "initiative_id"], ["json_text", "person_ref", "person_ref"], ["json_text", "contributor_org_id", "contributor_org_id"], ["json_text", "kind", "kind"], ["json_number", "amount", "amount"], ["json_text", "unit", "unit"]],
            "event.retracted": [["json_text", "event_id", "event_id"], ["json_text", "reason", "reason"]],
            "feedback.recorded": [["json_text", "initiative.org_id", "initiative_org_id"], ["json_text", "initiative.initiative_id", "initiative_id"], ["json_text", "stakeholder_type", "stakeholder_type"], ["json_text", "dimension", "dimension"], ["json_int", "score", "score"]],
            "initiative.closed": [["json_text", "initiative_id", "initiative_id"], ["json_text", "outcome", "outcome"]],
            "initiative.launched": [["json_text", "initiative_id", "initiative_id"], ["json_text", "title", "title"], ["json_text", "sector", "sector"], ["json_text", "locality", "locality"], ["json_text", "parent.org_id", "parent_org_id"], ["json_text", "parent.initiative_id", "parent_initiative_id"]],
            "member.joined": [["json_text", "person_ref", "person_ref"], ["json_text", "role", "role"]],
            "member.left": [["json_text", "person_ref", "person_ref"]],
            "outcome.reported": [["json_text", "initiative.org_id", "initiative_org_id"], ["json_text", "initiative.initiative_id", "initiative_id"], ["json_text", "outcome_code", "outcome_code"], ["json_text", "stakeholder_type", "stakeholder_type"], ["json_number", "quantity", "quantity"], ["json_date", "period_start", "period_start"], ["json_date", "period_end", "period_end"], ["json_text", "evidence", "evidence"]],
            "policy.table_joined": [["json_text", "table_id", "table_id"], ["json_text", "convened_by", "convened_by"], ["json_text", "level", "level"], ["json_text", "topic", "topic"]],
            "policy.table_left": [["json_text", "table_id", "table_id"]],
            "practice.replicated": [["json_text", "source.org_id", "source_org_id"], ["json_text", "source.initiative_id", "source_initiative_id"], ["json_text", "initiative_id", "initiative_id"], ["json_text", "locality", "locality"]],
            "resource.committed": [["json_text", "initiative_id", "initiative_id"], ["json_text", "source_type", "source_type"], ["json_number", "amount_eur", "amount_eur"], ["json_text", "funder_org_id", "funder_org_id"]]
        },
        "staging_rules": {
            "stg_events__asset_shared": [{"column": "asset_id", "required": true, "pattern": "^[A-Za-z0-9._:-]{1,128}$"}, {"column": "asset_type", "required": true, "enum": ["space", "equipment", "data", "knowledge"]}, {"column": "initiative_org_id", "required": true, "pattern": "^[A-Za-z0-9._:-]{1,128}$"}, {"column": "initiative_id", "required": true, "pattern": "^[A-Za-z0-9._:-]{1,128}$"}, {"column": "days", "required": true, "minimum": 1e-06, "minimum_exclusive": false, "maximum": 36525, "maximum_exclusive": false}, {"column": "value_eur", "required": false, "minimum": 0, "minimum_exclusive": false, "maximum": 1000000000, "maximum_exclusive": false}],
            "stg_events__coalition_changes": [{"column": "coalition_id", "required": true, "pattern": "^[A-Za-z0-9._:-]{1,128}$"}, {"column": "purpose", "required": false, "pattern": "^[^@\uff20\ufe6b]*$", "min_length": 1, "max_length": 500}, {"column": "member_org_id", "required": false, "pattern": "^[A-Za-z0-9._:-]{1,128}$"}],
            "stg_events__contribution_logged": [{"column": "initiative_org_id", "required": true, "pattern": "^[A-Za-z0-9._:-]{1,128}$"}, {"column": "initiative_id", "required": true, "pattern": "^[A-Za-z0-9._:-]{1,128}$"}, {"column": "person_ref", "required": true, "min_length": 1, "max_length": 320}, {"column": "contributor_org_id", "required": false, "pattern": "^[A-Za-z0-9._:-]{1,128}$"}, {"column": "kind", "required": true, "enum": ["time", "money", "in_kind", "space"]}, {"column": "amount", "required": true, "minimum": 1e-06, "minimum_exclusive": false, "maximum": 1000000000, "maximum_exclusive": false}, {"column": "unit", "required": true, "enum": ["hour", "eur", "m2_day"]}],
            "stg_events__feedback_recorded": [{"column": "initiative_org_id", "required": true, "pattern": "^[A-Za-z0-9._:-]{1,128}$"}, {"column": "initiative_id", "required": true, "pattern": "^[A-Za-z0-9._:-]{1,128}$"}, {"column": "stakeholder_type", "required": true, "enum": ["beneficiary", "member", "partner", "public_body", "resident"]}, {"column": "dimension", "required": true, "enum": ["what", "who", "how_much", "contribution", "risk"]}, {"column": "score", "required": true, "minimum": 1, "minimum_exclusive": false, "maximum": 5, "maximum_exclusive": false}],
            "stg_events__initiative_closed": [{"column": "initiative_id", "required": true, "pattern": "^[A-Za-z0-9._:-]{1,128}$"}, {"column": "outcome", "required": true, "enum": ["completed", "discontinued", "merged"]}],
            "stg_events__initiative_launched": [{"column": "initiative_id", "required": true, "pattern": "^[A-Za-z0-9._:-]{1,128}$"}, {"column": "title", "required": true, "pattern": "^[^@\uff20\ufe6b]*$", "min_length": 1, "max_length": 500}, {"column": "sector", "required": true, "pattern": "^[^@\uff20\ufe6b]*$", "min_length": 1, "max_length": 500}, {"column": "locality", "required": true, "pattern": "^[^@\uff20\ufe6b]*$", "min_length": 1, "max_length": 500}, {"column": "parent_org_id", "required": false, "pattern": "^[A-Za-z0-9._:-]{1,128}$"}, {"column": "parent_initiative_id", "required": false, "pattern": "^[A-Za-z0-9._:-]{1,128}$"}],
            "stg_events__member_joined": [{"column": "person_ref", "required": true, "min_length": 1, "max_length": 320}, {"column": "role", "required": true, "enum": ["member", "worker", "volunteer", "beneficiary"]}],
            "stg_events__member_left": [{"column": "person_ref", "required": true, "min_length": 1, "max_length": 320}],
            "stg_events__outcome_reported": [{"column": "initiative_org_id", "required": true, "pattern": "^[A-Za-z0-9._:-]{1,128}$"}, {"column": "initiative_id", "required": true, "pattern": "^[A-Za-z0-9._:-]{1,128}$"}, {"column": "outcome_code", "required": true, "pattern": "^[A-Za-z0-9._:-]{1,128}$"}, {"column": "stakeholder_type", "required": true, "enum": ["beneficiary", "member", "partner", "public_body", "resident"]}, {"column": "quantity", "required": true, "minimum": 1e-06, "minimum_exclusive": false, "maximum": 1000000000, "maximum_exclusive": false}, {"column": "period_start", "required": true, "pattern": "^(19|2[0-9])[0-9]{2}-[0-9]{2}-[0-9]{2}$"}, {"column": "period_end", "required": true, "pattern": "^(19|2[0-9])[0-9]{2}-[0-9]{2}-[0-9]{2}$"}, {"column": "evidence", "required": false, "enum": ["self_reported", "survey", "administrative", "independent"]}],
            "stg_events__policy_table_joined": [{"column": "table_id", "required": true, "pattern": "^[A-Za-z0-9._:-]{1,128}$"}, {"column": "convened_by", "required": true, "pattern": "^[^@\uff20\ufe6b]*$", "min_length": 1, "max_length": 500}, {"column": "level", "required": true, "enum": ["municipal", "metropolitan", "regional", "national", "european"]}, {"column": "topic", "required": true, "pattern": "^[^@\uff20\ufe6b]*$", "min_length": 1, "max_length": 500}],
            "stg_events__policy_table_left": [{"column": "table_id", "required": true, "pattern": "^[A-Za-z0-9._:-]{1,128}$"}],
            "stg_events__practice_replicated": [{"column": "source_org_id", "required": true, "pattern": "^[A-Za-z0-9._:-]{1,128}$"}, {"column": "source_initiative_id", "required": true, "pattern": "^[A-Za-z0-9._:-]{1,128}$"}, {"column": "initiative_id", "required": true, "pattern": "^[A-Za-z0-9._:-]{1,128}$"}, {"column": "locality", "required": true, "pattern": "^[^@\uff20\ufe6b]*$", "min_length": 1, "max_length": 500}],
            "stg_events__resource_committed": [{"column": "initiative_id", "required": true, "pattern": "^[A-Za-z0-9._:-]{1,128}$"}, {"column": "source_type", "required": true, "enum": ["public_grant", "private_donation", "member_fees", "earned_income", "partner_org", "crowdfunding"]}, {"column": "amount_eur", "required": true, "minimum": 1e-06, "minimum_exclusive": false, "maximum": 1000000000, "maximum_exclusive": false}, {"column": "funder_org_id", "required": false, "pattern": "^[A-Za-z0-9._:-]{1,128}$"}]
        }
    }) }}
{%- endmacro %}
