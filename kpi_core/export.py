"""Tables out as CSV or Excel, safe to open: cells that a spreadsheet would run as formulas are neutralised."""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
from babel.numbers import get_currency_symbol

from kpi_core import currency
from kpi_core.diagnostics import change_text, reason_text
from kpi_core.formatting import LOCALES, Unit, format_value
from kpi_core.i18n import t
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
    """CSV that Excel opens right in the user's locale: UTF-8 with BOM, `;` and decimal comma in French; a
    `displayed` table's rates in percent and its amounts with their currency in the header."""
    # CRLF as the record end makes the writer quote every cell holding a CR or LF (a bare `\r` too), as well as a
    # delimiter or a quote: a line break inside a cell can never start a row.
    text = safe(_as_written(frame, lang)).to_csv(index=False, sep=CSV_DELIMITER[lang],
                                                 decimal="," if lang == "fr" else ".", lineterminator="\r\n",
                                                 quoting=csv.QUOTE_MINIMAL)
    return ("\ufeff" + text).encode("utf-8")


def _as_written(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Rates as the page writes them (25.0 under `Conversion (%)`), amounts under `CA (€)`: a CSV cell has no
    number format."""
    units = frame.attrs.get(UNITS, {})
    written = frame.copy()
    for header, (unit, decimals) in units.items():
        if unit is Unit.PERCENT:
            written[header] = (written[header] * 100).round(decimals)
    return written.rename(columns={header: f"{header} ({_unit_mark(unit, lang)})" for header, (unit, _) in
                                   units.items() if unit in (Unit.PERCENT, Unit.CURRENCY)})


def _unit_mark(unit: Unit, lang: str) -> str:
    return "%" if unit is Unit.PERCENT else get_currency_symbol(currency.shown(), locale=LOCALES[lang])


def sheet_title(name: str) -> str:
    """A title Excel accepts: `ventes[2026]*` → `ventes-2026--`, at most 31 characters, never empty."""
    title = _SHEET_FORBIDDEN.sub("-", name)[:SHEET_TITLE_LENGTH].strip()
    return title or "data"


def excel_bytes(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    """An Excel workbook of `frame`; a `displayed` table's numbers carry the page's format (`25,0 %`, `1 062 €`)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe(frame).to_excel(writer, index=False, sheet_name=sheet_title(sheet))
        cells = writer.sheets[sheet_title(sheet)]
        for position, header in enumerate(frame.columns, start=1):
            if header in frame.attrs.get(UNITS, {}):
                number_format = _number_format(*frame.attrs[UNITS][header])
                for (cell,) in cells.iter_rows(min_row=2, min_col=position, max_col=position):
                    cell.number_format = number_format
    return buffer.getvalue()


def _number_format(unit: Unit, decimals: int) -> str:
    """Excel's own codes (written in the reader's locale by Excel): `0.0%`, `#,##0 "€"`, `#,##0.0`."""
    digits = "." + "0" * decimals if decimals else ""
    if unit is Unit.PERCENT:
        return f"0{digits}%"
    if unit is Unit.CURRENCY:
        return f'#,##0{digits} "{get_currency_symbol(currency.shown(), locale="fr_FR")}"'
    return f"#,##0{digits}"


def file_name(base: str, filters) -> str:
    """`revenue_2026-10` + the active filters → `revenue_2026-10_region-Paris-Lyon`: a downloaded table says
    which rows it holds (only letters, digits, `-` and `_` kept)."""
    parts = [base] + [f"{dimension}-{'-'.join(values)}" for dimension, values in sorted(filters.items()) if values]
    return re.sub(r"[^\w-]+", "-", "_".join(parts)).strip("-")[:150]


UNITS = "units"  # a displayed table's attribute: header → (unit, decimals shown)
_DEFAULT_DECIMALS = {Unit.CURRENCY: 2, Unit.PERCENT: 1, Unit.COUNT: 0}


def displayed(frame: pd.DataFrame, columns: dict[str, tuple]) -> pd.DataFrame:
    """The chosen columns under their headers as the page shows them: `columns` maps a column to (header, unit) or
    (header, unit, decimals), as for `formatting.format_table`; numbers stay numbers, rounded as displayed
    (`2,4082397` shown `2,4` is 2.4; a rate shown `25,0 %` is 0.250); periods as `2026-10`."""
    chosen = frame[[column for column in columns if column in frame.columns]]
    out = chosen.map(lambda value: value.key if isinstance(value, Period) else value)
    units = {}
    for column in chosen.columns:
        header, unit, *decimals = columns[column]
        if unit is None or Unit(unit) is Unit.DATE:
            continue
        unit = Unit(unit)
        shown = decimals[0] if decimals and decimals[0] is not None else _DEFAULT_DECIMALS.get(unit, 1)
        values = pd.to_numeric(out[column], errors="coerce")
        rounded = values.round(shown + 2 if unit is Unit.PERCENT else shown)
        whole = shown == 0 and unit is not Unit.PERCENT
        out[column] = rounded.astype("Int64") if whole else rounded  # `12`, not `12,0`
        units[header] = (unit, shown)
    out = out.rename(columns={column: columns[column][0] for column in chosen.columns})
    out.attrs[UNITS] = units
    return out


def scorecard(results, lang: str, *, text: bool = False) -> pd.DataFrame:
    """A page's cards as a table: each KPI's value, previous period and same period last year as shown (in the
    unit of its own column: rates in percent; with `text`, written as the cards write them, `317 867 €`), the
    changes as the cards say them, and why a value is missing."""
    rows = []
    for result in results:
        unit = Unit(result.kpi.unit)
        shown = result.kpi.decimals if result.kpi.decimals is not None else _DEFAULT_DECIMALS.get(unit, 1)

        def figure(value, unit=unit, shown=shown, decimals=result.kpi.decimals):
            if text:
                return format_value(value, unit, lang, decimals=decimals)
            return None if value is None or value != value else round(value * (100 if unit is Unit.PERCENT else 1),
                                                                        shown)
        rows.append({
            t("export.kpi", lang): result.kpi.label[lang],
            **({} if text else {t("export.unit", lang): _unit_text(unit, lang)}),
            t("export.value", lang): figure(result.value), t("export.previous", lang): figure(result.previous),
            t("export.change", lang): change_text(result, result.vs_previous, lang),
            t("export.last_year", lang): figure(result.last_year),
            t("export.change_last_year", lang): change_text(result, result.vs_last_year, lang),
            t("export.note", lang): reason_text(result, lang) or "",
        })
    return pd.DataFrame(rows)


def _unit_text(unit: Unit, lang: str) -> str:
    if unit in (Unit.PERCENT, Unit.CURRENCY):
        return _unit_mark(unit, lang)
    return {Unit.DAYS: {"fr": "jours", "en": "days"}, Unit.HOURS: {"fr": "heures", "en": "hours"},
            Unit.RATIO: {"fr": "×", "en": "×"}}.get(unit, {}).get(lang, "")
