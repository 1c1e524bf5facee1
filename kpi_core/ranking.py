"""Every value of a dimension ranked on one KPI without crowning noise: each value tested against the rest with the
false discovery rate held (Benjamini-Hochberg) across all of them, the order set by rates shrunk towards the
overall one (empirical Bayes: a small group's extreme rate is mostly luck), and the funnel plot's limits."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as scipy_stats

from kpi_core import catalog, engine
from kpi_core.analysis import Analysis
from kpi_core.catalog import Conversion, Kpi, Ratio
from kpi_core.comparison import group_estimate, group_rows, is_tested, ratio_counts, through_zero
from kpi_core.engine import Relabel
from kpi_core.export import displayed
from kpi_core.formatting import Unit, format_value
from kpi_core.i18n import t
from kpi_core.stats import CONFIDENCE, product_interval, product_p_value, two_proportion_p_value, welch_p_value

FALSE_DISCOVERY_RATE = 1 - CONFIDENCE
LIMITS = (0.95, 0.998)  # the funnel plot's two pairs of limits
COLUMNS = ["value", "low", "high", "observations", "small", "shrunk", "p_value", "q_value", "differs", "raw_differs"]


def benjamini_hochberg(p_values) -> np.ndarray:
    """Each p-value's BH-adjusted q-value (NaN stays NaN): a value differs at FDR q when its q-value is below q."""
    p = np.asarray(p_values, dtype=float)
    tested = ~np.isnan(p)
    q = np.full(p.shape, np.nan)
    count = int(tested.sum())
    if count:
        order = np.argsort(p[tested])
        ranked = p[tested][order] * count / np.arange(1, count + 1)
        adjusted = np.minimum.accumulate(ranked[::-1])[::-1].clip(max=1)
        q[np.flatnonzero(tested)[order]] = adjusted
    return q


def shrink(values, errors) -> np.ndarray:
    """Values pulled towards their precision-weighted mean by how little each one says (its standard error; normal
    random-effects model, DerSimonian-Laird between-value variance): an uncertain value moves far, a precise one
    barely. Without errors, or with fewer than three, values stay as they are."""
    y, se = np.asarray(values, dtype=float), np.asarray(errors, dtype=float)
    usable = np.isfinite(se) & (se > 0) & np.isfinite(y)
    if usable.sum() < 3:
        return y
    w = 1 / se[usable] ** 2
    centre = (w * y[usable]).sum() / w.sum()
    q = (w * (y[usable] - centre) ** 2).sum()
    tau2 = max(0.0, (q - (usable.sum() - 1)) / (w.sum() - (w ** 2).sum() / w.sum()))
    pulled = y.copy()
    pulled[usable] = centre + tau2 / (tau2 + se[usable] ** 2) * (y[usable] - centre)
    return pulled


def _against_rest(kpi, rows: dict, samples: dict, name) -> tuple[float | None, int]:
    """The p-value of one value against all the others pooled, and which side of them it is (+1 above)."""
    others = [other for other in rows if other != name]
    if isinstance(kpi, Ratio) and kpi.unit == Unit.PERCENT:
        x, n = ratio_counts(kpi, rows[name])
        rest_x, rest_n = (sum(ratio_counts(kpi, rows[o])[k] for o in others) for k in (0, 1))
        side = int(np.sign(x / n - rest_x / rest_n)) if n and rest_n else 0
        return two_proportion_p_value(x, n, rest_x, rest_n), side
    if isinstance(kpi, Conversion):
        own = samples.get(name, [])
        rest = [tuple(map(sum, zip(*step))) for step in zip(*(samples.get(o, []) for o in others))]
        own, rest = through_zero(own), through_zero(rest)
        a, b = (product_interval(steps).value for steps in (own, rest))
        side = 0 if None in (a, b) else int(np.sign(a - b))
        return product_p_value(own, rest), side
    own = samples.get(name, np.array([]))
    rest = np.concatenate([samples.get(o, np.array([])) for o in others] or [np.array([])])
    side = int(np.sign(own.mean() - rest.mean())) if len(own) and len(rest) else 0
    return welch_p_value(own, rest), side


def _errors(kpi, frame: pd.DataFrame, rows: dict) -> np.ndarray:
    """Each value's standard error for the shrinkage: a rate's under the overall rate (binomial: a group's own
    3-of-3 would claim no error at all), else half its interval's width in normal units (NaN without one)."""
    if isinstance(kpi, Ratio) and kpi.unit == Unit.PERCENT:
        x, n = (sum(ratio_counts(kpi, row)[k] for row in rows.values()) for k in (0, 1))
        overall = x / n if n else 0.0
        return np.sqrt(overall * (1 - overall) / frame["observations"].to_numpy(dtype=float))
    z = scipy_stats.norm.ppf((1 + CONFIDENCE) / 2)
    return (frame["high"].to_numpy(dtype=float) - frame["low"].to_numpy(dtype=float)) / (2 * z)


def ranking(analysis: Analysis, by: str | Relabel, kpi_id: str) -> pd.DataFrame:
    """Every value of a dimension (or every new name of a relabelling) for one KPI, best first by its shrunk
    value: value, raw `kpi_id`, interval, observations, small-group flag, shrunk value, p-value against the rest,
    BH q-value, `differs` (+1 above the rest, −1 below, 0 not shown to differ once the FDR is held; None when no
    test applies — totals) and `raw_differs` (the same without the correction)."""
    kpi = catalog.get(kpi_id)
    rows, observations = group_rows(analysis, [kpi_id], by)
    samples = observations.get(kpi_id, {})
    records = []
    for name, row in rows.items():
        sample = samples.get(name)
        estimate = group_estimate(kpi, row, through_zero(sample) if isinstance(kpi, Conversion) else sample)
        if estimate.value is None:
            continue
        p_value, side = _against_rest(kpi, rows, samples, name) if is_tested(kpi) and len(rows) > 1 else (None, 0)
        records.append({"value": str(name), kpi_id: estimate.value, "low": estimate.low, "high": estimate.high,
                        "observations": estimate.observations, "small": is_tested(kpi) and estimate.small,
                        "p_value": p_value, "side": side})
    frame = pd.DataFrame(records, columns=["value", kpi_id, "low", "high", "observations", "small", "p_value",
                                           "side"])
    frame["p_value"] = frame["p_value"].astype(float)
    frame["q_value"] = benjamini_hochberg(frame["p_value"])
    frame["shrunk"] = shrink(frame[kpi_id], _errors(kpi, frame, rows))
    tested = frame["p_value"].notna()
    frame["differs"] = (frame["side"] * (frame["q_value"] < FALSE_DISCOVERY_RATE)).where(tested)
    frame["raw_differs"] = (frame["side"] * (frame["p_value"] < FALSE_DISCOVERY_RATE)).where(tested)
    order = ["shrunk", kpi_id, "value"]
    ascending = [not kpi.higher_is_better, not kpi.higher_is_better, True]
    return frame.sort_values(order, ascending=ascending, ignore_index=True)[["value", kpi_id, *COLUMNS[1:]]]


@dataclass(frozen=True)
class Discoveries:
    """How many values were tested against the rest, how many differ once the FDR is held, and how many would
    without the correction."""

    count: int
    kept: int
    raw: int


def discoveries(table: pd.DataFrame) -> Discoveries | None:
    tested = table["differs"].notna()
    if not tested.any():
        return None
    return Discoveries(int(tested.sum()), int(table.loc[tested, "differs"].ne(0).sum()),
                       int(table.loc[tested, "raw_differs"].ne(0).sum()))


def sentences(table: pd.DataFrame, lang: str) -> list[str]:
    """How many values stand out once the FDR is held (and how many would have without it), and how the order is
    set; nothing when no value was tested (totals)."""
    found = discoveries(table)
    if found is None:
        return []
    return [t("compare.rank.fdr", lang, kept=found.kept, count=found.count, raw=found.raw),
            t("compare.rank.order", lang, count=found.count,
              fdr=format_value(FALSE_DISCOVERY_RATE, "percent", lang, decimals=0))]


def exported(table: pd.DataFrame, kpi: Kpi, dimension: str, lang: str) -> pd.DataFrame:
    """The ranking as downloaded: raw and shrunk values, interval, observations, p- and q-values, the verdict."""
    unit = (kpi.unit, kpi.decimals)
    verdicts = [t(f"compare.differs.{int(d)}", lang) if d == d else "" for d in table["differs"]]
    return displayed(table.assign(differs=verdicts), {
        "value": (t(f"dimension.{dimension}", lang), None), kpi.id: (kpi.label[lang], *unit),
        "low": (t("compare.column.low", lang), *unit), "high": (t("compare.column.high", lang), *unit),
        "observations": (t("compare.column.count", lang), "count"), "shrunk": (t("compare.column.shrunk", lang), *unit),
        "p_value": (t("compare.column.p_value", lang), "ratio", 4),
        "q_value": (t("compare.column.q_value", lang), "ratio", 4),
        "differs": (t("compare.column.differs", lang), None)})


@dataclass(frozen=True)
class FunnelLimits:
    """The funnel plot's reference: the overall value and one observation's spread around it; a value on `n`
    observations falls, by chance alone, within centre ± z·spread/√n."""

    centre: float
    spread: float
    levels: tuple[float, ...] = LIMITS
    floor: float = 0.0  # no rate or basket below it
    ceiling: float = math.inf  # nor above (a rate: 100 %)

    def bounds(self, n, level: float) -> tuple[np.ndarray, np.ndarray]:
        z = scipy_stats.norm.ppf((1 + level) / 2)
        half = z * self.spread / np.sqrt(np.asarray(n, dtype=float))
        return (np.clip(self.centre - half, self.floor, self.ceiling),
                np.clip(self.centre + half, self.floor, self.ceiling))


def funnel_limits(analysis: Analysis, by: str | Relabel, kpi_id: str) -> FunnelLimits | None:
    """For a rate (binomial spread of the overall rate) or the average basket (spread of the sales); None for a
    KPI a funnel plot does not read (totals, conversions through several stages)."""
    kpi = catalog.get(kpi_id)
    if isinstance(kpi, Ratio) and kpi.unit == Unit.PERCENT:
        rows, _ = group_rows(analysis, [kpi_id], by)
        x, n = (sum(ratio_counts(kpi, row)[k] for row in rows.values()) for k in (0, 1))
        return FunnelLimits(x / n, math.sqrt(x / n * (1 - x / n)), ceiling=1.0) if n else None
    if kpi_id == "avg_basket":
        totals = engine.order_totals(analysis.session, analysis.windows.current, by,
                                     filters=analysis.selection.filters)["total"].to_numpy(dtype=float)
        return FunnelLimits(float(totals.mean()), float(totals.std(ddof=1))) if len(totals) > 1 else None
    return None
