{#- generated from sources/schemas by `coopmetrics generate-dbt`: do not edit.
    Read through the macros of macros/contract_values.sql. -#}
{% macro contract() -%}
    {{ return({
        "bounds": {
            "asset.shared.days": {
                "exclusiveMinimum": 0
            },
            "asset.shared.value_eur": {
                "minimum": 0
            },
            "contribution.logged.amount": {
                "exclusiveMinimum": 0
            },
            "feedback.recorded.score": {
                "maximum": 5,
                "minimum": 1
            },
            "resource.committed.amount_eur": {
                "exclusiveMinimum": 0
            }
        },
        "enums": {
            "asset.shared.asset_type": [
                "space",
                "equipment",
                "data",
                "knowledge"
            ],
            "contribution.logged.kind": [
                "time",
                "money",
                "in_kind",
                "space"
            ],
            "contribution.logged.unit": [
                "hour",
                "eur",
                "m2_day"
            ],
            "feedback.recorded.dimension": [
                "what",
                "who",
                "how_much",
                "contribution",
                "risk"
            ],
            "feedback.recorded.stakeholder_type": [
                "beneficiary",
                "member",
                "partner",
                "public_body",
                "resident"
            ],
            "initiative.closed.outcome": [
                "completed",
                "discontinued",
                "merged"
            ],
            "member.joined.role": [
                "member",
                "worker",
                "volunteer",
                "beneficiary"
            ],
            "resource.committed.source_type": [
                "public_grant",
                "private_donation",
                "member_fees",
                "earned_income",
                "partner_org",
                "crowdfunding"
            ]
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
            "practice.replicated": 1,
            "resource.committed": 1
        }
    }) }}
{%- endmacro %}
