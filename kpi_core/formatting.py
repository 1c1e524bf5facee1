"""Locale formatting of KPI values, changes and period names (babel); the only place numbers become text."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

import pandas as pd
from babel.dates import format_date
from babel.numbers import (
    format_compact_currency,
    format_compact_decimal,
    format_currency,
    format_decimal,
    format_percent,
)

from kpi_core import currency
from kpi_core.i18n import t
from kpi_core.parsing import DateFormat, NumberFormat
from kpi_core.periods import Granularity, Period, Window
from kpi_core.reader import DELIMITER_NAMES, Dialect

LANGUAGES = ("fr", "en")
LOCALES = {"fr": "fr_FR", "en": "en_GB"}
MISSING = "—"


class Unit(StrEnum):
    CURRENCY = "currency"
    PERCENT = "percent"
    COUNT = "count"
    DAYS = "days"
    HOURS = "hours"
    RATIO = "ratio"
    DATE = "date"


@dataclass(frozen=True)
class Measure:
    """A number inside a sentence, formatted for the reader's language when rendered."""

    value: float
    unit: Unit


@dataclass(frozen=True)
class Phrase:
    """A catalog text inside a sentence (a dataset's or a dimension's name, a clause), rendered with it."""

    key: str
    params: dict = field(default_factory=dict)


_SUFFIX = {
    Unit.DAYS: {"fr": " j", "en": " d"},
    Unit.HOURS: {"fr": " h", "en": " h"},
    Unit.RATIO: {"fr": " ×", "en": "×"},
}


def _is_missing(value) -> bool:
    return value is None or value is pd.NaT or (isinstance(value, float) and not math.isfinite(value))


# French sets a narrow no-break space before %, English none.
_PERCENT_SIGN = {"fr": "\u202f%", "en": "%"}


def _pattern(decimals: int, *, percent_lang: str | None = None) -> str:
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return pattern + _PERCENT_SIGN[percent_lang] if percent_lang else pattern


def format_value(value, unit: Unit | str, lang: str, *, decimals: int | None = None) -> str:
    """`1234.56, "currency", "fr"` → `1 234,56 €`; `date(2026, 10, 31), "date", "fr"` → `31 oct. 2026`;
    a missing value → `—`."""
    if _is_missing(value):
        return MISSING
    unit, locale = Unit(unit), LOCALES[lang]
    if unit is Unit.DATE:
        return format_date(pd.Timestamp(value).date(), "d MMM y", locale=locale)
    if unit is Unit.CURRENCY:
        digits = 2 if decimals is None else decimals
        return format_currency(value, currency.shown(), format=_currency_pattern(lang, digits), locale=locale,
                               currency_digits=False)
    if unit is Unit.PERCENT:
        return format_percent(value, _pattern(1 if decimals is None else decimals, percent_lang=lang), locale=locale)
    digits = (0 if unit is Unit.COUNT else 1) if decimals is None else decimals
    return format_decimal(value, _pattern(digits), locale=locale) + _SUFFIX.get(unit, {}).get(lang, "")


COMPACT_FROM = 10_000  # axis ticks from this size read `600 k€`, `€1.2M`: short enough for a phone


def axis_ticks(low: float, high: float, unit: Unit | str, lang: str, *, count: int = 5) -> tuple[list, list]:
    """Round tick positions covering [low, high] and their labels as the cards write them (`200 k€`, `12,5 %`,
    `3 j`), as precise as the step between ticks needs."""
    unit = Unit(unit)
    if not (math.isfinite(low) and math.isfinite(high)):
        return [], []
    if high <= low:
        low, high = (low - 1, high + 1) if not low else (min(0, low), max(0, high) + abs(low) * 0.1)
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw * (1 - 1e-9))
    start = math.floor(low / step + 1e-9) * step
    ticks = [round(start + n * step, 12) for n in range(int(math.ceil((high - start) / step - 1e-9)) + 1)]
    shown = step * 100 if unit is Unit.PERCENT else step
    decimals = next((d for d in range(4) if abs(round(shown, d) - shown) < 1e-9 * max(1, abs(shown))), 3)
    top = max(abs(tick) for tick in ticks)
    labels = []
    for tick in ticks:
        if unit in (Unit.CURRENCY, Unit.COUNT) and top >= COMPACT_FROM:
            compact = (format_compact_currency(tick, currency.shown(), locale=LOCALES[lang], fraction_digits=1)
                       if unit is Unit.CURRENCY else
                       format_compact_decimal(tick, locale=LOCALES[lang], fraction_digits=1))
            labels.append(compact)
        else:
            labels.append(format_value(tick, unit, lang, decimals=decimals))
    return ticks, labels


def _currency_pattern(lang: str, decimals: int) -> str:
    number = _pattern(decimals)
    return f"{number}\u00a0¤" if lang == "fr" else f"¤{number}"


def format_change(absolute, relative, unit: Unit | str, lang: str) -> str:
    """A change for a card: `+12,3 %` for amounts and counts, `+2,1 pts` for rates."""
    if Unit(unit) is Unit.PERCENT:
        if _is_missing(absolute):
            return MISSING
        points = format_decimal(absolute * 100, "+#,##0.0;-#,##0.0", locale=LOCALES[lang])
        return f"{points} pts" if lang == "fr" else f"{points} pp"
    if _is_missing(relative):
        return MISSING
    pattern = _pattern(1, percent_lang=lang)
    return format_percent(relative, f"+{pattern};-{pattern}", locale=LOCALES[lang])


def format_interval(low, high, unit: Unit | str, lang: str, *, decimals: int | None = None) -> str:
    """`[1 173 € ; 1 486 €]` (French) or `[€1,173, €1,486]`; `—` without both bounds."""
    if _is_missing(low) or _is_missing(high):
        return MISSING
    low, high = (format_value(bound, unit, lang, decimals=decimals) for bound in (low, high))
    return f"[{low} ; {high}]" if lang == "fr" else f"[{low}, {high}]"


def format_p(p_value: float | None, lang: str) -> str:
    """A p-value as a statistician writes it: `0,042`, `< 0,001`, `—` without a test."""
    if _is_missing(p_value):
        return MISSING
    if p_value < 0.001:
        return f"< {format_decimal(0.001, '0.000', locale=LOCALES[lang])}"
    return format_decimal(p_value, "0.000", locale=LOCALES[lang])


def change_sign(absolute, relative, unit: Unit | str) -> int | None:
    """+1 or -1, or 0 when the change rounds to nothing as `format_change` writes it (`-0,0 pts` is no change);
    None when there is no change to read."""
    shown = absolute if Unit(unit) is Unit.PERCENT else relative
    if _is_missing(absolute) or _is_missing(shown):
        return None
    shown = round(shown * 100, 1)
    return (shown > 0) - (shown < 0)


PROVISIONAL_MARK = "*"


def format_rate(value, maturity, lang: str) -> str:
    """A funnel rate as read: `24,2 %`, `83,3 % *` while provisional, `—` when withheld (or none)."""
    if _is_missing(maturity) or _is_missing(value) or int(maturity) >= 2:
        return MISSING
    text = format_value(value, Unit.PERCENT, lang)
    return f"{text} {PROVISIONAL_MARK}" if int(maturity) == 1 else text


def funnel_table(funnel: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The funnel as the page shows it and exports it: each stage, the deals that reached it and are still open
    there, the conversion into it on decided deals (with its maturity mark) and how many decided, and the raw
    cohort reading."""
    return pd.DataFrame({
        t("column.stage", lang): funnel["stage"],
        t("column.reached", lang): [format_value(v, Unit.COUNT, lang) for v in funnel["reached"]],
        t("column.still_open", lang): [format_value(v, Unit.COUNT, lang) for v in funnel["still_open"]],
        t("column.conversion", lang): [format_rate(v, m, lang) for v, m in
                                        zip(funnel["conversion_from_previous"], funnel["maturity_from_previous"])],
        t("column.decided", lang): [format_value(None if pd.isna(v) else v, Unit.COUNT, lang)
                                     for v in funnel["decided_from_previous"]],
        t("column.raw_conversion", lang): [format_value(None if pd.isna(v) else v, Unit.PERCENT, lang)
                                            for v in funnel["raw_conversion"]],
    })


# What Markdown, HTML, LaTeX or Streamlit's own syntax (`:red[…]`) could act on inside a line: brackets (links,
# images, directives), emphasis, code, HTML, tables, strikethrough, formulas. Backslash-escaped, each shows as
# itself (CommonMark escapes any ASCII punctuation); `Rendez-vous` or `Paris (75)` stay as they are.
_INLINE_ACTIVE = re.compile(r"([\\`*_{}\[\]<>|~$])")
# What starts a block at the beginning of a line: a list, a heading, a quote, a numbered list.
_BLOCK_START = re.compile(r"^([-+#>=]|\d+(?=[.)]))")
# URL and e-mail autolinks are found in the text after parsing, where escapes are gone: an invisible word joiner
# inside `http://`, `www.` and before `@` keeps them text.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z]:)(?=//)|(?<=www)(?=\.)|(?=@)")
WORD_JOINER = "\u2060"


def escape_markdown(text) -> str:
    """User text (a file name, a column, a region, a custom KPI's name) shown literally where Streamlit renders
    Markdown: no link, image, heading or directive can come out of it; line breaks become spaces."""
    line = _INLINE_ACTIVE.sub(r"\\\1", " ".join(str(text).split()))
    line = _AUTOLINK.sub(WORD_JOINER, line)
    match = _BLOCK_START.match(line)
    if match is None:
        return line
    marker = match.end() if match.group(1)[0].isdigit() else 0  # `1.` → `1\.`, `- x` → `\- x`
    return line[:marker] + "\\" + line[marker:]


def escaped(params: dict) -> dict:
    """A message's parameters with every text escaped for Markdown (numbers left as they are)."""
    return {name: escape_markdown(value) if isinstance(value, str) else value for name, value in params.items()}


def filter_label(dimension: str, values, lang: str, *, most: int | None = None, markdown: bool = False) -> str:
    """`Région = Paris, Lyon`; with `most`, the values after the first `most` counted (`Région = Paris, Lyon +3`)."""
    shown = [escape_markdown(v) if markdown else str(v) for v in values]
    more = len(shown) - most if most is not None and len(shown) > most else 0
    text = f"{t(f'dimension.{dimension}', lang)} = {', '.join(shown[:len(shown) - more])}"
    return f"{text} +{more}" if more else text


def filters_text(filters, lang: str, *, unapplied=(), datasets=(), markdown: bool = False) -> str:
    """`Région = Paris, Lyon · Produit = Conseil (non appliqué ici : absent des données Opportunités)`: the active
    filters, those in `unapplied` said not to apply to `datasets`; the values escaped for `markdown`."""
    parts = []
    for dimension, values in filters.items():
        text = filter_label(dimension, values, lang, markdown=markdown)
        if dimension in unapplied:
            text += " " + t("filters.not_applied", lang, datasets=", ".join(t(f"dataset.{d}", lang) for d in datasets))
        parts.append(text)
    return " · ".join(parts)


def month_name(month: int, lang: str) -> str:
    """`Avril`, `April`."""
    return format_date(date(2000, month, 1), "LLLL", locale=LOCALES[lang]).capitalize()


def period_label(period: Period, lang: str, *, short: bool = False) -> str:
    """`juin 2025`, `T2 2025`, `S26 2025` (French) or `June 2025`, `Q2 2025`, `W26 2025`; a quarter of a fiscal
    year starting after January `T1 2025-26`."""
    if period.granularity is Granularity.MONTH:
        return format_date(period.start, "LLL y" if short else "LLLL y", locale=LOCALES[lang])
    if period.granularity is Granularity.QUARTER:
        return f"{'T' if lang == 'fr' else 'Q'}{period.quarter} {period.year_label}"
    year, week, _ = period.start.isocalendar()
    return f"{'S' if lang == 'fr' else 'W'}{week:02d} {year}"


def partial_note(window: Window, lang: str, key: str = "card.partial") -> str | None:
    """While the period is in progress: how much of it has elapsed and how it is compared fairly."""
    if not window.partial:
        return None
    return t(key, lang, days=(window.stop - window.start).days, total=(window.period.end - window.period.start).days,
             last=format_value(window.stop - timedelta(days=1), "date", lang))


def plotly_separators(lang: str) -> str:
    """Plotly's `layout.separators` (decimal then thousands) for the language."""
    return ", " if lang == "fr" else ".,"


def format_table(frame, columns: dict[str, tuple[str, Unit | str | None]], lang: str, *, labels=None):
    """A display copy of `frame`: chosen columns, headers translated by `labels`, numbers as locale text.

    `columns` maps a column to (header, unit) or (header, unit, decimals); a None unit leaves the values as
    they are.
    """
    shown = pd.DataFrame(index=frame.index)
    for column, (header, unit, *decimals) in columns.items():
        values = frame[column]
        if unit is not None:
            values = values.map(lambda v, unit=unit, d=(decimals or [None])[0]: format_value(
                None if pd.isna(v) else v, unit, lang, decimals=d))
        shown[labels(header) if labels else header] = values
    return shown


_ENCODINGS = {"utf-8": "UTF-8", "cp1252": "Windows-1252", "latin-1": "Latin-1", "utf-16": "UTF-16"}
_DATE_PARTS = {"fr": {"%d": "JJ", "%m": "MM", "%Y": "AAAA", "%y": "AA", "%H": "hh", "%M": "mm", "%S": "ss"},
               "en": {"%d": "DD", "%m": "MM", "%Y": "YYYY", "%y": "YY", "%H": "hh", "%M": "mm", "%S": "ss"}}


def describe_dialect(dialect: Dialect, lang: str) -> str:
    """`CSV · Windows-1252 · séparateur point-virgule` — how a file was read, in words."""
    if dialect.format in ("xlsx", "parquet"):
        return t(f"dialect.{dialect.format}", lang)
    encoding = _ENCODINGS.get(dialect.encoding, dialect.encoding) + (" BOM" if dialect.bom else "")
    return t("dialect.csv", lang, encoding=encoding, delimiter=t(f"delimiter.{DELIMITER_NAMES[dialect.delimiter]}",
                                                                  lang))


def describe_convention(detected, lang: str) -> str:
    """A detected decimal mark (`1 234,56`) or date format (`JJ/MM/AAAA`), as a user reads it."""
    if isinstance(detected, NumberFormat):
        return t("convention.decimal_comma" if detected.decimal == "," else "convention.decimal_point", lang)
    if isinstance(detected, DateFormat):
        text = "ISO 8601" if detected.pattern == "ISO8601" else detected.pattern
        for part, letters in _DATE_PARTS[lang].items():
            text = text.replace(part, letters)
        return text + (t("convention.utc", lang) if detected.utc else "")
    return ""
