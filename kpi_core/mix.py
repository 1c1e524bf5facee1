"""Group A against group B at equal mix: when the two differ in segment (product, channel…) mix, the difference that
remains once each is weighed like the other — direct standardisation for the average basket, Mantel-Haenszel for
rates — and whether the adjustment turns the verdict over (Simpson's paradox). Also the basket difference's BCa
bootstrap interval and medians, since baskets are skewed."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as scipy_stats

from kpi_core import catalog, engine
from kpi_core.analysis import Analysis
from kpi_core.bridge import signed_euros
from kpi_core.catalog import Kpi, Ratio
from kpi_core.comparison import COMPARED, GroupComparison
from kpi_core.engine import Grouping
from kpi_core.formatting import Unit, format_change, format_interval, format_p, format_value
from kpi_core.i18n import t
from kpi_core.stats import CONFIDENCE, significant

STRATA = ("segment", "product", "channel", "source", "region", "rep")  # what a mix can be made of, first offered
MAX_STRATA = 30
BOOTSTRAP_RESAMPLES = 2000


def adjusted_kpis() -> list[str]:
    """The compared KPIs an adjustment applies to: the basket (a mean) and every rate."""
    return [k for k in COMPARED if k == "avg_basket" or (isinstance(catalog.get(k), Ratio)
                                                         and catalog.get(k).unit == Unit.PERCENT)]


def strata(analysis: Analysis, grouping: Grouping) -> list[str]:
    """The dimensions a mix can be adjusted on: those an adjusted KPI's data has, not the groups' own."""
    return [d for d in STRATA if d != grouping.dimension
            and any(analysis.available(k) and d in analysis.dimensions(k) for k in adjusted_kpis())]


@dataclass(frozen=True)
class Adjusted:
    """One KPI's A − B difference, raw and at equal mix of `stratum`, with each one's p-value; the stratum value
    whose share differs most between the groups (`driver`, its share in A and in B)."""

    kpi: Kpi
    stratum: str
    raw: float | None
    adjusted: float | None
    p_raw: float | None
    p_adjusted: float | None
    strata: int
    driver: str | None = None
    share_a: float | None = None
    share_b: float | None = None

    @property
    def flipped(self) -> bool:
        """The adjustment reverses the direction of the difference."""
        return None not in (self.raw, self.adjusted) and self.raw * self.adjusted < 0

    @property
    def verdict_changed(self) -> bool:
        return None not in (self.p_raw, self.p_adjusted) and significant(self.p_raw) != significant(self.p_adjusted)

    @property
    def simpson(self) -> bool:
        return self.flipped or self.verdict_changed


def _stratum_rows(analysis: Analysis, grouping: Grouping, kpi: Kpi, stratum: str) -> list[tuple[str, dict, dict]]:
    """Each value of `stratum`: the KPI and its parts for A and B, computed as the app computes them filtered on
    that value (so a stratum's figure is the filtered figure)."""
    parts = [kpi.id, *catalog.parts(kpi)]
    found = []
    for value in analysis.session.values_across(kpi.datasets, stratum)[:MAX_STRATA + 1]:
        filters = {**analysis.selection.filters, stratum: (value,)}
        if stratum in analysis.selection.filters and value not in analysis.selection.filters[stratum]:
            continue
        table = engine.compute(analysis.session, parts, [analysis.windows.current], filters=filters, by=grouping)
        rows = {row["dim_value"]: row for row in table.to_dict("records")}
        found.append((value, rows.get("A", {}), rows.get("B", {})))
    return found


def _count(row: dict, column: str) -> float:
    value = row.get(column)
    return 0.0 if value is None or value != value else float(value)


def _mantel_haenszel(kpi: Ratio, rows) -> tuple[float | None, float | None, list[tuple[str, float, float]]]:
    """The Mantel-Haenszel risk difference over the strata, the Cochran-Mantel-Haenszel p-value, and each
    stratum's (value, A's denominator, B's denominator)."""
    weight_sum = difference = observed = variance = 0.0
    sizes = []
    for value, a, b in rows:
        x_a, n_a, x_b, n_b = (_count(row, column) for row in (a, b) for column in (kpi.numerator, kpi.denominator))
        sizes.append((value, n_a, n_b))
        total = n_a + n_b
        if not n_a or not n_b:
            continue
        difference += (x_a * n_b - x_b * n_a) / total
        weight_sum += n_a * n_b / total
        successes = x_a + x_b
        observed += x_a - n_a * successes / total
        if total > 1:
            variance += n_a * n_b * successes * (total - successes) / (total ** 2 * (total - 1))
    if not weight_sum:
        return None, None, sizes
    p_value = float(scipy_stats.chi2.sf(observed ** 2 / variance, 1)) if variance > 0 else None
    return difference / weight_sum, p_value, sizes


def _standardised(analysis: Analysis, grouping: Grouping, stratum: str, rows):
    """The basket difference with both groups weighed by the strata's share of their sales together, its p-value
    (normal, each stratum's variance from its sales), and the strata's (value, A's sales, B's sales)."""
    sizes, weights, gaps, variances = [], [], [], []
    for value, a, b in rows:
        n_a, n_b = _count(a, "sales_count"), _count(b, "sales_count")
        sizes.append((value, n_a, n_b))
        if not n_a or not n_b:
            continue
        totals = engine.order_totals(analysis.session, analysis.windows.current, grouping,
                                     filters={**analysis.selection.filters, stratum: (value,)})
        spread = {group: part["total"].to_numpy(dtype=float) for group, part in totals.groupby("grp")}
        weights.append(n_a + n_b)
        gaps.append(_count(a, "avg_basket") - _count(b, "avg_basket"))
        variances.append(sum(np.var(spread.get(g, []), ddof=1) / len(spread[g]) if len(spread.get(g, [])) > 1
                             else 0.0 for g in ("A", "B")))
    if not weights:
        return None, None, sizes
    w = np.asarray(weights, dtype=float) / sum(weights)
    adjusted = float(w @ np.asarray(gaps))
    variance = float((w ** 2) @ np.asarray(variances))
    p_value = float(2 * scipy_stats.norm.sf(abs(adjusted) / np.sqrt(variance))) if variance > 0 else None
    return adjusted, p_value, sizes


def adjust(analysis: Analysis, grouping: Grouping, stratum: str, results: list[GroupComparison]) -> list[Adjusted]:
    """Every adjustable KPI that can be read on both groups, at equal mix of `stratum`, beside its raw difference
    and p-value in `results` (comparison.compare's)."""
    raw = {result.kpi.id: (result.difference[0], result.p_value) for result in results}
    found = []
    for kpi_id in adjusted_kpis():
        kpi = catalog.get(kpi_id)
        if kpi_id not in raw or not analysis.available(kpi_id) or stratum not in analysis.dimensions(kpi_id):
            continue
        rows = _stratum_rows(analysis, grouping, kpi, stratum)
        if len(rows) > MAX_STRATA:
            continue
        if kpi_id == "avg_basket":
            adjusted, p_value, sizes = _standardised(analysis, grouping, stratum, rows)
        else:
            adjusted, p_value, sizes = _mantel_haenszel(kpi, rows)
        total_a, total_b = sum(n_a for _, n_a, _ in sizes), sum(n_b for _, _, n_b in sizes)
        driver = share_a = share_b = None
        if total_a and total_b:
            driver, share_a, share_b = max(((value, n_a / total_a, n_b / total_b) for value, n_a, n_b in sizes),
                                           key=lambda row: abs(row[1] - row[2]))
        difference, p_raw = raw[kpi_id]
        found.append(Adjusted(kpi, stratum, difference, adjusted, p_raw, p_value,
                              sum(1 for _, n_a, n_b in sizes if n_a and n_b), driver, share_a, share_b))
    return found


def gap_text(gap: float | None, unit: Unit, lang: str) -> str:
    """A difference between the groups: `+2,1 pts` for rates, `+458 €` for money."""
    if Unit(unit) is Unit.PERCENT:
        return format_change(gap, None, unit, lang)
    return signed_euros(gap, lang)


def warning(result: Adjusted, lang: str, a_label: str, b_label: str) -> str | None:
    """One plain sentence when adjusting for the mix turns the difference or its verdict over."""
    if not result.simpson:
        return None
    unit = result.kpi.unit
    raw, adjusted = (gap_text(gap, unit, lang) for gap in (result.raw, result.adjusted))
    key = "mix.flipped" if result.flipped else ("mix.vanishes" if significant(result.p_raw) else "mix.appears")
    return t(key, lang, kpi=result.kpi.label[lang], a=a_label, b=b_label, raw=raw, adjusted=adjusted,
             stratum=t(f"dimension.{result.stratum}", lang).lower(), driver=result.driver,
             share_a=format_value(result.share_a, "percent", lang, decimals=0),
             share_b=format_value(result.share_b, "percent", lang, decimals=0))


@dataclass(frozen=True)
class BasketGap:
    """A's mean sale minus B's with its BCa bootstrap interval, and each group's median sale."""

    difference: float
    low: float | None
    high: float | None
    median_a: float
    median_b: float


def basket_gap(analysis: Analysis, grouping: Grouping, *, seed: int = 0) -> BasketGap | None:
    """None without two sales in each group."""
    totals = engine.order_totals(analysis.session, analysis.windows.current, grouping,
                                 filters=analysis.selection.filters)
    sales = {group: part["total"].to_numpy(dtype=float) for group, part in totals.groupby("grp")}
    a, b = sales.get("A", np.array([])), sales.get("B", np.array([]))
    if len(a) < 2 or len(b) < 2:
        return None
    interval = scipy_stats.bootstrap(
        (a, b), lambda x, y, axis=-1: x.mean(axis=axis) - y.mean(axis=axis), method="BCa",
        confidence_level=CONFIDENCE, n_resamples=BOOTSTRAP_RESAMPLES, random_state=seed).confidence_interval
    low, high = (None if bound != bound else float(bound) for bound in (interval.low, interval.high))
    return BasketGap(float(a.mean() - b.mean()), low, high, float(np.median(a)), float(np.median(b)))


def table(results: list[Adjusted], lang: str) -> pd.DataFrame:
    """What the page shows: each KPI's gap raw and at equal mix, with their p-values."""
    return pd.DataFrame([{
        t("compare.column.kpi", lang): result.kpi.label[lang],
        t("mix.column.raw", lang): gap_text(result.raw, result.kpi.unit, lang),
        t("mix.column.adjusted", lang): gap_text(result.adjusted, result.kpi.unit, lang),
        t("mix.column.p_raw", lang): format_p(result.p_raw, lang),
        t("mix.column.p_adjusted", lang): format_p(result.p_adjusted, lang),
        t("mix.column.strata", lang): str(result.strata),
    } for result in results])


def basket_sentence(gap: BasketGap, lang: str, a_label: str, b_label: str) -> str:
    def money(value: float) -> str:
        return format_value(value, "currency", lang, decimals=0)

    return t("mix.basket", lang, a=a_label, b=b_label, difference=signed_euros(gap.difference, lang),
             interval=format_interval(gap.low, gap.high, "currency", lang, decimals=0),
             median_a=money(gap.median_a), median_b=money(gap.median_b))
