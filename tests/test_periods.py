from datetime import date

import pytest

from kpi_core.periods import Granularity, comparison_windows, parse_period, period_containing, trend_windows


@pytest.mark.parametrize("day, granularity, start, end, key", [
    (date(2025, 6, 30), "month", date(2025, 6, 1), date(2025, 7, 1), "2025-06"),
    (date(2025, 12, 31), "month", date(2025, 12, 1), date(2026, 1, 1), "2025-12"),
    (date(2025, 6, 30), "quarter", date(2025, 4, 1), date(2025, 7, 1), "2025-Q2"),
    (date(2025, 6, 30), "week", date(2025, 6, 30), date(2025, 7, 7), "2025-W27"),
    (date(2025, 1, 1), "week", date(2024, 12, 30), date(2025, 1, 6), "2025-W01"),
])
def test_period_containing(day, granularity, start, end, key):
    period = period_containing(day, granularity)
    assert (period.start, period.end, period.key) == (start, end, key)


@pytest.mark.parametrize("text, granularity, expected", [
    ("2025-06", None, ("2025-06", Granularity.MONTH)),
    ("2025-Q2", None, ("2025-Q2", Granularity.QUARTER)),
    ("2025-T2", None, ("2025-Q2", Granularity.QUARTER)),
    ("2025-W27", None, ("2025-W27", Granularity.WEEK)),
    ("2025-06-15", "quarter", ("2025-Q2", Granularity.QUARTER)),
    ("2025-06", "week", ("2025-W22", Granularity.WEEK)),  # 1 June 2025 is a Sunday
])
def test_parse_period(text, granularity, expected):
    period = parse_period(text, granularity)
    assert (period.key, period.granularity) == expected


@pytest.mark.parametrize("text", ["2025-13", "June", "2025-W60", ""])
def test_parse_period_refuses_nonsense(text):
    with pytest.raises(ValueError):
        parse_period(text)


def test_complete_period_is_compared_whole():
    windows = comparison_windows(parse_period("2025-06"), date(2025, 7, 15))
    assert (windows.current.start, windows.current.stop) == (date(2025, 6, 1), date(2025, 7, 1))
    assert (windows.previous.start, windows.previous.stop) == (date(2025, 5, 1), date(2025, 6, 1))
    assert (windows.last_year.start, windows.last_year.stop) == (date(2024, 6, 1), date(2024, 7, 1))
    assert not windows.current.partial


def test_period_in_progress_is_compared_to_date():
    """10 days of June against the first 10 days of May and of June last year, never a full month."""
    windows = comparison_windows(parse_period("2025-06"), date(2025, 6, 10))
    assert (windows.current.start, windows.current.stop) == (date(2025, 6, 1), date(2025, 6, 11))
    assert (windows.previous.start, windows.previous.stop) == (date(2025, 5, 1), date(2025, 5, 11))
    assert (windows.last_year.start, windows.last_year.stop) == (date(2024, 6, 1), date(2024, 6, 11))
    assert windows.current.partial and windows.previous.partial


def test_to_date_comparison_never_overflows_a_shorter_month():
    windows = comparison_windows(parse_period("2025-03"), date(2025, 3, 30))
    assert windows.previous.stop == date(2025, 3, 1)  # February has 28 days: all of it


def test_retention_windows_span_several_periods():
    """A 3-month window ending in June: April–June compared with January–March."""
    window = comparison_windows(parse_period("2025-06"), date(2025, 7, 1), retention_periods=3).current
    assert (window.base_start, window.base_stop, window.stop) == (date(2025, 1, 1), date(2025, 4, 1), date(2025, 7, 1))


def test_trend_is_twelve_periods_ending_with_the_selected_one():
    windows = trend_windows(parse_period("2025-06"), date(2025, 6, 10))
    assert [w.period.key for w in windows][0] == "2024-07"
    assert [w.period.key for w in windows][-1] == "2025-06"
    assert [w.partial for w in windows] == [False] * 11 + [True]
