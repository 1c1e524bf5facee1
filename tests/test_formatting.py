"""Numbers, changes, dates and periods as a French or English reader expects them."""

from datetime import date

import pytest

from kpi_core.formatting import axis_ticks, change_sign, format_change, format_p, format_value, period_label
from kpi_core.periods import parse_period

NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.mark.parametrize("value, unit, lang, decimals, expected", [
    (1234.56, "currency", "fr", None, f"1{NNBSP}234,56{NBSP}€"),  # SPEC §6: `1 234,56 €`
    (1234.56, "currency", "en", None, "€1,234.56"),
    (2000, "currency", "fr", 0, f"2{NNBSP}000{NBSP}€"),
    (0.25, "percent", "fr", None, f"25,0{NNBSP}%"),
    (0.25, "percent", "en", None, "25.0%"),
    (1234567, "count", "fr", None, f"1{NNBSP}234{NNBSP}567"),
    (12.5, "days", "fr", None, "12,5 j"),
    (3.25, "hours", "en", None, "3.2 h"),
    (date(2026, 10, 31), "date", "fr", None, "31 oct. 2026"),
    (date(2026, 10, 31), "date", "en", None, "31 Oct 2026"),
    (None, "currency", "fr", None, "—"),
    (float("nan"), "percent", "en", None, "—"),
    (float("inf"), "count", "fr", None, "—"),
])
def test_format_value(value, unit, lang, decimals, expected):
    assert format_value(value, unit, lang, decimals=decimals) == expected


@pytest.mark.parametrize("absolute, relative, unit, lang, expected", [
    (100, 0.123, "currency", "fr", f"+12,3{NNBSP}%"),
    (-5, -0.05, "count", "en", "-5.0%"),
    (0.021, None, "percent", "fr", "+2,1 pts"),  # rates change in points, not in percent
    (-0.011, None, "percent", "en", "-1.1 pp"),
    (100, None, "currency", "fr", "—"),  # against zero there is no relative change
])
def test_format_change(absolute, relative, unit, lang, expected):
    assert format_change(absolute, relative, unit, lang) == expected


@pytest.mark.parametrize("p_value, lang, expected", [
    (0.04213, "fr", "0,042"), (0.04213, "en", "0.042"), (0.0004, "fr", "< 0,001"), (1.0, "en", "1.000"),
    (None, "fr", "—"), (float("nan"), "en", "—"),
])
def test_format_p(p_value, lang, expected):
    assert format_p(p_value, lang) == expected


@pytest.mark.parametrize("key, lang, expected", [
    ("2025-06", "fr", "juin 2025"), ("2025-06", "en", "June 2025"),
    ("2025-Q2", "fr", "T2 2025"), ("2025-Q2", "en", "Q2 2025"),
    ("2025-W07", "fr", "S07 2025"), ("2025-W07", "en", "W07 2025"),
])
def test_period_label(key, lang, expected):
    assert period_label(parse_period(key), lang) == expected


@pytest.mark.parametrize("low, high, unit, lang, ticks, labels", [
    # Plotly would write `200k` and `0%`; axes read like the cards, compact from ten thousand.
    (0, 663_000, "currency", "fr", [0, 200_000, 400_000, 600_000, 800_000],
     [f"0{NBSP}€", f"200{NBSP}k{NBSP}€", f"400{NBSP}k{NBSP}€", f"600{NBSP}k{NBSP}€", f"800{NBSP}k{NBSP}€"]),
    (0, 663_000, "currency", "en", [0, 200_000, 400_000, 600_000, 800_000], ["€0", "€200K", "€400K", "€600K", "€800K"]),
    (900, 1300, "currency", "fr", [900, 1000, 1100, 1200, 1300],
     [f"900{NBSP}€", f"1{NNBSP}000{NBSP}€", f"1{NNBSP}100{NBSP}€", f"1{NNBSP}200{NBSP}€", f"1{NNBSP}300{NBSP}€"]),
    (0, 1, "percent", "fr", [0, 0.2, 0.4, 0.6, 0.8, 1.0], [f"{n}{NNBSP}%" for n in (0, 20, 40, 60, 80, 100)]),
    (0, 1, "percent", "en", [0, 0.2, 0.4, 0.6, 0.8, 1.0], ["0%", "20%", "40%", "60%", "80%", "100%"]),
    # A scale spanning a few points gets the decimal that tells its ticks apart.
    (0.02, 0.03, "percent", "fr", [0.02, 0.022, 0.024, 0.026, 0.028, 0.03],
     [f"{n}{NNBSP}%" for n in ("2,0", "2,2", "2,4", "2,6", "2,8", "3,0")]),
    (0, 37, "days", "fr", [0, 10, 20, 30, 40], ["0 j", "10 j", "20 j", "30 j", "40 j"]),
    (5, 5, "count", "fr", [0, 2, 4, 6], ["0", "2", "4", "6"]),  # one value still gets an axis
])
def test_axis_ticks(low, high, unit, lang, ticks, labels):
    found, written = axis_ticks(low, high, unit, lang)
    assert found == pytest.approx(ticks) and written == labels


@pytest.mark.parametrize("absolute, relative, unit, sign", [
    (-0.0004, -0.01, "percent", 0),  # `-0,0 pts` is no change
    (0.0006, 0.01, "percent", 1),
    (-20, -0.0004, "currency", 0),  # `-0,0 %`
    (-20, -0.2, "currency", -1),
    (5, None, "count", None),  # from zero: no relative change to read
    (None, None, "percent", None),
])
def test_a_change_that_rounds_to_nothing_is_no_change(absolute, relative, unit, sign):
    assert change_sign(absolute, relative, unit) == sign
