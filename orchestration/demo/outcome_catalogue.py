"""The demo consortium's outcome catalogue (the registry's impact: section)
and how many stakeholders or units a report of each outcome counts. The
proxies are plausible orders of magnitude for Italy, for the demo only:
a real consortium sources its own and says where each comes from."""

from __future__ import annotations

DISCOUNT_RATE = 0.035
# code -> (label, unit, proxy_eur, proxy_source, price_year, deadweight, displacement, attribution, drop_off,
#          duration_years, stakeholder, (fewest, most) units a report counts)
OUTCOMES = {
    "job_kept_6m": ("Person in work six months after a placement", "person", 8000,
                    "regional average cost of a year of unemployment support, 2024", 2024,
                    0.25, 0.10, 0.20, 0.20, 3, "beneficiary", (1, 2)),
    "care_hours": ("Hour of care given to a dependent person at home", "hour", 22,
                   "hourly rate of home care in the regional social-care tariff, 2024", 2024,
                   0.10, 0.05, 0.15, 0.0, 1, "beneficiary", (10, 150)),
    "person_trained": ("Person completing a certified training course", "person", 1200,
                       "average cost per learner of a regional vocational course, 2024", 2024,
                       0.30, 0.0, 0.25, 0.35, 2, "beneficiary", (2, 10)),
    "food_redistributed_kg": ("Kilogram of surplus food redistributed to families", "kg", 2.5,
                              "retail value of a kilogram of basic foodstuffs, food bank network, 2024", 2024,
                              0.05, 0.10, 0.30, 0.0, 1, "beneficiary", (50, 1200)),
    "public_space_reopened": ("Public space reopened to residents for a year", "space", 35000,
                              "municipal budget for keeping a neighbourhood space open for a year, 2023", 2023,
                              0.20, 0.15, 0.40, 0.10, 5, "resident", (1, 1)),
    "loneliness_reduced": ("Older person reporting less loneliness on the UCLA scale", "person", 1800,
                           "wellbeing valuation of reduced loneliness, 2023", 2023,
                           0.35, 0.0, 0.30, 0.50, 2, "beneficiary", (2, 8)),
}
# reported by a few organisations that have not had it catalogued yet: kept out as outcome_unknown
UNCATALOGUED = "volunteer_wellbeing"


def impact_section() -> dict:
    """The registry's impact: section for the demo consortium."""
    keys = ("label", "unit", "proxy_eur", "proxy_source", "price_year", "deadweight", "displacement", "attribution",
            "drop_off", "duration_years")
    return {"discount_rate": DISCOUNT_RATE,
            "outcomes": [{"code": code, **dict(zip(keys, values[:10], strict=True))}
                         for code, values in OUTCOMES.items()]}
