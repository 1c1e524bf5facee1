"""Turning text cells into numbers, dates and booleans, whatever the spreadsheet's conventions.

Each parser returns the parsed values and a mask of cells that held something it could not read,
so the caller can reject those rows with a reason instead of silently dropping them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

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


# What a number is once its marks are normalised (what pandas' to_numeric reads, without `inf` and `nan`).
_PLAIN_NUMBER = r"^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$"


def _arrow_text(cells: pd.Series) -> pa.ChunkedArray:
    """Text cells as Arrow, trimmed (no copy of a CSV's cells until the trim)."""
    text = pc.utf8_trim_whitespace(pa.array(cells.astype("string"), from_pandas=True))
    return text if isinstance(text, pa.ChunkedArray) else pa.chunked_array([text])


def _characters(text: pa.ChunkedArray) -> str:
    """The ASCII characters any cell uses, found in one pass over the cells' bytes: each normalisation below runs
    only when its mark is there at all."""
    seen = np.zeros(256, bool)
    for chunk in text.chunks:
        data = chunk.buffers()[2]
        if data is not None and data.size:
            seen[np.frombuffer(data, np.uint8)] = True
    return "".join(chr(byte) if byte < 128 else "\x80" for byte in np.flatnonzero(seen))


def _without_marks(text: pa.ChunkedArray) -> pa.ChunkedArray:
    """Currency signs, units and digit-group spaces removed, when there are any."""
    if not set(_characters(text)) - set("0123456789.,+-"):
        return text
    for pattern in (_CURRENCY, _SPACES):
        text = pc.replace_substring_regex(text, pattern, "")
    return text


def _all_match(text: pa.Array, pattern: str) -> bool:
    """Whether every cell matches, deciding on the first thousand cells when one of them does not."""
    return all(pc.all(pc.match_substring_regex(part, pattern)).as_py() is not False
               for part in (text.slice(0, 1000), text))


def _number_format(text: pa.Array, *, prefer_decimal_comma: bool = False) -> NumberFormat:
    """Decide, for a whole column (trimmed, marks removed), which of `,` and `.` is the decimal mark."""
    text = text.filter(pc.match_substring_regex(text, "[0-9]"))
    used = _characters(text)
    comma, dot = (pc.match_substring(text, mark) if mark in used else pa.nulls(len(text), pa.bool_()).fill_null(False)
                  for mark in (",", "."))
    both = pc.utf8_reverse(text.filter(pc.and_(comma, dot)))
    if len(both):  # read backwards: the mark found first is the last one written
        comma_last = pc.mean(pc.less(pc.find_substring(both, ","), pc.find_substring(both, "."))).as_py() >= 0.5
        return NumberFormat(",", ".") if comma_last else NumberFormat(".", ",")
    commas, dots = text.filter(comma), text.filter(dot)
    if len(commas) and not len(dots):
        grouped = pc.max(pc.count_substring(commas, ",")).as_py() > 1 and _all_match(commas, _THOUSANDS_COMMA)
        return NumberFormat(".", ",") if grouped else NumberFormat(",", ".")
    if len(dots) and not len(commas):
        grouped = (pc.max(pc.count_substring(dots, ".")).as_py() > 1 or prefer_decimal_comma) and _all_match(
            dots, _THOUSANDS_DOT)
        return NumberFormat(",", ".") if grouped else NumberFormat(".", ",")
    return NumberFormat(",", ".") if prefer_decimal_comma else NumberFormat(".", ",")


def parse_numbers(cells: pd.Series, *, prefer_decimal_comma: bool = False,
                  convention: NumberFormat | None = None) -> Parsed:
    """`1 234,56 €`, `1.234,56`, `1,234.56`, `(12,50)`, `12,5 %` → floats, with the NumberFormat detected (or the
    `convention` given: the one detected on a file's first rows, when it is read in parts)."""
    if pd.api.types.is_numeric_dtype(cells) and not pd.api.types.is_bool_dtype(cells):
        values = cells.astype("float64")
        finite = np.isfinite(values)
        return Parsed(values.where(finite), ~finite & values.notna())
    # Numbers already typed (Excel) keep their value; only text goes through the conventions.
    typed = _typed(cells, (int, float))
    text = cells.where(~typed) if typed.any() else cells
    # The decimal mark is decided on the whole column, then every cell is read with it, column-wise in Arrow.
    text = _without_marks(_arrow_text(text))
    fmt = convention or _number_format(text, prefer_decimal_comma=prefer_decimal_comma)
    values = pd.Series(_read_numbers(text, fmt), index=cells.index, dtype="float64")
    if typed.any():
        values[typed] = cells[typed].astype("float64")
    values = values.where(np.isfinite(values))
    return Parsed(values, values.isna() & ~_blank(cells), fmt)


def _read_numbers(text: pa.ChunkedArray, fmt: NumberFormat) -> np.ndarray:
    """Cells (trimmed, marks removed) as floats, NaN for those that are not numbers."""
    used = _characters(text)
    negative = pc.and_(pc.starts_with(text, "("), pc.ends_with(text, ")")) if "(" in used else None
    percent = pc.match_substring(text, "%") if "%" in used else None
    for mark, replacement in (("\u2212", "-"), ("%", ""), ("(", ""), (")", ""), (fmt.thousands, ""),
                              (fmt.decimal, ".")):
        if (mark if mark.isascii() else "\x80") in used:
            text = pc.replace_substring(text, mark, replacement)
    text = pc.if_else(pc.equal(text, ""), None, text)
    try:
        values = pc.cast(text, pa.float64())  # a column of numbers only, in one pass
    except pa.ArrowInvalid:
        values = pc.cast(pc.if_else(pc.match_substring_regex(text, _PLAIN_NUMBER), text, None), pa.float64())
    if negative is not None:
        values = pc.if_else(negative, pc.negate(pc.abs(values)), values)
    if percent is not None:
        values = pc.if_else(percent, pc.divide(values, 100), values)
    return values.to_numpy(zero_copy_only=False)


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

    @property
    def month_first(self) -> bool:
        """`06/30/2025`: the month before the day, and the column says so (not ambiguous)."""
        return self.pattern.startswith("%m") and not self.ambiguous

    @property
    def day_first(self) -> bool:
        """`30/06/2025`: the day before the month, and the column says so."""
        return self.pattern.startswith("%d") and not self.ambiguous


# A time ending with a UTC offset: `…Z`, `…+02:00`, `…-0500`.
_UTC_OFFSET = r"(?:Z|[+-][0-9]{2}:?[0-9]{2})$"


def _to_utc(text: pd.Series, fmt: str) -> pd.Series:
    """Times with an offset converted to UTC, times without one read as written (one column may mix both, as a
    CRM export does once its users changed settings); naive timestamps out."""
    return pd.to_datetime(text, format=fmt, errors="coerce", utc=True).dt.tz_convert(None)


def parse_dates(cells: pd.Series, *, day_first: bool = True, keep_time: bool = False,
                convention: DateFormat | None = None) -> Parsed:
    """`2025-06-30`, `30/06/2025`, `30/06/2025 14:05`, `30-06-25` → timestamps, with the DateFormat detected.

    The format reading most cells wins (ties go to the preferred family), so `01/02/2025` is
    1 February by default but a column holding `06/30/2025` is read month-first. A `convention` already
    detected (on a file's first rows, when it is read in parts) comes first whatever this part holds.
    """
    if pd.api.types.is_datetime64_any_dtype(cells):
        values = pd.to_datetime(cells).dt.tz_localize(None) if getattr(cells.dt, "tz", None) else cells
        return Parsed(values if keep_time else values.dt.normalize(), pd.Series(False, index=cells.index))
    return _per_distinct(_read_dates, cells, day_first=day_first, keep_time=keep_time, convention=convention)


def _read_dates(cells: pd.Series, *, day_first: bool, keep_time: bool, convention: DateFormat | None) -> Parsed:
    blank = _blank(cells)
    text = cells.astype("string").str.strip().where(~blank)
    values = pd.Series(pd.NaT, index=cells.index, dtype="datetime64[us]")
    typed = _typed(cells, (pd.Timestamp,))
    values[typed] = pd.to_datetime(cells[typed])
    pending = ~blank & ~typed
    sample = text[pending].head(2000)
    chosen = convention and convention.pattern
    scores = sorted(((fmt == chosen, _to_utc(sample, fmt).notna().sum(), -rank, fmt)
                     for rank, fmt in enumerate(date_formats(day_first))), reverse=True)
    counts = {fmt: score for _, score, _, fmt in scores}
    best = scores[0][3] if scores[0][1] else None
    swapped = best and _swap_day_month(best)
    offsets = bool(text[pending].str.contains(_UTC_OFFSET, regex=True, na=False).any())
    detected = convention or best and DateFormat(best, swapped != best and counts.get(swapped, 0) == counts[best],
                                                 offsets)
    for first, score, _, fmt in scores:
        if not pending.any() or (score == 0 and not first):
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
