"""Where the period's revenue will land, learned from the user's own history, and how far to trust it.

Revenue still to come = each deal open at the cut × the probability that a deal at its stage and age, open at
the same number of days before the end of each of the past year's periods, was won before that end; plus what
the orders brought in those last days beyond what their open deals were expected to bring (repeat orders,
business outside the CRM), in proportion to what was booked before the cut — so it holds whether or not won deals
also appear as orders. The interval draws each deal won or not, and that remainder's error like the past ones'.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from kpi_core import engine, queries
from kpi_core.periods import PERIODS_PER_YEAR, Period, Window
from kpi_core.session import Session

AGE_LIMITS = (30, 90, 180)  # a deal's age at the cut falls in [0, 30), [30, 90), [90, 180) or ≥ 180 days
PRIOR_DEALS = 10  # a cell's own rate weighs as many deals against the broader rate it is pulled towards
MIN_HISTORY = 3  # past periods needed to learn from
LEVEL = 0.8
DRAWS = 4000
CELLS_PER_BATCH = 4_000_000  # draws × open deals held at once
TOP_DEALS = 10
BACKTEST_PERIODS = 6


@dataclass(frozen=True)
class Forecast:
    """The period's revenue at its end: `booked` before the cut, `pipeline` expected from the deals open then,
    `other` expected from the rest; `low`–`high` the LEVEL interval; `deals` the open deals weightiest first."""

    period: Period
    cut: date  # the first day the data does not cover
    booked: float
    pipeline: float
    other: float
    low: float
    high: float
    deals: pd.DataFrame  # deal_id, rep, stage, age_days, amount, probability, expected
    staged: bool  # rates by stage and age (the deals carry stage entry dates), else by age alone
    history: int  # past periods learned from
    draws: np.ndarray = field(repr=False, compare=False)  # DRAWS simulated ends of the period

    @property
    def expected(self) -> float:
        return self.booked + self.pipeline + self.other

    def chance(self, amount: float) -> float:
        """The share of simulated ends reaching `amount`."""
        return float((self.draws >= amount).mean())


def _revenue(session: Session, spans: list[tuple[date, date]], period: Period, filters) -> np.ndarray:
    windows = [Window(start, stop, start, start, period) for start, stop in spans]
    table = engine.compute(session, ["revenue"], windows, filters=filters)
    return table["revenue"].fillna(0).to_numpy(dtype=float)


def _open_deals(session: Session, cuts: list[date], ends: list[date], filters, staged: bool) -> pd.DataFrame:
    """The deals open at each cut as known then, with whether each was won before its end."""
    source, params = engine.source_sql(session, queries.Source("forecast", "deals", queries.DEALS_IN_SCOPE),
                                       filters or {}, None)
    params |= {"cuts": cuts, "ends": ends, "staged": staged}
    rep = "f.rep" if "rep" in session.dimensions("deals") else "CAST(NULL AS VARCHAR)"
    return session.query(queries.FORECAST_DEALS.format(source=source, rep=rep), params)


def _cells(deals: pd.DataFrame) -> pd.DataFrame:
    bucket = np.searchsorted(AGE_LIMITS, deals["age_days"].to_numpy(), side="right")
    return deals.assign(stage_key=deals["stage_at_cut"].fillna(0).astype(int), age_bucket=bucket)


def probabilities(history: pd.DataFrame, deals: pd.DataFrame) -> np.ndarray:
    """Each deal's chance to be won before the end: its stage-and-age cell's rate in `history`, pulled towards its
    stage's rate (itself pulled towards the overall one) by PRIOR_DEALS — a cell seen on few deals says little."""
    history, deals = _cells(history), _cells(deals)
    overall = history["won"].mean() if len(history) else 0.0
    stage = history.groupby("stage_key")["won"].agg(["sum", "count"])
    stage_rate = (stage["sum"] + PRIOR_DEALS * overall) / (stage["count"] + PRIOR_DEALS)
    cell = history.groupby(["stage_key", "age_bucket"])["won"].agg(["sum", "count"]).reset_index()
    parent = deals["stage_key"].map(stage_rate).fillna(overall).to_numpy()
    found = deals[["stage_key", "age_bucket"]].merge(cell, how="left", on=["stage_key", "age_bucket"])
    wins, count = found["sum"].fillna(0).to_numpy(), found["count"].fillna(0).to_numpy()
    return (wins + PRIOR_DEALS * parent) / (count + PRIOR_DEALS)


def _draw_pipeline(probability: np.ndarray, amount: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """DRAWS totals of the deals won, each deal won with its probability (in batches: memory stays flat)."""
    batch = max(1, CELLS_PER_BATCH // max(1, len(amount)))
    totals = [(rng.random((min(batch, DRAWS - done), len(amount))) < probability) @ amount
              for done in range(0, DRAWS, batch)]
    return np.concatenate(totals) if totals else np.zeros(DRAWS)


def _remainder(booked: float, booked_then: np.ndarray, remainders: np.ndarray,
               rng: np.random.Generator) -> tuple[float, np.ndarray]:
    """The remainder expected now and DRAWS values of it. The last days of a period bring in proportion to its
    first (a quiet August stays quiet): the past remainders ÷ what was booked before their cut, times what is
    booked now — or their mean when nothing was booked before the cuts. The draws add to it a new error like the
    past ones (Student's t widened by the estimate's own uncertainty: a handful of periods says little)."""
    ratio = remainders.sum() / booked_then.sum() if booked_then.sum() > 0 else None
    centre = ratio * booked if ratio is not None else remainders.mean()
    errors = remainders - (ratio * booked_then if ratio is not None else remainders.mean())
    count = len(remainders)
    spread = errors.std(ddof=1) * np.sqrt(1 + 1 / count)
    return float(centre), centre + spread * rng.standard_t(count - 1, DRAWS)


def forecast(session: Session, period: Period, cut: date, *, first_date: date, filters=None,
             seed: int = 0) -> Forecast | None:
    """The forecast of `period` made with the data known before `cut`; None with fewer than MIN_HISTORY past
    periods after `first_date` to learn from."""
    end = period.end
    days_left = (end - cut).days
    past = [p for p in (period.shift(-k) for k in range(1, PERIODS_PER_YEAR[period.granularity] + 1))
            if p.start >= first_date]
    if len(past) < MIN_HISTORY:
        return None
    staged = "stage_entries" in session.provided.get("deals", ())
    cuts = [cut] + [p.end - timedelta(days=days_left) for p in past]
    deals = _open_deals(session, cuts, [end] + [p.end for p in past], filters, staged)
    current, history = deals[deals["i"] == 1].reset_index(drop=True), deals[deals["i"] > 1]
    probability = probabilities(history, current)
    # What each past period's last days brought beyond its open deals' expectation.
    expected_then = (history.assign(expected=probabilities(history, history) * history["amount"])
                     .groupby("i")["expected"].sum().reindex(range(2, len(cuts) + 1), fill_value=0).to_numpy())
    spans = [(period.start, cut)] + [(c, p.end) for c, p in zip(cuts[1:], past)]
    revenue = _revenue(session, spans + [(p.start, c) for c, p in zip(cuts[1:], past)], period, filters)
    booked, remainders, booked_then = revenue[0], revenue[1:len(spans)] - expected_then, revenue[len(spans):]
    rng = np.random.default_rng(seed)
    amount = current["amount"].to_numpy(dtype=float)
    other, other_draws = _remainder(booked, booked_then, remainders, rng)
    totals = booked + _draw_pipeline(probability, amount, rng) + other_draws
    low, high = np.quantile(totals, [(1 - LEVEL) / 2, (1 + LEVEL) / 2])
    rank = current["stage_at_cut"].fillna(current["stage_rank"]).astype(int)
    table = pd.DataFrame({
        "deal_id": current["deal_id"], "rep": current["rep"],
        "stage": [session.stages[r - 1] for r in rank], "age_days": current["age_days"], "amount": amount,
        "probability": probability, "expected": probability * amount,
    }).sort_values(["expected", "deal_id"], ascending=[False, True], ignore_index=True)
    return Forecast(period, cut, float(booked), float(table["expected"].sum()), other,
                    float(low), float(high), table, staged, len(past), totals)


def backtest(session: Session, last: Period, *, first_date: date, filters=None,
             count: int = BACKTEST_PERIODS) -> pd.DataFrame:
    """For `last` and the `count` − 1 periods before it (all closed), the forecast made at mid-period with the
    data known then against what happened, beside the naive "same as the period before":
    period, cut, forecast, low, high, actual, error, naive, naive_error, inside (relative errors)."""
    periods = [last.shift(-k) for k in range(count - 1, -1, -1)]
    spans = [(p.start, p.end) for p in periods] + [(p.shift(-1).start, p.start) for p in periods]
    revenue = _revenue(session, spans, last, filters)
    rows = []
    for period, actual, naive in zip(periods, revenue[:count], revenue[count:]):
        cut = period.start + timedelta(days=(period.end - period.start).days // 2)
        made = forecast(session, period, cut, first_date=first_date, filters=filters)
        if made is None:
            continue
        rows.append({"period": period, "cut": cut, "forecast": made.expected, "low": made.low, "high": made.high,
                     "actual": actual, "error": _error(made.expected, actual), "naive": naive,
                     "naive_error": _error(naive, actual), "inside": bool(made.low <= actual <= made.high)})
    return pd.DataFrame(rows, columns=["period", "cut", "forecast", "low", "high", "actual", "error", "naive",
                                       "naive_error", "inside"])


def _error(predicted: float, actual: float) -> float | None:
    return (predicted - actual) / abs(actual) if actual else None


@dataclass(frozen=True)
class Accuracy:
    """A backtest in a line: the mean absolute relative miss of the forecast and of the naive one, and how many
    actuals fell in the interval."""

    error: float | None
    naive_error: float | None
    inside: int
    count: int


def accuracy(table: pd.DataFrame) -> Accuracy:
    def mean_miss(column: str) -> float | None:
        misses = table[column].dropna().abs()
        return float(misses.mean()) if len(misses) else None

    return Accuracy(mean_miss("error"), mean_miss("naive_error"), int(table["inside"].sum()), len(table))
