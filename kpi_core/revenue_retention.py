"""Revenue retention from orders: the base window's revenue, and how its customers' revenue moved since —
base + expansion − contraction − churned = kept, exactly, customer by customer (SPEC §4, NRR and GRR)."""

from __future__ import annotations

import plotly.graph_objects as go

from kpi_core import catalog, charts
from kpi_core.analysis import KpiResult
from kpi_core.i18n import t

CARDS = ("net_revenue_retention", "gross_revenue_retention", "expansion_revenue", "contraction_revenue",
         "churned_revenue")
# The movements from the base revenue to the revenue kept, with their sign.
MOVES = (("expansion_revenue", 1), ("contraction_revenue", -1), ("churned_revenue", -1))
KPIS = ("base_revenue", "retained_revenue", *(kpi_id for kpi_id, _ in MOVES))


def steps(results: dict[str, KpiResult]) -> tuple[float, list[tuple[str, float]], float] | None:
    """(base revenue, [(movement, signed amount)…], revenue kept) for a waterfall; None without base revenue."""
    base, kept = results["base_revenue"].value, results["retained_revenue"].value
    if not base or kept is None:
        return None
    return base, [(kpi_id, sign * (results[kpi_id].value or 0.0)) for kpi_id, sign in MOVES], kept


def waterfall(results: dict[str, KpiResult], lang: str) -> go.Figure | None:
    """Base revenue → each movement → revenue kept, for the page and the report; None without base revenue."""
    found = steps(results)
    if found is None:
        return None
    base, moves, kept = found
    return charts.waterfall((t("retention.base", lang), base), [(catalog.get(k).label[lang], v) for k, v in moves],
                            (t("retention.kept", lang), kept), lang)
