"""Group A against group B (Paris against the other regions) on every KPI that applies, with intervals,
a significance test where one makes sense, and the plain verdict."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kpi_core import catalog, engine
from kpi_core.analysis import Analysis, change
from kpi_core.catalog import Kpi, Ratio
from kpi_core.engine import Grouping
from kpi_core.formatting import MISSING, Unit, format_change, format_value
from kpi_core.i18n import t
from kpi_core.stats import (
    Estimate,
    mean_interval,
    significant,
    two_proportion_p_value,
    welch_p_value,
    wilson_interval,
)

COMPARED = ("revenue", "sales_count", "avg_basket", "active_customers", "overall_conversion", "win_rate",
            "retention_rate")


@dataclass(frozen=True)
class GroupComparison:
    """One KPI for both groups; `p_value` is None when no test applies (totals depend on group size)."""

    kpi: Kpi
    a: Estimate
    b: Estimate
    p_value: float | None = None
    tested: bool = False

    @property
    def difference(self) -> tuple[float | None, float | None]:
        """(absolute, relative) difference of A over B."""
        return change(self.a.value, self.b.value)

    @property
    def significant(self) -> bool:
        return significant(self.p_value)

    @property
    def verdict(self) -> str:
        """An i18n key: higher/lower and significant, not significant, too few, or no test for totals."""
        if self.a.value is None or self.b.value is None:
            return "compare.verdict.missing"
        if not self.tested:
            return "compare.verdict.total"
        if self.significant:
            return "compare.verdict.higher" if self.a.value > self.b.value else "compare.verdict.lower"
        return "compare.verdict.too_few" if self.a.small or self.b.small else "compare.verdict.not_significant"


def _count_estimate(value) -> Estimate:
    number = None if value is None or pd.isna(value) else float(value)
    return Estimate(number, None, None, 0 if number is None else int(number))


def compare(analysis: Analysis, grouping: Grouping) -> list[GroupComparison]:
    """Every available KPI of COMPARED for the selected period, A against B."""
    ids = [kpi_id for kpi_id in COMPARED if analysis.available(kpi_id)]
    window = analysis.windows.current
    table = engine.compute(analysis.session, ids, [window], filters=analysis.selection.filters, by=grouping)
    rows = {row["dim_value"]: row for row in table.to_dict("records") if row.get("dim_value") in ("A", "B")}
    a, b = rows.get("A", {}), rows.get("B", {})
    results = []
    for kpi_id in ids:
        kpi = catalog.get(kpi_id)
        if isinstance(kpi, Ratio) and kpi.unit == Unit.PERCENT:
            counts = [(int(row.get(kpi.numerator) or 0), int(row.get(kpi.denominator) or 0)) for row in (a, b)]
            estimates = [wilson_interval(*count) for count in counts]
            results.append(GroupComparison(kpi, *estimates, two_proportion_p_value(*counts[0], *counts[1]), True))
        elif kpi_id == "avg_basket":
            results.append(_basket(analysis, grouping, kpi, a, b))
        else:
            results.append(GroupComparison(kpi, _count_estimate(a.get(kpi_id)), _count_estimate(b.get(kpi_id))))
    return results


def _basket(analysis: Analysis, grouping: Grouping, kpi: Kpi, a: dict, b: dict) -> GroupComparison:
    """The catalog's basket (credit notes included) with the spread of the group's sales around it."""
    totals = engine.order_totals(analysis.session, analysis.windows.current, grouping,
                                 filters=analysis.selection.filters)
    samples = [totals.loc[totals["grp"] == group, "total"].to_numpy() for group in ("A", "B")]
    estimates = []
    for row, sample in zip((a, b), samples):
        spread = mean_interval(sample)
        value = row.get(kpi.id)
        value = None if value is None or pd.isna(value) else float(value)
        half = None if spread.low is None or spread.value is None else spread.value - spread.low
        estimates.append(Estimate(value, None if half is None or value is None else value - half,
                                  None if half is None or value is None else value + half, len(sample)))
    return GroupComparison(kpi, *estimates, welch_p_value(*samples), True)



def _interval(estimate: Estimate, kpi: Kpi, lang: str) -> str:
    if estimate.low is None or estimate.high is None:
        return MISSING
    low, high = (format_value(bound, kpi.unit, lang, decimals=kpi.decimals) for bound in (estimate.low, estimate.high))
    return f"[{low} ; {high}]" if lang == "fr" else f"[{low}, {high}]"


def verdict_text(result: GroupComparison, lang: str, a_label: str, b_label: str) -> str:
    """`Panier moyen : Paris est 32,7 % plus élevé que les autres, différence significative à 95 %.`"""
    absolute, relative = result.difference
    gap = format_change(absolute, relative, result.kpi.unit, lang).lstrip("+-")
    return t(result.verdict, lang, kpi=result.kpi.label[lang], a=a_label, b=b_label, gap=gap,
             count=min(result.a.observations, result.b.observations))


def comparison_table(results: list[GroupComparison], lang: str) -> pd.DataFrame:
    """What the page shows, formatted for the locale: each KPI for A and B, the difference, the intervals."""
    rows = []
    for result in results:
        kpi = result.kpi
        rows.append({
            t("compare.column.kpi", lang): kpi.label[lang],
            t("compare.column.a", lang): format_value(result.a.value, kpi.unit, lang, decimals=kpi.decimals),
            t("compare.column.b", lang): format_value(result.b.value, kpi.unit, lang, decimals=kpi.decimals),
            t("compare.column.difference", lang): format_change(*result.difference, kpi.unit, lang),
            t("compare.column.interval_a", lang): _interval(result.a, kpi, lang),
            t("compare.column.interval_b", lang): _interval(result.b, kpi, lang),
            t("compare.column.observations", lang): f"{result.a.observations} / {result.b.observations}"
            if result.tested else MISSING,
        })
    return pd.DataFrame(rows)
