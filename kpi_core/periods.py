"""Calendar periods (ISO week, month, quarter of the fiscal year) and the date windows KPIs are computed over."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from kpi_core import workdays


def today() -> date:
    """Today, or the day `BOUSSOLE_TODAY` (YYYY-MM-DD) pins for tests and demos."""
    pinned = os.environ.get("BOUSSOLE_TODAY")
    return date.fromisoformat(pinned) if pinned else date.today()


class Granularity(StrEnum):
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"


# A year earlier, in periods: 52 ISO weeks keeps the weekday, which is what weekly activity needs.
PERIODS_PER_YEAR = {Granularity.WEEK: 52, Granularity.MONTH: 12, Granularity.QUARTER: 4}
_MONTHS_PER_PERIOD = {Granularity.MONTH: 1, Granularity.QUARTER: 3}


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True, order=True)
class Period:
    """One calendar period: [start, end) with end exclusive. Quarters are those of the fiscal year starting in
    month `fiscal_start` (1: the calendar year)."""

    start: date
    granularity: Granularity
    fiscal_start: int = 1

    @property
    def end(self) -> date:
        return self.shift(1).start

    @property
    def fiscal_year(self) -> int:
        """The calendar year the period's fiscal year starts in."""
        return self.start.year if self.start.month >= self.fiscal_start else self.start.year - 1

    @property
    def quarter(self) -> int:
        """The quarter's number in its fiscal year."""
        return (self.start.month - self.fiscal_start) % 12 // 3 + 1

    @property
    def year_label(self) -> str:
        """`2026`, or `2026-27` for a fiscal year that does not start in January."""
        year = self.fiscal_year
        return str(year) if self.fiscal_start == 1 else f"{year}-{(year + 1) % 100:02d}"

    @property
    def key(self) -> str:
        """Stable text form used in URLs, the CLI and exports: 2025-06, 2025-Q2 (2025-26-Q1 in a fiscal year
        starting after January), 2025-W26."""
        if self.granularity is Granularity.MONTH:
            return f"{self.start:%Y-%m}"
        if self.granularity is Granularity.QUARTER:
            return f"{self.year_label}-Q{self.quarter}"
        year, week, _ = self.start.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def month_shift(self) -> int:
        """Months from a calendar quarter's start to this granularity's period start (SQL's date_trunc)."""
        return (self.fiscal_start - 1) % 3 if self.granularity is Granularity.QUARTER else 0

    def shift(self, periods: int) -> Period:
        if self.granularity is Granularity.WEEK:
            return replace(self, start=self.start + timedelta(weeks=periods))
        months = _MONTHS_PER_PERIOD[self.granularity] * periods
        return replace(self, start=_add_months(self.start, months))

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end


def period_containing(day: date, granularity: Granularity | str, fiscal_start: int = 1) -> Period:
    granularity = Granularity(granularity)
    if granularity is Granularity.WEEK:
        return Period(day - timedelta(days=day.weekday()), granularity, fiscal_start)
    month = date(day.year, day.month, 1)
    if granularity is Granularity.MONTH:
        return Period(month, granularity, fiscal_start)
    return Period(_add_months(month, -((day.month - fiscal_start) % 3)), granularity, fiscal_start)


_KEY_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{1,2})$"), Granularity.MONTH),
    (re.compile(r"^(\d{4})(?:-(\d{2}))?-?[QqTt]([1-4])$"), Granularity.QUARTER),
    (re.compile(r"^(\d{4})-?[WwSs](\d{1,2})$"), Granularity.WEEK),
)


def parse_period(text: str, granularity: Granularity | str | None = None, fiscal_start: int = 1) -> Period:
    """Read 2025-06, 2025-Q2 (a quarter of the fiscal year starting in 2025; also 2025-26-Q1), 2025-W26 or a date
    (then `granularity` says which period holds it)."""
    text = text.strip()
    for pattern, found in _KEY_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        year, number = int(match[1]), int(match[match.lastindex])
        if found is Granularity.MONTH and 1 <= number <= 12:
            period = Period(date(year, number, 1), found, fiscal_start)
        elif found is Granularity.QUARTER and match[2] in (None, f"{(year + 1) % 100:02d}"):
            period = Period(_add_months(date(year, fiscal_start, 1), 3 * (number - 1)), found, fiscal_start)
        elif found is Granularity.WEEK and 1 <= number <= date(year, 12, 28).isocalendar().week:
            period = Period(date.fromisocalendar(year, number, 1), found, fiscal_start)
        else:
            raise ValueError(f"not a valid period: {text!r}")
        return period if granularity is None else period_containing(period.start, granularity, fiscal_start)
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not a valid period: {text!r} (expected 2025-06, 2025-Q2 or 2025-W26)") from None
    return period_containing(day, granularity or Granularity.MONTH, fiscal_start)


def periods_between(first: date, last: date, granularity: Granularity | str, fiscal_start: int = 1) -> list[Period]:
    """Every period from the one holding `first` to the one holding `last`, oldest first."""
    period, stop = (period_containing(day, granularity, fiscal_start) for day in (first, last))
    found = []
    while period <= stop:
        found.append(period)
        period = period.shift(1)
    return found


@dataclass(frozen=True)
class Window:
    """Dates [start, stop) a KPI is computed over.

    Retention compares customers active in [base_stop, stop) with those of [base_start, base_stop); revenue
    retention weighs them with their revenue of [base_start, base_cut), the base cut to as many days as the
    recent window has while the period is in progress (to date alike).
    """

    start: date
    stop: date
    base_start: date
    base_stop: date
    period: Period
    partial: bool = False
    # The period before, cut to the same number of days (growth KPIs compare the two).
    previous_start: date | None = None
    previous_stop: date | None = None
    # Working days of the whole period and of [start, stop); the months whose targets fall in the period, with
    # the share of each (1 for a month or a quarter, a fraction of the month for a week).
    working_days: int = 0
    working_days_elapsed: int = 0
    target_months: tuple[date, ...] = ()
    target_shares: tuple[float, ...] = ()

    @property
    def base_cut(self) -> date:
        return min(self.base_stop, self.base_start + (self.stop - self.base_stop)) if self.partial else self.base_stop

    @property
    def working_days_left(self) -> int:
        return self.working_days - self.working_days_elapsed


def window(period: Period, *, days: int | None = None, retention_periods: int = 1,
           exclude_holidays: bool = True) -> Window:
    """The window of `period`, cut to its first `days` days when the period is still in progress.

    Retention compares the `retention_periods` periods ending here with the same span just before.
    """
    full_days = (period.end - period.start).days
    days = full_days if days is None else max(1, min(days, full_days))
    stop = period.start + timedelta(days=days)
    shares = workdays.month_shares(period.start, period.end, exclude_holidays=exclude_holidays)
    return Window(
        start=period.start,
        stop=stop,
        base_start=period.shift(-(2 * retention_periods - 1)).start,
        base_stop=period.shift(-(retention_periods - 1)).start,
        period=period,
        partial=days < full_days,
        previous_start=period.shift(-1).start,
        previous_stop=min(period.shift(-1).start + timedelta(days=days), period.start),
        working_days=workdays.working_days(period.start, period.end, exclude_holidays=exclude_holidays),
        working_days_elapsed=workdays.working_days(period.start, stop, exclude_holidays=exclude_holidays),
        target_months=tuple(month for month, _ in shares),
        target_shares=tuple(share for _, share in shares),
    )


def elapsed_days(period: Period, as_of: date) -> int | None:
    """Days of `period` covered by data up to `as_of`; None when the period is complete."""
    if as_of >= period.end - timedelta(days=1) or as_of < period.start:
        return None
    return (as_of - period.start).days + 1


@dataclass(frozen=True)
class ComparisonWindows:
    current: Window
    previous: Window
    last_year: Window


def comparison_windows(period: Period, as_of: date, *, retention_periods: int = 1,
                       exclude_holidays: bool = True) -> ComparisonWindows:
    """The period, the one before and the same one a year earlier — all cut to the same number of days
    when the period is still in progress, so a partial month is never compared with a full one."""
    days = elapsed_days(period, as_of)
    year_back = PERIODS_PER_YEAR[period.granularity]
    options = {"days": days, "retention_periods": retention_periods, "exclude_holidays": exclude_holidays}
    return ComparisonWindows(
        current=window(period, **options),
        previous=window(period.shift(-1), **options),
        last_year=window(period.shift(-year_back), **options),
    )


def trend_windows(period: Period, as_of: date, *, count: int = 12, retention_periods: int = 1,
                  exclude_holidays: bool = True) -> list[Window]:
    """The `count` periods ending with `period`, the last one cut at `as_of` if in progress."""
    days = elapsed_days(period, as_of)
    return [
        window(period.shift(offset), days=days if offset == 0 else None, retention_periods=retention_periods,
               exclude_holidays=exclude_holidays)
        for offset in range(-(count - 1), 1)
    ]
