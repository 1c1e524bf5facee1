"""Numbers, changes, dates and periods as a French or English reader expects them."""

from datetime import date

import pytest

from kpi_core.formatting import format_change, format_value, period_label
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


@pytest.mark.parametrize("key, lang, expected", [
    ("2025-06", "fr", "juin 2025"), ("2025-06", "en", "June 2025"),
    ("2025-Q2", "fr", "T2 2025"), ("2025-Q2", "en", "Q2 2025"),
    ("2025-W07", "fr", "S07 2025"), ("2025-W07", "en", "W07 2025"),
])
def test_period_label(key, lang, expected):
    assert period_label(parse_period(key), lang) == expected
