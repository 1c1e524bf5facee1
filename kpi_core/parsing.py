"""Turning text cells into numbers, dates and booleans, whatever the spreadsheet's conventions.

Each parser returns the parsed values and a mask of cells that held something it could not read,
so the caller can reject those rows with a reason instead of silently dropping them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

# Spelled out: `\s` or `\u` escapes push pandas off pyarrow's RE2 onto slow per-cell Python regexes.
_SPACES = "[ \t\u00a0\u202f\u2009']"
_CURRENCY = r"(?i)[€$£]|\bEUR\b|\bHT\b|\bTTC\b"
_THOUSANDS_COMMA = r"^-?\d{1,3}(,\d{3})+(\.\d+)?$"
_THOUSANDS_DOT = r"^-?\d{1,3}(\.\d{3})+(,\d+)?$"


def _typed(cells: pd.Series, kinds: tuple[type, ...]) -> pd.Series:
    """Cells already holding a typed value (Excel); text columns from a CSV hold none."""
    if cells.dtype != object:
        return pd.Series(False, index=cells.index)
    return cells.map(lambda cell: isinstance(cell, kinds) and not isinstance(cell, bool)).astype(bool)


class Parsed(NamedTuple):
    """Parsed values, the cells that held something unreadable, and the convention detected (shown to users)."""

    values: pd.Series
    unreadable: pd.Series
    detected: object = None


def _per_distinct(parse, cells: pd.Series, **options) -> Parsed:
    """Parse each distinct value once: an export repeats the same dates and amounts many times."""
    codes, uniques = pd.factorize(cells, use_na_sentinel=True)
    values, unreadable, detected = parse(pd.Series(uniques, dtype=object), **options)
    missing = codes < 0
    taken_values = values.to_numpy()[np.where(missing, 0, codes)] if len(uniques) else np.full(len(cells), np.nan)
    taken_bad = unreadable.to_numpy()[np.where(missing, 0, codes)] if len(uniques) else np.zeros(len(cells), bool)
    result = pd.Series(taken_values, index=cells.index, dtype=values.dtype)
    result[missing] = None
    return Parsed(result, pd.Series(taken_bad & ~missing, index=cells.index), detected)


def _blank(text: pd.Series) -> pd.Series:
    return (text.isna() | (text.astype("string").str.strip().fillna("") == "")).astype(bool)


@dataclass(frozen=True)
class NumberFormat:
    decimal: str
    thousands: str


def detect_number_format(cells: pd.Series, *, prefer_decimal_comma: bool = False) -> NumberFormat:
    """Decide, for a whole column, which of `,` and `.` is the decimal mark."""
    text = cells.astype("string").str.replace(_SPACES, "", regex=True).str.replace(_CURRENCY, "", regex=True)
    text = text[text.str.contains(r"\d", regex=True, na=False)]
    comma, dot = text.str.contains(",", regex=False), text.str.contains(".", regex=False)
    both = text[comma & dot]
    if len(both):
        comma_last = (both.str.rfind(",") > both.str.rfind(".")).mean() >= 0.5
        return NumberFormat(",", ".") if comma_last else NumberFormat(".", ",")
    commas, dots = text[comma], text[dot]
    if len(commas) and not len(dots):
        grouped = commas.str.match(_THOUSANDS_COMMA).all() and (commas.str.count(",") > 1).any()
        return NumberFormat(".", ",") if grouped else NumberFormat(",", ".")
    if len(dots) and not len(commas):
        grouped = dots.str.match(_THOUSANDS_DOT).all() and (
            (dots.str.count(r"\.") > 1).any() or prefer_decimal_comma
        )
        return NumberFormat(",", ".") if grouped else NumberFormat(".", ",")
    return NumberFormat(",", ".") if prefer_decimal_comma else NumberFormat(".", ",")


def parse_numbers(cells: pd.Series, *, prefer_decimal_comma: bool = False) -> Parsed:
    """`1 234,56 €`, `1.234,56`, `1,234.56`, `(12,50)`, `12,5 %` → floats, with the NumberFormat detected."""
    if pd.api.types.is_numeric_dtype(cells) and not pd.api.types.is_bool_dtype(cells):
        values = cells.astype("float64")
        finite = np.isfinite(values)
        return Parsed(values.where(finite), ~finite & values.notna())
    # The decimal mark is decided on the whole column, then each distinct text is read once.
    fmt = detect_number_format(cells[~_typed(cells, (int, float)) & ~_blank(cells)],
                               prefer_decimal_comma=prefer_decimal_comma)
    return _per_distinct(_read_numbers, cells, fmt=fmt)


def _read_numbers(cells: pd.Series, *, fmt: NumberFormat) -> Parsed:
    blank = _blank(cells)
    text = cells.astype("string").str.strip()
    # Numbers already typed (Excel) keep their value; only text goes through the conventions.
    typed = _typed(cells, (int, float))
    negative = text.str.match(r"^\(.*\)$", na=False)
    percent = text.str.contains("%", regex=False, na=False)
    text = (
        text.str.replace(_CURRENCY, "", regex=True)
        .str.replace(r"[%()]", "", regex=True)
        .str.replace(_SPACES, "", regex=True)
        .str.replace(fmt.thousands, "", regex=False)
        .str.replace(fmt.decimal, ".", regex=False)
        .str.replace("\u2212", "-", regex=False)  # the typographic minus sign
    )
    values = pd.to_numeric(text, errors="coerce").astype("float64")
    values = values.where(~negative, -values.abs()).where(~percent, values / 100)
    values[typed] = cells[typed].astype("float64")
    values = values.where(np.isfinite(values))
    return Parsed(values, values.isna() & ~blank, fmt)


_DAY_FIRST_FORMATS = (
    "%d/%m/%Y", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%y", "%d-%m-%Y", "%d-%m-%y",
    "%d.%m.%Y", "%d/%m/%y %H:%M", "%d-%m-%Y %H:%M",
)
_ISO_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d", "ISO8601")


def _swap_day_month(fmt: str) -> str:
    return fmt.replace("%d", "\0").replace("%m", "%d").replace("\0", "%m")


def date_formats(day_first: bool = True) -> tuple[str, ...]:
    """Candidate formats, preferred first: ISO, then the day-first (French) or month-first family."""
    day_first_family = _DAY_FIRST_FORMATS
    month_first_family = tuple(_swap_day_month(fmt) for fmt in _DAY_FIRST_FORMATS)
    first, second = (day_first_family, month_first_family) if day_first else (month_first_family, day_first_family)
    return _ISO_FORMATS + first + second


@dataclass(frozen=True)
class DateFormat:
    """The format that read most of a column; `ambiguous` when reading it the other way round works as well;
    `utc` when some times carried a UTC offset (`Z`, `+02:00`) and were converted to UTC."""

    pattern: str
    ambiguous: bool = False
    utc: bool = False


# A time ending with a UTC offset: `…Z`, `…+02:00`, `…-0500`.
_UTC_OFFSET = r"(?:Z|[+-][0-9]{2}:?[0-9]{2})$"


def _to_utc(text: pd.Series, fmt: str) -> pd.Series:
    """Times with an offset converted to UTC, times without one read as written (one column may mix both, as a
    CRM export does once its users changed settings); naive timestamps out."""
    return pd.to_datetime(text, format=fmt, errors="coerce", utc=True).dt.tz_convert(None)


def parse_dates(cells: pd.Series, *, day_first: bool = True, keep_time: bool = False) -> Parsed:
    """`2025-06-30`, `30/06/2025`, `30/06/2025 14:05`, `30-06-25` → timestamps, with the DateFormat detected.

    The format reading most cells wins (ties go to the preferred family), so `01/02/2025` is
    1 February by default but a column holding `06/30/2025` is read month-first.
    """
    if pd.api.types.is_datetime64_any_dtype(cells):
        values = pd.to_datetime(cells).dt.tz_localize(None) if getattr(cells.dt, "tz", None) else cells
        return Parsed(values if keep_time else values.dt.normalize(), pd.Series(False, index=cells.index))
    return _per_distinct(_read_dates, cells, day_first=day_first, keep_time=keep_time)


def _read_dates(cells: pd.Series, *, day_first: bool, keep_time: bool) -> Parsed:
    blank = _blank(cells)
    text = cells.astype("string").str.strip().where(~blank)
    values = pd.Series(pd.NaT, index=cells.index, dtype="datetime64[us]")
    typed = _typed(cells, (pd.Timestamp,))
    values[typed] = pd.to_datetime(cells[typed])
    pending = ~blank & ~typed
    sample = text[pending].head(2000)
    scores = sorted(((_to_utc(sample, fmt).notna().sum(), -rank, fmt)
                     for rank, fmt in enumerate(date_formats(day_first))), reverse=True)
    counts = {fmt: score for score, _, fmt in scores}
    best = scores[0][2] if scores[0][0] else None
    swapped = best and _swap_day_month(best)
    offsets = bool(text[pending].str.contains(_UTC_OFFSET, regex=True, na=False).any())
    detected = best and DateFormat(best, swapped != best and counts.get(swapped, 0) == counts[best], offsets)
    for score, _, fmt in scores:
        if not pending.any() or score == 0:
            break
        parsed = _to_utc(text[pending], fmt)
        values[parsed.index[parsed.notna()]] = parsed[parsed.notna()]
        pending &= values.isna()
    if not keep_time:
        values = values.dt.normalize()
    return Parsed(values, values.isna() & ~blank, detected)


_TRUE = {"1", "true", "vrai", "oui", "yes", "y", "o", "x", "t", "won", "gagne", "gagné", "ok"}
_FALSE = {"0", "false", "faux", "non", "no", "n", "f", "-"}


def parse_booleans(cells: pd.Series, known: dict[str, bool] | None = None) -> Parsed:
    """`oui/non`, `yes/no`, `vrai/faux`, `1/0`, `x` → booleans; `known` adds the user's own spellings."""
    if pd.api.types.is_bool_dtype(cells):
        return Parsed(cells.astype("boolean"), pd.Series(False, index=cells.index))
    blank = _blank(cells)
    text = cells.astype("string").str.strip().str.lower()
    text = text.str.replace(r"\.0$", "", regex=True)  # Excel gives 1.0 for a 1
    values = pd.Series(pd.NA, index=cells.index, dtype="boolean")
    values[text.isin(_TRUE).fillna(False)] = True
    values[text.isin(_FALSE).fillna(False)] = False
    for source, meaning in (known or {}).items():
        values[(cells.astype("string").str.strip() == source).fillna(False)] = meaning
    return Parsed(values, values.isna() & ~blank)
