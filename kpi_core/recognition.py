"""How sure a suggested mapping is, read from the header and the values together: each field's column with a
confidence, and the columns the values alone point to when no header names a required field or a region."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from kpi_core.geography import locate
from kpi_core.i18n import t
from kpi_core.mapping import COLUMN_SYNONYMS, DatasetMapping, header_score, normalize
from kpi_core.parsing import parse_dates, parse_numbers
from kpi_core.raw import RawTable, as_text
from kpi_core.schemas import fields

SAMPLE = 500  # rows of a column looked at
FITS = 0.9  # share of a column's filled cells that must read as the field's kind
PLACES = 0.6  # share of a column's distinct values that must name a French place for it to be a region
CONFIDENCES = ("high", "medium", "low")


@dataclass(frozen=True)
class Recognised:
    """One field's column and how sure the suggestion is: `high` (the header is a known name and the values fit),
    `medium` (the header contains one, or the values alone say it), `low` (ask the user)."""

    field: str
    column: str
    confidence: str


def _filled(cells: pd.Series) -> pd.Series:
    """The first SAMPLE cells that hold something."""
    return cells.head(SAMPLE)[as_text(cells.head(SAMPLE)).notna()]


def _readable(cells: pd.Series, kind: str, day_first: bool) -> float:
    """The share of filled cells that read as this kind of value (0 for an empty column)."""
    filled = _filled(cells)
    if filled.empty:
        return 0.0
    if kind in ("date", "datetime"):
        # Bare numbers (`1996` established, `20260315` ids) are not dates, even where a reader could take them as one.
        if filled.astype(str).str.fullmatch(r"\d+(\.0)?").all():
            return 0.0
        return 1 - parse_dates(filled, day_first=day_first).unreadable.mean()
    if kind == "number":
        return 1 - parse_numbers(filled).unreadable.mean()
    return 1.0


def _fits(cells: pd.Series, kind: str, day_first: bool) -> bool:
    return _readable(cells, kind, day_first) >= FITS


def _amount_like(cells: pd.Series) -> bool:
    """Numbers, almost all at least zero, some with cents: what an amount column looks like."""
    filled = _filled(cells)
    parsed = parse_numbers(filled) if len(filled) else None
    if parsed is None or parsed.unreadable.mean() > 1 - FITS:
        return False
    values = pd.Series(parsed.values).dropna()
    return bool(len(values)) and (values >= 0).mean() >= FITS and (values.round(0) != values).any()


def _places(cells: pd.Series) -> bool:
    """Whether the column's values name French regions, departments, cities or postcodes."""
    values = _filled(cells).astype(str).unique()
    return bool(len(values)) and sum(locate(value) is not None for value in values) / len(values) >= PLACES


def confidences(raw: RawTable, mapping: DatasetMapping, *, saved: bool = False) -> list[Recognised]:
    """How sure each mapped field is: a saved mapping or a preset is the user's or the vendor's word (worked out
    once per table and mapping)."""
    key = ("confidences", mapping.dataset, tuple(mapping.columns.items()), mapping.day_first, mapping.preset, saved)
    return raw.read_once(key, lambda: _confidences(raw, mapping, saved))


def _confidences(raw: RawTable, mapping: DatasetMapping, saved: bool) -> list[Recognised]:
    found = []
    for spec in fields(mapping.dataset):
        column = mapping.columns.get(spec.name)
        if column not in raw.frame.columns:
            continue
        synonyms = (normalize(spec.name),) + COLUMN_SYNONYMS[mapping.dataset].get(spec.name, ())
        score = 3.0 if saved or mapping.preset else header_score(column, synonyms)
        # A known name with a few unreadable cells (rejected and said) is still the column; a guessed one must read
        # well. Values alone (no header names the field) are enough for a region, not for a required field: ask.
        fits = _readable(raw.frame[column], spec.kind, mapping.day_first) >= (0.5 if score >= 3 else FITS)
        confidence = ("low" if not fits or (not score and spec.required) else
                      "high" if score >= 3 else "medium")
        found.append(Recognised(spec.name, column, confidence))
    return found


def complete(raw: RawTable, mapping: DatasetMapping) -> DatasetMapping:
    """The suggestion with what the values alone say where no header did: a required date, amount or the record's
    own id (unique per row), and a region (a column of French places). Such a pick is never `high`: the upload page
    asks."""
    columns = dict(mapping.columns)
    free = [column for column in raw.frame.columns if column not in columns.values()
            and column not in (mapping.amount_product or ()) and column not in raw.joined]
    for spec in fields(mapping.dataset):
        if spec.name in columns or (spec.name == "amount" and mapping.amount_product):
            continue
        if spec.name == "region":
            pick = next((column for column in free if _places(raw.frame[column])), None)
        elif not spec.required:
            continue
        elif spec.kind in ("date", "datetime"):
            pick = next((column for column in free if _fits(raw.frame[column], spec.kind, mapping.day_first)), None)
        elif spec.kind == "number":
            pick = next((column for column in free if _amount_like(raw.frame[column])), None)
        elif spec.kind == "id" and spec == fields(mapping.dataset)[0]:  # the record's own id, not a customer's
            pick = next((column for column in free if _filled(raw.frame[column]).is_unique
                         and len(_filled(raw.frame[column])) == min(len(raw.frame), SAMPLE)), None)
        else:
            continue
        if pick is not None:
            columns[spec.name] = pick
            free.remove(pick)
    return replace(mapping, columns={spec.name: columns[spec.name] for spec in fields(mapping.dataset)
                                     if spec.name in columns})


def sentence(found: list[Recognised], lang: str) -> str:
    """`Recognised: Order ← InvoiceNo (sure), Region ← Country (likely), Amount ← Total (check)`."""
    return t("recognition.found", lang, fields=", ".join(
        t("recognition.item", lang, field=t(f"field.{item.field}", lang), column=item.column,
          confidence=t(f"recognition.{item.confidence}", lang)) for item in found))


def to_check(found: list[Recognised], dataset: str) -> list[Recognised]:
    """The required fields the user must confirm: the suggestion is not sure enough to be used silently."""
    required = {spec.name for spec in fields(dataset) if spec.required}
    return [item for item in found if item.confidence == "low" and item.field in required]
