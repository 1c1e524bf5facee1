"""What pages, the CLI and reports ask for: KPIs of a selected period, compared fairly, trended, broken down."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from datetime import timedelta

import pandas as pd

from kpi_core import catalog, engine, forecast, planning, queries
from kpi_core.catalog import MATURITY, PROVISIONAL, WITHHELD, Conversion, Kpi, Ratio, Structured
from kpi_core.formatting import Measure, Phrase, Unit, change_sign
from kpi_core.i18n import t
from kpi_core.periods import (
    Granularity,
    Period,
    Window,
    comparison_windows,
    period_containing,
    periods_between,
    today,
    trend_windows,
)
from kpi_core.session import Session
from kpi_core.stages import StageStep, WeakestStage, number, stage_steps, weakest_step

AT_RISK_SPAN = 3  # periods compared with the 3 before them


@dataclass(frozen=True)
class Selection:
    """The sidebar: granularity, period (None = the latest), filters, the retention window, whether public
    holidays are days off for targets and pacing, and the month the fiscal year starts in."""

    granularity: Granularity = Granularity.MONTH
    period: Period | None = None
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    retention_periods: int = 1
    exclude_holidays: bool = True
    fiscal_start: int = 1  # the month the fiscal year starts in (quarters)


def change(value: float | None, reference: float | None) -> tuple[float | None, float | None]:
    """(absolute, relative) change from `reference` to `value`; relative is None against zero."""
    if value is None or reference is None:
        return None, None
    absolute = value - reference
    return absolute, (absolute / abs(reference) if reference else None)


@dataclass(frozen=True)
class KpiResult:
    """One KPI for the selected period, with its comparisons and why it may be missing."""

    kpi: Kpi
    value: float | None
    previous: float | None = None
    last_year: float | None = None
    reason: str | None = None
    reason_params: dict = field(default_factory=dict)
    observations: int | None = None  # a ratio's denominator; a conversion's fewest decided deals
    small_sample: bool = False
    provisional: bool = False  # a rate on deals some of which are still open: it may still move
    unfiltered: tuple[str, ...] = ()  # active filters none of its datasets can apply: computed on all their rows
    interval: tuple[float, float] | None = None  # an estimate's (forecast.LEVEL)
    target: float | None = None  # what the value is set against (a forecast, the period's target)

    @property
    def vs_previous(self) -> tuple[float | None, float | None]:
        """(absolute, relative) change against the previous period."""
        return change(self.value, self.previous)

    @property
    def vs_last_year(self) -> tuple[float | None, float | None]:
        return change(self.value, self.last_year)

    def tone(self, versus: tuple[float | None, float | None]) -> str | None:
        """What a change (`vs_previous`, `vs_last_year`) means for this KPI: `good`, `bad`, `flat` (nothing as
        shown), `neutral` for a KPI that is not judged (a target); None without a change."""
        sign = change_sign(*versus, self.kpi.unit)
        if sign is None or self.kpi.higher_is_better is None:
            return None if sign is None else "flat" if sign == 0 else "neutral"
        return "flat" if sign == 0 else "good" if (sign > 0) == self.kpi.higher_is_better else "bad"

    @property
    def status(self) -> str | None:
        """`good`, `watch` or `problem` against the KPI's thresholds."""
        thresholds = self.kpi.thresholds
        if thresholds is None or self.value is None:
            return None
        sign = 1 if self.kpi.higher_is_better else -1
        if sign * self.value >= sign * thresholds.good:
            return "good"
        return "problem" if sign * self.value < sign * thresholds.bad else "watch"



class Analysis:
    """One session's data seen through one selection."""

    def __init__(self, session: Session, selection: Selection | None = None, *, custom: tuple[Kpi, ...] = ()):
        self.session = session
        self.selection = selection or Selection()
        self.custom = {kpi.id: kpi for kpi in custom}  # the user's own KPIs, computed like the catalog's
        bounds = session.date_range()
        self.first_date, self.as_of = bounds if bounds else (None, None)
        granularity = self.selection.granularity
        if self.selection.period is not None:
            self.period = self.selection.period
        elif self.as_of is not None:
            self.period = period_containing(self.as_of, granularity, self.selection.fiscal_start)
        else:
            self.period = period_containing(today(), granularity, self.selection.fiscal_start)
        self.windows = comparison_windows(self.period, self.as_of or self.period.end,
                                          retention_periods=self.selection.retention_periods,
                                          exclude_holidays=self.selection.exclude_holidays)

    @property
    def has_data(self) -> bool:
        return self.as_of is not None

    def periods(self) -> list[Period]:
        """Every period the data covers, newest first (for the period picker)."""
        if not self.has_data:
            return []
        return periods_between(self.first_date, self.as_of, self.selection.granularity,
                               self.selection.fiscal_start)[::-1]

    @property
    def custom_ids(self) -> list[str]:
        """The user's own KPIs as they are shown (the numerator of a custom ratio is not shown alone)."""
        inputs = {part for kpi in self.custom.values() for part in catalog.parts(kpi)}
        return [kpi_id for kpi_id in self.custom if kpi_id not in inputs]

    def unapplied_filters(self, datasets) -> tuple[str, ...]:
        """The active filters none of `datasets` can apply: what a page made of them shows unfiltered and must
        say so."""
        return engine.scope(self.session, datasets, self.selection.filters).ignored

    def kpi(self, kpi_id: str) -> Kpi:
        """A catalog KPI or one of the user's own."""
        return catalog.get(kpi_id, self.custom)

    def available(self, kpi_id: str) -> bool:
        return all(self.session.has(dataset) for dataset in self.kpi(kpi_id).datasets) and not self._missing(kpi_id)

    def _missing(self, kpi_id: str) -> list[str]:
        """The optional fields a KPI, or any KPI it is computed from, needs and the user's data lacks."""
        wanted = dict.fromkeys(required.partition(".") for dependency in catalog.dependencies(kpi_id, self.custom)
                               for required in self.kpi(dependency).requires)
        return [name for dataset, _, name in wanted if name not in self.session.provided.get(dataset, ())]

    def _compute(self, kpi_ids, windows: list[Window], by: str | None = None) -> pd.DataFrame:
        return engine.compute(self.session, kpi_ids, windows, filters=self.selection.filters, by=by,
                              extra=self.custom)

    def scorecard(self, kpi_ids: list[str]) -> dict[str, KpiResult]:
        """Each KPI for the period, the previous period and the same period last year."""
        windows = [self.windows.current, self.windows.previous, self.windows.last_year]
        table = self._compute([k for k in kpi_ids if not isinstance(self.kpi(k), Structured)], windows)
        return {kpi_id: self._result(kpi_id, table) for kpi_id in kpi_ids}

    def _unavailable(self, kpi: Kpi) -> KpiResult | None:
        """Why the KPI cannot be computed at all here (data or fields missing, a filter applying to part of it)."""
        missing = tuple(Phrase(f"dataset.{dataset}") for dataset in kpi.datasets if not self.session.has(dataset))
        if missing:  # named as the upload page names them, only those missing
            return KpiResult(kpi, None, reason="reason.missing_dataset", reason_params={"datasets": missing})
        if self._missing(kpi.id):
            return KpiResult(kpi, None, reason="reason.missing_field",
                             reason_params={"fields": ", ".join(self._missing(kpi.id))})
        scope = engine.scope(self.session, kpi.datasets, self.selection.filters)
        if scope.mixed:
            dimension, dataset = scope.mixed[0]
            return KpiResult(kpi, None, reason="reason.scope_mixed",
                             reason_params={"dimension": Phrase(f"dimension.{dimension}"),
                                            "dataset": Phrase(f"dataset.{dataset}")})
        return None

    def _result(self, kpi_id: str, table: pd.DataFrame) -> KpiResult:
        kpi = self.kpi(kpi_id)
        if blocked := self._unavailable(kpi):
            return blocked
        if kpi_id not in table.columns:
            return KpiResult(kpi, None, reason="reason.not_a_number")
        result = self._value(kpi, table)
        ignored = engine.scope(self.session, kpi.datasets, self.selection.filters).ignored
        return replace(result, unfiltered=ignored) if ignored else result

    def _value(self, kpi: Kpi, table: pd.DataFrame) -> KpiResult:
        kpi_id = kpi.id
        current, previous, last_year = (number(value) for value in table[kpi_id].tolist())
        if isinstance(kpi, Conversion):
            return self._conversion_result(kpi, table, current, previous, last_year)
        reason, params, observations, small, provisional = None, {}, None, False, False
        if isinstance(kpi, Ratio):
            observations = number(table[kpi.denominator].iloc[0])
            observations = None if observations is None else int(observations)
            pending = number(table[kpi.pending].iloc[0]) if kpi.pending else None
            share = pending / observations if pending is not None and observations else None
            if current is None and not observations:
                reason, params = "reason.zero_denominator", {"kpi": self.kpi(kpi.denominator)}
            elif current is None and share is not None:
                reason, params = "reason.cohort_open", {"share": Measure(share, Unit.PERCENT)}
            small = bool(observations) and kpi.min_denominator is not None and observations < kpi.min_denominator
            provisional = current is not None and share is not None and share > MATURITY.provisional_open_share
        elif current is None:
            reason = "reason.no_observation"
        return KpiResult(kpi, current, previous, last_year, reason, params, observations, small, provisional)

    def _conversion_result(self, kpi: Conversion, table: pd.DataFrame, *values) -> KpiResult:
        """A conversion with how far it can be read: withheld (the transition and why), provisional, small."""
        first = table.iloc[0]
        decided, maturity = number(first[f"{kpi.id}__decided"]), number(first[f"{kpi.id}__maturity"])
        if decided is None:
            return KpiResult(kpi, *values, reason="reason.no_observation")
        blocking = int(first[f"{kpi.id}__blocking"])
        transition = {"from_stage": self.session.stages[blocking - 1], "to_stage": self.session.stages[blocking]}
        reason, params = None, {}
        if values[0] is None and maturity == WITHHELD:
            share = number(first[f"{kpi.id}__open_share"]) or 0
            if share > MATURITY.max_open_share:
                reason, params = "reason.stage_open", {**transition, "share": Measure(share, Unit.PERCENT)}
            else:
                reason, params = "reason.few_decided", {**transition, "count": int(decided),
                                                        "minimum": MATURITY.min_decided}
        small = values[0] is not None and decided < MATURITY.small_decided
        provisional = values[0] is not None and maturity == PROVISIONAL and not small
        return KpiResult(kpi, *values, reason=reason, reason_params=params, observations=int(decided),
                         small_sample=small, provisional=provisional)

    def trend(self, kpi_ids: list[str], *, count: int = 12) -> pd.DataFrame:
        """The KPIs over the `count` periods ending with the selected one (the last maybe to date)."""
        windows = trend_windows(self.period, self.as_of or self.period.end, count=count,
                                retention_periods=self.selection.retention_periods,
                                exclude_holidays=self.selection.exclude_holidays)
        table = self._compute(kpi_ids, windows)
        table.insert(0, "period", [w.period for w in windows])
        table.insert(1, "partial", [w.partial for w in windows])
        return table.drop(columns=["i", "dim_value"])

    def breakdown(self, kpi_ids: list[str], dimension: str) -> pd.DataFrame:
        """The KPIs of the selected period for each value of `dimension`."""
        table = self._compute(kpi_ids, [self.windows.current], by=dimension)
        return table.rename(columns={"dim_value": dimension}).drop(columns=["i"])

    def dimensions(self, kpi_id: str) -> tuple[str, ...]:
        """Dimensions the KPI can be broken down by with the data loaded: those every dataset it reads has (a
        target by segment means nothing when targets are set per rep); none for calendar figures."""
        datasets = self.kpi(kpi_id).datasets
        if not datasets or not self.available(kpi_id):
            return ()
        return tuple(d for d in self.session.dimensions(datasets[0])
                     if all(d in self.session.dimensions(other) for other in datasets[1:]))

    def funnel(self, *, by: str | None = None) -> pd.DataFrame:
        """Deals created in the period having reached each stage, and stage-to-stage conversion."""
        table = engine.funnel(self.session, [self.windows.current], filters=self.selection.filters, by=by)
        table = table.drop(columns=["i"])
        return table.drop(columns=["dim_value"]) if by is None else table.rename(columns={"dim_value": by})

    def stage_steps(self) -> list[StageStep]:
        """The transitions of the selected period's funnel."""
        return stage_steps(self.funnel())

    def weakest_stage(self, *, lookback: int = 6) -> WeakestStage | None:
        """The weakest transition of the deals created in the selected period or, while its rates cannot name
        one yet, in the latest of the `lookback` periods before it that can; None when none can."""
        if not self.session.has("deals"):
            return None
        windows = trend_windows(self.period, self.as_of or self.period.end, count=lookback + 1,
                                exclude_holidays=self.selection.exclude_holidays)
        table = engine.funnel(self.session, windows, filters=self.selection.filters)
        for i, window in reversed(list(enumerate(windows, start=1))):
            weakest = weakest_step(stage_steps(table[table["i"] == i]))
            if weakest is not None:
                return WeakestStage(weakest, window.period, window.period == self.period)
        return None

    def rates(self, *, months: int = 6, basket: str = "avg_won_deal", lookback: int = 12) -> planning.Rates:
        """The basket (`avg_won_deal` or the orders' `avg_basket`), funnel and calls of `months` months: the rates
        the planner works with (one month is too few deals). The span ends with the period unless its deals have
        not decided yet: then it is the latest span, up to `lookback` months earlier, whose every step can be read.
        The deals reaching each stage are the deals created carried through each step's rate on the deals that
        left the stage, so a deal still open is not counted as one that failed."""
        stop = self.windows.current.stop
        spans = []
        for back in range(lookback + 1):
            end = (pd.Timestamp(stop) - pd.DateOffset(months=back)).date()
            start = (pd.Timestamp(end) - pd.DateOffset(months=months)).date()
            spans.append(Window(start, end, start, start, self.period))
        span, reached = spans[0], ()
        if self.session.has("deals"):
            funnel = engine.funnel(self.session, spans, filters=self.selection.filters)
            readable = [i for i, part in funnel.groupby("i")
                        if (part["maturity_from_previous"].dropna() < WITHHELD).all()]
            chosen = min(readable, default=1)
            span, steps = spans[chosen - 1], stage_steps(funnel[funnel["i"] == chosen])
            expected = [float(steps[0].reached_from)] if steps else []
            for step in steps:
                expected.append(expected[-1] * step.reached_to / step.decided if step.decided else 0.0)
            stages = [steps[0].from_stage, *(step.to_stage for step in steps)] if steps else []
            reached = tuple(zip(stages, expected))
        kpis = [basket] + (["calls_count"] if self.session.has("activities") else [])
        values = engine.compute(self.session, kpis, [span], filters=self.selection.filters).iloc[0]
        calls = number(values.get("calls_count"))
        return planning.Rates(number(values.get(basket)), reached, None if calls is None else int(calls),
                              span.start, span.stop)

    @functools.cached_property
    def forecast(self) -> forecast.Forecast | None:
        """The selected period's revenue forecast while it is in progress (None when it is closed, the data lacks
        what the forecast needs or the history is too short)."""
        kpi = self.kpi("revenue_forecast")
        if not self.windows.current.partial or self._unavailable(kpi):
            return None
        return forecast.forecast(self.session, self.period, self.windows.current.stop, first_date=self.first_date,
                                 filters=self.selection.filters)

    def forecast_result(self) -> KpiResult:
        """The forecast as a card shows it: the expected revenue, its interval and the period's target, or why
        there is none."""
        kpi = self.kpi("revenue_forecast")
        if blocked := self._unavailable(kpi):
            return blocked
        if not self.windows.current.partial:
            return KpiResult(kpi, None, reason="reason.period_closed")
        made = self.forecast
        if made is None:
            return KpiResult(kpi, None, reason="reason.short_history", reason_params={"count": forecast.MIN_HISTORY})
        target = self.scorecard(["target"])["target"].value if self.available("target") else None
        return KpiResult(kpi, made.expected, interval=(made.low, made.high), target=target)

    def backtest(self) -> pd.DataFrame:
        """The forecasts made at mid-period for the last closed periods up to the selected one, against what
        happened (forecast.backtest); empty when the forecast cannot be made here."""
        if self._unavailable(self.kpi("revenue_forecast")):
            return pd.DataFrame()
        last = self.period.shift(-1) if self.windows.current.partial else self.period
        return forecast.backtest(self.session, last, first_date=self.first_date, filters=self.selection.filters)

    @property
    def has_status(self) -> bool:
        """Whether the deals say which are still open (without it, a deal below the last stage stopped there)."""
        return "status" in self.session.provided.get("deals", ())

    @property
    def has_stage_entries(self) -> bool:
        """Whether the deals carry one entry date per stage (else the funnel is derived from the furthest stage)."""
        return "stage_entries" in self.session.provided.get("deals", ())

    def time_in_stage(self) -> pd.DataFrame:
        """Median and mean days the deals created in the period spent in each stage before entering the next:
        stage, deals, median_days, mean_days (empty without stage entry dates)."""
        if not self.has_stage_entries:
            return pd.DataFrame(columns=["stage", "deals", "median_days", "mean_days"])
        sql, params = engine.source_sql(self.session, queries.SOURCES["deals_created"], self.selection.filters, None)
        params |= engine.window_params([self.windows.current])
        table = self.session.query(queries.TIME_IN_STAGE.format(windows=queries.WINDOWS, source=sql), params)
        table.insert(0, "stage", [self.session.stages[int(rank) - 1] for rank in table.pop("stage_rank")])
        return table

    def lost_reasons(self, lang: str = "en") -> pd.DataFrame:
        """Deals lost in the period by reason: reason, deals, amount (most frequent first)."""
        if not self.session.has("deals"):
            return pd.DataFrame(columns=["reason", "deals", "amount"])
        sql, params = engine.source_sql(self.session, queries.SOURCES["deals_closed"], self.selection.filters, None)
        params |= engine.window_params([self.windows.current]) | {"no_reason": t("lost.no_reason", lang)}
        return self.session.query(queries.LOST_REASONS.format(windows=queries.WINDOWS, source=sql), params)

    def at_risk_customers(self, *, limit: int = 200) -> pd.DataFrame:
        """Customers whose revenue over the last AT_RISK_SPAN periods fell below the AT_RISK_SPAN before, with
        why (basket falling, orders less frequent, silent for over twice their usual gap), most revenue at risk
        first (queries.AT_RISK_CUSTOMERS)."""
        if not self.session.has("orders"):
            return pd.DataFrame()
        recent_start = self.period.shift(-(AT_RISK_SPAN - 1)).start
        before_start = self.period.shift(-(2 * AT_RISK_SPAN - 1)).start
        stop = self.windows.current.stop
        sql, params = engine.source_sql(
            self.session, queries.Source("at_risk", "orders", queries.AT_RISK_CUSTOMERS), self.selection.filters, None)
        params |= {"before_start": before_start, "recent_start": recent_start, "stop": stop,
                   "as_of": stop - timedelta(days=1), "min_orders": 2, "max_order_ratio": 0.5,
                   "max_basket_ratio": 0.75, "silence_factor": 2, "min_silent_days": 30, "limit": limit}
        return self.session.query(sql, params)

    def cohorts(self, *, count: int = 12) -> pd.DataFrame:
        """Share of each of the last `count` cohorts still active in each later period."""
        if not self.session.has("orders"):
            return pd.DataFrame()
        sql, params = engine.source_sql(
            self.session, queries.Source("cohorts", "orders", queries.COHORTS), self.selection.filters, None)
        params |= {"granularity": self.selection.granularity.value, "month_shift": self.period.month_shift,
                   "first_cohort": self.period.shift(-(count - 1)).start, "stop": self.period.end}
        table = self.session.query(sql, params)
        granularity, fiscal_start = self.selection.granularity, self.period.fiscal_start
        for column in ("cohort", "period"):
            table[column] = table[column].map(
                lambda day: period_containing(pd.Timestamp(day).date(), granularity, fiscal_start))
        table["age"] = [len(periods_between(c.start, p.start, granularity)) - 1
                        for c, p in zip(table["cohort"], table["period"])]
        return table
