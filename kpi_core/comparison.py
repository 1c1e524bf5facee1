"""Group A against group B (Paris against the other regions) on every KPI that applies, with intervals,
a significance test where one makes sense, and the plain verdict."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kpi_core import catalog, engine, geography
from kpi_core.analysis import Analysis, change
from kpi_core.catalog import Conversion, Kpi, Ratio
from kpi_core.engine import Grouping, Relabel
from kpi_core.formatting import MISSING, Unit, format_change, format_interval, format_value
from kpi_core.i18n import t
from kpi_core.session import Session
from kpi_core.stages import stage_steps
from kpi_core.stats import (
    Estimate,
    mean_interval,
    product_interval,
    product_p_value,
    significant,
    two_proportion_p_value,
    welch_p_value,
    wilson_interval,
)

COMPARED = ("revenue", "sales_count", "avg_basket", "active_customers", "overall_conversion", "win_rate",
            "retention_rate")

DATASETS = ("orders", "deals")  # groups compare on orders, on deals, or both


def dimensions(session: Session) -> list[str]:
    return list(dict.fromkeys(d for dataset in DATASETS for d in session.dimensions(dataset)))


def values(session: Session, dimension: str) -> list[str]:
    return session.values_across(DATASETS, dimension)


def default_group(names: list[str]) -> list[str]:
    """Group A before the user picks one: Paris against the rest is the question the comparison is for."""
    return ["Paris"] if "Paris" in names else names[:1]


def ranking_groups(session: Session, dimension: str) -> tuple[str | Relabel, dict[str, list[str]] | None]:
    """What the ranking and the map group by: the values themselves, or — when several fall in one department
    (postcodes, cities) — their departments or regions, with the values each one holds."""
    areas = geography.place_groups(values(session, dimension)) if dimension == "region" else None
    if areas is None:
        return dimension, None
    members: dict[str, list[str]] = {}
    for value, area in areas.items():
        members.setdefault(area, []).append(value)
    return Relabel(dimension, tuple(areas), tuple(areas.values())), members


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


def group_rows(analysis: Analysis, kpi_ids: list[str], by: str | Grouping | Relabel):
    """The KPIs of the selected period for each group (`A`/`B`, or each value of a dimension) and, per KPI that
    has them, the observations behind each group's value: its sale totals for the basket, its funnel steps (moved
    on, decided; every transition) for a conversion."""
    window, filters = analysis.windows.current, analysis.selection.filters
    table = engine.compute(analysis.session, kpi_ids, [window], filters=filters, by=by)
    rows = {row["dim_value"]: row for row in table.to_dict("records") if not pd.isna(row.get("dim_value"))}
    observations = {}
    if "avg_basket" in kpi_ids:
        totals = engine.order_totals(analysis.session, window, by, filters=filters)
        observations["avg_basket"] = {group: part["total"].to_numpy() for group, part in totals.groupby("grp")}
    conversions = [k for k in kpi_ids if isinstance(catalog.get(k), Conversion)]
    if conversions:
        funnel = engine.funnel(analysis.session, [window], filters=filters, by=by).dropna(subset=["dim_value"])
        steps = {group: [(step.reached_to, step.decided) for step in stage_steps(part)]
                 for group, part in funnel.groupby("dim_value")}
        observations |= dict.fromkeys(conversions, steps)
    return rows, observations


def through_zero(steps: list[tuple[int, int]] | None) -> list[tuple[int, int]]:
    """(moved on, decided) of each transition a conversion multiplies: up to the first one settled at zero."""
    found = []
    for moved, decided in steps or []:
        found.append((moved, decided))
        if moved == 0 and decided > 0:
            break
    return found


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def ratio_counts(kpi: Ratio, row: dict) -> tuple[int, int]:
    return int(row.get(kpi.numerator) or 0), int(row.get(kpi.denominator) or 0)


def group_estimate(kpi: Kpi, row: dict, sample) -> Estimate:
    """A group's value with its interval: Wilson for rates, log-scale delta method for a conversion through
    stages (when it can be read), t for the basket, none for totals."""
    if isinstance(kpi, Ratio) and kpi.unit == Unit.PERCENT:
        return wilson_interval(*ratio_counts(kpi, row))
    if isinstance(kpi, Conversion):
        estimate = product_interval(sample or [])
        if _number(row.get(kpi.id)) is None:
            return Estimate(None, None, None, estimate.observations)
        return estimate
    value = _number(row.get(kpi.id))
    if kpi.id == "avg_basket":
        # The catalog's basket (credit notes included) with the spread of the group's sales around it.
        spread = mean_interval(sample if sample is not None else [])
        if value is None or spread.low is None:
            return Estimate(value, None, None, spread.observations)
        half = spread.value - spread.low
        return Estimate(value, value - half, value + half, spread.observations)
    return Estimate(value, None, None, 0 if value is None else int(value))


def is_tested(kpi: Kpi) -> bool:
    return (isinstance(kpi, Ratio) and kpi.unit == Unit.PERCENT) or isinstance(kpi, Conversion) \
        or kpi.id == "avg_basket"


def compare(analysis: Analysis, grouping: Grouping) -> list[GroupComparison]:
    """Every available KPI of COMPARED for the selected period, A against B."""
    ids = [kpi_id for kpi_id in COMPARED if analysis.available(kpi_id)]
    rows, observations = group_rows(analysis, ids, grouping)
    a, b = rows.get("A", {}), rows.get("B", {})
    results = []
    for kpi_id in ids:
        kpi = catalog.get(kpi_id)
        behind = observations.get(kpi_id, {})
        if isinstance(kpi, Conversion):
            behind = {group: through_zero(steps) for group, steps in behind.items()}
        estimates = [group_estimate(kpi, row, behind.get(group)) for group, row in (("A", a), ("B", b))]
        p_value = None
        if isinstance(kpi, Ratio) and kpi.unit == Unit.PERCENT:
            p_value = two_proportion_p_value(*ratio_counts(kpi, a), *ratio_counts(kpi, b))
        elif isinstance(kpi, Conversion) and None not in (estimates[0].value, estimates[1].value):
            p_value = product_p_value(behind.get("A", []), behind.get("B", []))
        elif kpi_id == "avg_basket":
            p_value = welch_p_value(behind.get("A", []), behind.get("B", []))
        results.append(GroupComparison(kpi, *estimates, p_value, is_tested(kpi)))
    return results


def _interval(estimate: Estimate, kpi: Kpi, lang: str) -> str:
    return format_interval(estimate.low, estimate.high, kpi.unit, lang, decimals=kpi.decimals)


def _observations(estimate: Estimate, lang: str) -> str:
    return t("compare.small_mark", lang, count=estimate.observations) if estimate.small else str(estimate.observations)


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
            t("compare.column.observations", lang): " / ".join(_observations(e, lang) for e in (result.a, result.b))
            if result.tested and None not in (result.a.value, result.b.value) else MISSING,
        })
    return pd.DataFrame(rows)
