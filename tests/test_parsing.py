import math

import pandas as pd
import pytest

from kpi_core.parsing import parse_booleans, parse_dates, parse_numbers


def _values(series):
    return [None if (isinstance(v, float) and math.isnan(v)) or v is pd.NaT or v is pd.NA else v for v in series]


@pytest.mark.parametrize("cells, expected, bad", [
    (["1 234,56 €", "12,5", "7"], [1234.56, 12.5, 7.0], [False] * 3),
    (["1\u00a0234,5", "1\u202f000"], [1234.5, 1000.0], [False] * 2),
    (["1.234,56", "2.000,00"], [1234.56, 2000.0], [False] * 2),
    (["1,234.56", "12.5"], [1234.56, 12.5], [False] * 2),
    (["1.234.567", "2.000"], [1234567.0, 2000.0], [False] * 2),
    (["(12,50)", "-3", "\u22124"], [-12.5, -3.0, -4.0], [False] * 3),
    (["12,5 %", "100%"], [0.125, 1.0], [False] * 2),
    (["EUR 300", "300 € HT"], [300.0, 300.0], [False] * 2),
    (["abc", "", None], [None, None, None], [True, False, False]),
])
def test_parse_numbers(cells, expected, bad):
    values, unreadable, _ = parse_numbers(pd.Series(cells, dtype=object))
    nan = float("nan")
    assert values.tolist() == pytest.approx([nan if v is None else v for v in expected], nan_ok=True)
    assert unreadable.tolist() == bad


@pytest.mark.parametrize("cells, day_first, expected", [
    (["2025-06-30", "30/06/2025"], True, ["2025-06-30", "2025-06-30"]),
    (["01/02/2025"], True, ["2025-02-01"]),
    (["01/02/2025"], False, ["2025-01-02"]),
    (["30/06/2025 14:05"], True, ["2025-06-30"]),
    (["30-06-25"], True, ["2025-06-30"]),
    (["06/30/2025", "01/02/2025"], True, ["2025-06-30", "2025-01-02"]),  # the column is month-first
])
def test_parse_dates(cells, day_first, expected):
    values, unreadable, _ = parse_dates(pd.Series(cells, dtype=object), day_first=day_first)
    assert [v.strftime("%Y-%m-%d") for v in values] == expected
    assert not unreadable.any()


def test_parse_dates_keeps_time_when_asked():
    values, _, _ = parse_dates(pd.Series(["30/06/2025 14:05"]), keep_time=True)
    assert values.iloc[0] == pd.Timestamp("2025-06-30 14:05")


def test_unreadable_dates_are_flagged_not_dropped():
    values, unreadable, _ = parse_dates(pd.Series(["31/13/2025", "hier", None, "2025-06-01"], dtype=object))
    assert unreadable.tolist() == [True, True, False, False]
    assert values.iloc[3] == pd.Timestamp("2025-06-01")


@pytest.mark.parametrize("cells, expected, bad", [
    (["oui", "Non", "x", "1", "0", "TRUE", "faux"], [True, False, True, True, False, True, False], [False] * 7),
    (["peut-être", ""], [None, None], [True, False]),
])
def test_parse_booleans(cells, expected, bad):
    values, unreadable, _ = parse_booleans(pd.Series(cells, dtype=object))
    assert _values(values) == expected
    assert unreadable.tolist() == bad
