"""Which mapping a file gets, read from its header and its values together: the saved one for its header, else a
suggestion completed by what the values alone point to (a required field or a region no header names) with the
day/month order its dates show; and how sure each field's column is."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from kpi_core.geography import locate
from kpi_core.i18n import t
from kpi_core.mapping import (
    COLUMN_SYNONYMS,
    DEFAULT_STAGES,
    QUANTITY_SYNONYMS,
    UNIT_PRICE_SYNONYMS,
    DatasetMapping,
    Mapping,
    canonical_value,
    guess_dataset,
    header_score,
    normalize,
    preset_columns,
    stage_position,
)
from kpi_core.parsing import parse_dates, parse_numbers
from kpi_core.presets import PRESETS
from kpi_core.raw import RawTable, as_text
from kpi_core.reader import UnreadableFile, read_table
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
    """Whether the column's values name French regions, departments, cities or postcodes (not dates)."""
    if _fits(cells, "date", True):
        return False
    values = _filled(cells).astype(str).unique()
    return bool(len(values)) and sum(locate(value) is not None for value in values) / len(values) >= PLACES


VOCABULARIES = ("stage", "status", "activity_type")  # fields whose values come from a known vocabulary


def _meaning(value: str, name: str, stages: tuple[str, ...]) -> str | None:
    """What a cell says for this field: `stage` (a pipeline stage that is not an outcome), `won`/`lost`/`open`, an
    activity type; None when it says nothing known."""
    if name == "activity_type":
        return canonical_value(value, name)
    status = canonical_value(value, "status")
    if status is not None:
        return status
    return "stage" if stage_position(value, stages) else None


def _speaks(cells: pd.Series, name: str, stages: tuple[str, ...]) -> bool:
    """Whether a column's values are this field's: almost all cells known, and two known values or more. A stage
    column holds at least one stage that is not an outcome (`Prospecting` beside `Won`); a status column none, and
    two outcomes."""
    counts = _filled(cells).astype(str).value_counts()
    if counts.empty:
        return False
    meanings = {value: _meaning(value, name, stages) for value in counts.index}
    known = sum(count for value, count in counts.items() if meanings[value]) / counts.sum()
    found = set(meanings.values()) - {None}
    if name == "stage" and "stage" not in found or name == "status" and "stage" in found:
        return False
    several = sum(bool(meaning) for meaning in meanings.values()) if name == "stage" else len(found)
    return known >= FITS and several >= 2


def confidences(raw: RawTable, mapping: DatasetMapping, *, saved: bool = False,
                stages: tuple[str, ...] = DEFAULT_STAGES) -> list[Recognised]:
    """How sure each mapped field is: a saved mapping or a preset is the user's or the vendor's word (worked out
    once per table and mapping)."""
    key = ("confidences", mapping.dataset, tuple(mapping.columns.items()), mapping.day_first, mapping.preset, saved,
           stages)
    return raw.read_once(key, lambda: _confidences(raw, mapping, saved, stages))


def _confidences(raw: RawTable, mapping: DatasetMapping, saved: bool,
                 stages: tuple[str, ...]) -> list[Recognised]:
    preset = next((preset for preset in PRESETS if preset.id == mapping.preset), None)
    vendor = preset_columns(preset, list(raw.frame.columns)) if preset else {}  # the columns named the vendor's way
    found = []
    for spec in fields(mapping.dataset):
        column = mapping.columns.get(spec.name)
        if spec.name == "amount" and column is None and mapping.amount_product:
            found += _product(raw, mapping.amount_product, saved)
            continue
        if column not in raw.frame.columns:
            continue
        synonyms = (normalize(spec.name),) + COLUMN_SYNONYMS[mapping.dataset].get(spec.name, ())
        score = 3.0 if saved or column == vendor.get(spec.name) else header_score(column, synonyms)
        if not score and spec.name in VOCABULARIES and _speaks(raw.frame[column], spec.name, stages):
            found.append(Recognised(spec.name, column, "medium"))  # its values are stage or status names
            continue
        # A known name with a few unreadable cells (rejected and said) is still the column; a guessed one must read
        # well. Values alone (no header names the field) are enough for a region, not for a required field: ask.
        fits = _readable(raw.frame[column], spec.kind, mapping.day_first) >= (0.5 if score >= 3 else FITS)
        confidence = ("low" if not fits or (not score and spec.required) else
                      "high" if score >= 3 else "medium")
        found.append(Recognised(spec.name, column, confidence))
    return found


def _product(raw: RawTable, columns: tuple[str, str], saved: bool) -> list[Recognised]:
    """The amount as quantity × unit price: sure when both are numbers under known names."""
    quantity, price = columns
    if quantity not in raw.frame.columns or price not in raw.frame.columns:
        return []
    named = saved or min(header_score(quantity, QUANTITY_SYNONYMS), header_score(price, UNIT_PRICE_SYNONYMS)) >= 3
    fits = all(_fits(raw.frame[column], "number", True) for column in columns)
    return [Recognised("amount", f"{quantity} × {price}", "low" if not fits else "high" if named else "medium")]


def complete(raw: RawTable, mapping: DatasetMapping, stages: tuple[str, ...] = DEFAULT_STAGES) -> DatasetMapping:
    """The suggestion with what the values alone say where no header did: a required date, amount or the record's
    own id (unique per row), a region (a column of French places), a stage, status or activity type (a column of
    their names; a `Statut` column of stage names is the stage). Such a pick is never `high`; a date, amount or id
    found this way is asked about."""
    columns = dict(mapping.columns)
    status = columns.get("status")
    if "stage" not in columns and status in raw.frame.columns and _speaks(raw.frame[status], "stage", stages):
        columns["stage"] = columns.pop("status")  # its Won/Lost values still give each deal's status
    free = [column for column in raw.frame.columns if column not in columns.values()
            and column not in (mapping.amount_product or ()) and column not in raw.joined]
    # Values that name something (places, stages) first: a column of four distinct stages is not the id.
    specific = sorted(fields(mapping.dataset), key=lambda spec: spec.name not in ("region", *VOCABULARIES))
    for spec in specific:
        if spec.name in columns or (spec.name == "amount" and mapping.amount_product):
            continue
        if spec.name == "region":
            pick = next((column for column in free if _places(raw.frame[column])), None)
        elif spec.name in VOCABULARIES:
            pick = next((column for column in free if _speaks(raw.frame[column], spec.name, stages)), None)
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


def read_with(data, name: str, mapping: Mapping, read=read_table) -> tuple[RawTable, DatasetMapping | None]:
    """Read a file as detected, or as a saved mapping says when the user had corrected the detection
    (that saved header only appears when the file is read their way). Returns the table and that mapping.
    `read(data, name, encoding=, delimiter=)` reads `data` (bytes for read_table; the app passes its cached reader,
    the command line a path it reads in batches)."""
    raw = read(data, name)
    saved = mapping.for_header(list(raw.frame.columns))
    if saved:
        return raw, saved
    for saved in reversed(mapping.files):
        if saved.encoding or saved.delimiter:
            try:
                corrected = read(data, name, encoding=saved.encoding, delimiter=saved.delimiter)
            except UnreadableFile:
                continue
            if list(corrected.frame.columns) == list(saved.header):
                return corrected, saved
    return raw, None


def mapping_for(raw: RawTable, mapping: Mapping, dataset: str | None = None) -> DatasetMapping:
    """The saved mapping of a file with this header, else a preset or synonym suggestion completed from the values
    (worked out once per table and stages; a copy is returned)."""
    header = [str(column) for column in raw.frame.columns]
    saved = mapping.for_header(header, dataset)
    if saved:
        return saved
    suggested = raw.read_once(("mapping", dataset, mapping.stages), lambda: _suggest(raw, header, dataset,
                                                                                       mapping.stages))
    if suggested is None:
        raise UnreadableFile("file.unknown_dataset")
    return replace(suggested)


def _suggest(raw: RawTable, header: list[str], dataset: str | None, stages: tuple[str, ...]) -> DatasetMapping | None:
    chosen = DatasetMapping.suggest(header, dataset, stages, raw.joined)
    # No header names a date: the values may show one (`Jour`); else the file describes things, not events.
    undated = None if chosen else guess_dataset([column for column in header if column not in raw.joined],
                                                dated=False)
    if undated:
        chosen = DatasetMapping.suggest(header, undated, stages, raw.joined)
    if chosen is None:
        return None
    chosen = complete(raw, chosen, stages)
    if undated and any(spec.required and spec.name not in chosen.columns and
                       not (spec.name == "amount" and chosen.amount_product) for spec in fields(undated)):
        return None
    chosen.day_first = not _month_first(raw, chosen)
    return chosen


DATE_SAMPLE = 2000  # cells of a date column read to tell `06/30/2025` from `30/06/2025`


def _month_first(raw: RawTable, mapping: DatasetMapping) -> bool:
    """Whether the file's dates put the month first (`11/8/2018`, `06/30/2025`) and none says the day does, read
    from its values: the day/month setting then starts in step with the file."""
    readings = [_date_reading(raw, mapping.columns[spec.name]) for spec in fields(mapping.dataset)
                if spec.kind in ("date", "datetime") and mapping.columns.get(spec.name) in raw.frame.columns]
    readings = [reading for reading in readings if reading is not None]
    return any(reading.month_first for reading in readings) and not any(reading.day_first for reading in readings)


def _date_reading(raw: RawTable, column: str):
    return raw.read_once(("dates", column), lambda: parse_dates(raw.frame[column].head(DATE_SAMPLE)).detected)
