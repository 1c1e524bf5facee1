"""Tables out as CSV or Excel, safe to open: cells that a spreadsheet would run as formulas are neutralised."""

from __future__ import annotations

import csv
import io
import re

import pandas as pd

from kpi_core.periods import Period

# A cell (or a line inside a cell: a spreadsheet may split a cell at its line breaks) starting with one of these
# is a formula to Excel/LibreOffice (`=HYPERLINK(...)`, `@SUM(...)`); plain signed numbers such as `-150,50 €`
# are left alone.
_FORMULA = re.compile(r"^[=+\-@\t\r]")
# With a currency as babel writes it in French or English (`-1 200 $US`, `-US$1,200`, `-£3`): only these marks,
# never letters that could be a cell reference (`-AB12`).
_MARK = r"(?:€|\$|£|US\$|CA\$|CHF|\$US|\$CA|£GB|EUR|USD|GBP|CAD)"
_SIGNED_NUMBER = re.compile(rf"^[+-]?(?:{_MARK}\s?)?[\d\s\u00a0\u202f.,]+\s*(?:{_MARK}|%)?$")
_LINES = re.compile(r"(\r\n|\r|\n)")
CSV_DELIMITER = {"fr": ";", "en": ","}
# Characters Excel refuses in a sheet title, and its length limit.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\']")
SHEET_TITLE_LENGTH = 31


def _neutral_line(line: str) -> str:
    return "'" + line if _FORMULA.match(line) and not _SIGNED_NUMBER.match(line) else line


def neutralise(value):
    """`=HYPERLINK("http://evil")` → `'=HYPERLINK("http://evil")`, and the same after every line break inside
    the cell (`Paris\r=cmd…` → `Paris\r'=cmd…`); anything else unchanged."""
    if not isinstance(value, str):
        return value
    parts = _LINES.split(value)  # text, break, text, break, …
    return "".join(part if position % 2 else _neutral_line(part) for position, part in enumerate(parts))


def safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy where every text cell (and header) is neutralised."""
    cleaned = frame.copy()
    cleaned.columns = [neutralise(str(column)) for column in frame.columns]
    for column in cleaned.columns:
        if not pd.api.types.is_numeric_dtype(cleaned[column]) and not pd.api.types.is_datetime64_any_dtype(
                cleaned[column]):
            cleaned[column] = cleaned[column].map(neutralise, na_action="ignore")
    return cleaned


def csv_bytes(frame: pd.DataFrame, lang: str) -> bytes:
    """CSV that Excel opens right in the user's locale: UTF-8 with BOM, `;` and decimal comma in French."""
    # CRLF as the record end makes the writer quote every cell holding a CR or LF (a bare `\r` too), as well as a
    # delimiter or a quote: a line break inside a cell can never start a row.
    text = safe(frame).to_csv(index=False, sep=CSV_DELIMITER[lang], decimal="," if lang == "fr" else ".",
                              lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    return ("\ufeff" + text).encode("utf-8")


def sheet_title(name: str) -> str:
    """A title Excel accepts: `ventes[2026]*` → `ventes-2026--`, at most 31 characters, never empty."""
    title = _SHEET_FORBIDDEN.sub("-", name)[:SHEET_TITLE_LENGTH].strip()
    return title or "data"


def excel_bytes(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    buffer = io.BytesIO()
    safe(frame).to_excel(buffer, index=False, sheet_name=sheet_title(sheet))
    return buffer.getvalue()


def file_name(base: str, filters) -> str:
    """`revenue_2026-10` + the active filters → `revenue_2026-10_region-Paris-Lyon`: a downloaded table says
    which rows it holds (only letters, digits, `-` and `_` kept)."""
    parts = [base] + [f"{dimension}-{'-'.join(values)}" for dimension, values in sorted(filters.items()) if values]
    return re.sub(r"[^\w-]+", "-", "_".join(parts)).strip("-")[:150]


def labelled(frame: pd.DataFrame, headers: dict[str, str]) -> pd.DataFrame:
    """The chosen columns under their user-facing headers, values kept as numbers; periods as `2026-10`."""
    chosen = frame[[column for column in headers if column in frame.columns]].rename(columns=headers)
    return chosen.map(lambda value: value.key if isinstance(value, Period) else value)
