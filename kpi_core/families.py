"""The KPI families the pages and the monthly report show: which data each needs, its cards, its trends and the
KPI drawn per rep (declared once: a page and the report cannot disagree on what a family holds)."""

from __future__ import annotations

from dataclasses import dataclass

# The home page's scorecard: the core indicators, in the order the cards show them.
CORE = ("revenue", "sales_count", "avg_basket", "active_customers",
        "retention_rate", "overall_conversion", "win_rate")


@dataclass(frozen=True)
class Family:
    name: str  # the page's name: `{name}.title`, `{name}.intro` in the catalog
    datasets: tuple[str, ...]
    cards: tuple[str, ...]
    trends: tuple[str, ...]
    chart: str | None = None  # the KPI drawn for each value of a dimension
    per_row: int = 4
    working_days: bool = False  # says the period's working days gone and left (its KPIs are paced on them)


ACTIVITY = Family("activity", ("activities",),
                  ("contacts_volume", "calls_count", "meetings_set", "meeting_rate", "leads_created",
                   "lead_response_time", "lead_response_time_p90"),
                  ("contacts_volume", "meeting_rate", "lead_response_time"), chart="contacts_volume")
TEAM = Family("team", ("deals",),
              ("mql_count", "leads_qualified", "bdr_capacity", "ae_capacity", "deals_won", "win_rate",
               "win_rate_contacted", "sales_velocity"),
              ("bdr_capacity", "ae_capacity", "win_rate"), chart="win_rate")
ECONOMICS = Family("economics", ("orders",),
                   ("new_customers", "marketing_spend", "cac", "ltv", "ltv_predictive", "ltv_cac_ratio",
                    "churn_rate", "magic_number", "arr"),
                   ("cac", "ltv_cac_ratio", "magic_number"), per_row=3)
TARGETS = Family("targets", ("orders", "targets"),
                 ("target", "revenue", "target_attainment", "remaining_to_target", "revenue_projection",
                  "projected_attainment", "run_rate_needed", "daily_revenue", "open_pipeline", "pipeline_coverage"),
                 ("target_attainment", "revenue_projection"), chart="projected_attainment", working_days=True)
OTHERS = (ACTIVITY, TEAM, ECONOMICS, TARGETS)
