"""From a raw table and a mapping to a validated canonical dataset: nothing silently dropped."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pandera.pandas as pandera
import pyarrow as pa
import pyarrow.compute as pc

from kpi_core import currency
from kpi_core.mapping import (
    DatasetMapping,
    Mapping,
    canonical_value,
    normalize,
    stage_position,
)
from kpi_core.memory import release_memory
from kpi_core.parsing import parse_booleans, parse_dates, parse_numbers
from kpi_core.periods import today
from kpi_core.raw import as_text
from kpi_core.reader import MAX_CELL_CHARS, RawTable
from kpi_core.recognition import mapping_for
from kpi_core.schemas import ACTIVITY_TYPES, HORIZON_DAYS, MAX_AMOUNT, MODELS, PLANNED_DATES, STATUSES, fields

SOURCE_ROW = "source_row"
LOST_ASSUMED = "lost_stage_assumed"  # a lost deal's stage was assumed (not a canonical field: filtered out)
SOURCE_FILE = "source_file"
CATEGORIES = {"status": STATUSES, "activity_type": ACTIVITY_TYPES}


@dataclass(frozen=True)
class Problem:
    """One cell that failed one check: `check` is an i18n key, `row` the file's own row number."""

    row: int | str  # `Sheet!row` when a workbook's rows come from several sheets
    column: str
    check: str
    value: str
    source: str = ""


@dataclass
class Prepared:
    """A dataset ready to load, with the rows that were not and why."""

    dataset: str
    accepted: pd.DataFrame | pa.Table  # Arrow when the file was read in batches (prepare_batches)
    rejected: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)
    rows_read: int = 0
    mapping: DatasetMapping | None = None
    detected: dict[str, object] = field(default_factory=dict)
    name: str = ""
    notes: list[tuple[str, dict]] = field(default_factory=list)  # what reading the file had to say
    kept: int = 0  # accepted rows handed on batch by batch (prepare_batches' `keep`), not in `accepted`
    blank_rows: int = 0  # accepted rows with a blank where blanks are allowed (orders without a customer)
    blank_amount: float = 0.0  # and their amount
    lost_at: dict[str, int] = field(default_factory=dict)  # lost deals with no stage of their own, by assumed stage
    currency: str | None = None  # the amounts' currency: chosen in the mapping, else found in the file, else unknown
    mixed_currencies: tuple[str, ...] = ()  # several found and none chosen: the file cannot be used
    recognised: list = field(default_factory=list)  # recognition.Recognised: each field's column, how sure

    @property
    def accepted_rows(self) -> int:
        return len(self.accepted) + self.kept

    @property
    def usable(self) -> bool:
        return not self.missing_columns and self.accepted_rows > 0 and not self.mixed_currencies


def _pandera_check(check) -> str:
    """pandera's check names → our i18n keys."""
    name = str(check)
    for prefix, key in (
        ("not_nullable", "check.required"), ("field_uniqueness", "check.unique"), ("isin", "check.allowed"),
        ("greater_than_or_equal_to", "check.min"), ("less_than_or_equal_to", "check.max"),
        ("coerce_dtype", "check.type"), ("dtype", "check.type"),
    ):
        if name.startswith(prefix):
            return key
    return "check.other"


def _flag(mask: pd.Series) -> pd.Series:
    """A plain boolean mask: pyarrow-backed comparisons give NA for missing values, never False."""
    return mask.fillna(False).astype(bool)


_PARSE_CHECK = {"number": "check.number", "date": "check.date", "datetime": "check.date", "bool": "check.bool"}


def _typed_columns(raw: pd.DataFrame, mapping: DatasetMapping, stages: tuple[str, ...], conventions: dict):
    """Canonical columns parsed from the mapped source columns, the cells that did not parse, and
    the conventions detected per field (decimal mark, date format), or taken from `conventions`."""
    columns: dict[str, pd.Series] = {}
    unreadable: list[tuple[str, str, pd.Series]] = []
    detected: dict[str, object] = {}
    for spec in fields(mapping.dataset):
        source = mapping.columns.get(spec.name)
        if spec.name == "amount" and mapping.amount_product:
            if not set(mapping.amount_product) <= set(raw.columns):
                continue  # a saved quantity × unit price of columns this file lacks: the amount is missing
            quantity, unit_price = (parse_numbers(raw[column], convention=conventions.get(spec.name))
                                    for column in mapping.amount_product)
            columns[spec.name] = quantity.values * unit_price.values
            unreadable.append((spec.name, "check.number", quantity.unreadable, mapping.amount_product[0]))
            unreadable.append((spec.name, "check.number", unit_price.unreadable, mapping.amount_product[1]))
            detected[spec.name] = unit_price.detected
            continue
        if source is None or source not in raw.columns:
            continue
        cells = raw[source]
        if spec.kind in ("number", "date", "datetime", "bool"):
            parsed = _parse(cells, spec.kind, mapping, mapping.values.get(spec.name, {}), conventions.get(spec.name))
            columns[spec.name] = parsed.values
            unreadable.append((spec.name, _PARSE_CHECK[spec.kind], parsed.unreadable, source))
            if parsed.detected:
                detected[spec.name] = parsed.detected
            fallback = mapping.fallbacks.get(spec.name)
            if fallback in raw.columns and spec.kind in ("date", "datetime"):
                # An empty cell takes the date of the column the user named instead (an unreadable one stays wrong).
                empty = as_text(cells).isna()
                other = _parse(raw[fallback], spec.kind, mapping, {}, None)
                columns[spec.name] = pd.Series(parsed.values, index=cells.index).where(~empty, other.values)
                unreadable.append((spec.name, "check.date", _flag(empty & other.unreadable), fallback))
        else:
            columns[spec.name] = as_text(cells)
            # Excel holds 32 767 characters in a cell: a longer one is not a name or an id but a broken export.
            unreadable.append((spec.name, "check.too_long", _flag(columns[spec.name].str.len() > MAX_CELL_CHARS),
                               source))
    _map_categories(columns, raw, mapping, stages, unreadable)
    unreadable += _beyond_horizon(columns, mapping)
    if mapping.reject_blank:
        unreadable += [(name, "check.required", _flag(columns[name].isna()), mapping.columns[name])
                       for name in _blank_fields(mapping.dataset) if name in columns]
    return columns, unreadable, detected


def _blank_fields(dataset: str) -> list[str]:
    return [spec.name for spec in fields(dataset) if spec.blank]


def _beyond_horizon(columns: dict, mapping: DatasetMapping) -> list[tuple[str, str, pd.Series, str]]:
    """Dates further after today than an event or a plan can be (see schemas.HORIZON_DAYS), as problems: such a
    row never becomes the data's last day."""
    now = pd.Timestamp(today()) + pd.Timedelta(days=1)  # a limit of n days runs to the end of the n-th day
    event, planned = (now + pd.Timedelta(days=HORIZON_DAYS[kind]) for kind in ("event", "planned"))
    problems = []
    for spec in fields(mapping.dataset):
        if spec.kind not in ("date", "datetime") or spec.name not in columns:
            continue
        values, source = pd.Series(columns[spec.name]), mapping.columns.get(spec.name, "")
        is_plan = pd.Series((mapping.dataset, spec.name) in PLANNED_DATES, index=values.index)
        if mapping.dataset == "deals" and "status" in columns:
            is_plan &= _flag(pd.Series(columns["status"]).eq("open"))  # a closed deal's close date happened
        problems.append((spec.name, "check.future", _flag(~is_plan & (values >= event)), source))
        problems.append((spec.name, "check.far_future", _flag(is_plan & (values >= planned)), source))
    return problems


def _parse(cells: pd.Series, kind: str, mapping: DatasetMapping, known: dict[str, str], convention):
    if kind == "number":
        return parse_numbers(cells, convention=convention)
    if kind == "bool":
        return parse_booleans(cells, {source: meaning == "true" for source, meaning in known.items()})
    return parse_dates(cells, day_first=mapping.day_first, keep_time=kind == "datetime", convention=convention)


def _map_categories(columns, raw, mapping, stages, unreadable) -> None:
    """Source values → canonical ones; one stage column may give both the stage and the status."""
    for name in ("status", "activity_type"):
        if name in columns:
            text = columns[name]
            mapped = _canonical(text, name, mapping.values.get(name, {}))
            if name == "activity_type":
                mapped = mapped.where(text.isna(), mapped.fillna("other"))  # unknown types count as other
            unreadable.append((name, "check.unknown_value", _flag(mapped.isna() & text.notna()),
                               mapping.columns[name]))
            columns[name] = mapped.astype("string")
    if "stage" in columns:
        text = columns["stage"]
        user_stages = mapping.values.get("stage", {})
        own = _per_value(text, lambda value: _stage_of(value, user_stages, stages)).astype("float64")
        positions = own
        entries = _stage_entries(raw, mapping, stages, columns.get("created_date"), unreadable)
        if entries is not None:
            # The furthest stage entered is known even when the stage column only says `Closed Lost`.
            positions = pd.concat([own, _furthest_entered(entries)], axis=1).max(axis=1)
            columns["stage_entries"] = _as_lists(entries)
        implied = _canonical(text, "status", mapping.values.get("status", {}))
        if "status" not in columns and implied.notna().any():
            # A Won/Lost value in the stage column: the status comes from it.
            columns["status"] = implied.where(implied.notna(), "open").where(text.notna()).astype("string")
        # A deal lost with no stage of its own counts at the stage the user chose, else at the furthest its dates
        # show, else at the first (every deal reached it).
        unstaged = _flag(own.isna() & implied.eq("lost"))
        if mapping.lost_stage in stages:
            positions = positions.where(~unstaged, stages.index(mapping.lost_stage) + 1)
        positions = positions.where(~_flag(positions.isna() & unstaged), 1)
        columns[LOST_ASSUMED] = unstaged
        unreadable.append(("stage", "check.unknown_value", _flag(positions.isna() & text.notna()),
                           mapping.columns["stage"]))
        columns["stage"] = _per_value(positions, lambda rank: stages[int(rank) - 1]).astype("string")


def _canonical(text: pd.Series, name: str, known: dict[str, str]) -> pd.Series:
    """The user's value mapping first, then the built-in synonyms."""
    mapped = _per_value(text, lambda value: known.get(value) or canonical_value(value, name))
    return mapped.astype(object)  # a column with no value at all would come back typed `null`, which takes none


def _per_value(cells: pd.Series, meaning) -> pd.Series:
    """`meaning` of each distinct value, looked up for every cell (a million statuses hold a handful of values:
    Python runs once per value, not per cell); missing cells stay missing."""
    distinct = cells.dropna().unique()
    return cells.map(dict(zip(distinct, (meaning(value) for value in distinct))))


def _stage_entries(raw, mapping, stages, created, unreadable) -> pd.DataFrame | None:
    """With one entry-date column per stage (HubSpot): each deal's earliest entry into each stage (one column
    per stage rank, NaT when unknown; entering the first stage is the creation when no column says it).
    None without such columns."""
    dated = [(column, stages.index(stage) + 1) for column, stage in mapping.stage_dates.items()
             if column in raw.columns and stage in stages]
    if not dated:
        return None
    entries = pd.DataFrame({rank: pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
                            for rank in range(1, len(stages) + 1)})
    for column, rank in dated:
        entered = parse_dates(raw[column], day_first=mapping.day_first)
        unreadable.append(("stage", "check.date", entered.unreadable, column))
        entries[rank] = pd.concat([entries[rank], pd.Series(entered.values, index=raw.index)], axis=1).min(axis=1)
    if created is not None:
        entries[1] = entries[1].fillna(pd.Series(created, index=raw.index))
    return entries


def _furthest_entered(entries: pd.DataFrame) -> pd.Series:
    """The rank of the furthest stage a deal has an entry date for (NaN for none)."""
    known = entries.notna().to_numpy()
    furthest = len(entries.columns) - np.argmax(known[:, ::-1], axis=1)
    return pd.Series(np.where(known.any(axis=1), furthest, np.nan), index=entries.index)


def _as_lists(entries: pd.DataFrame) -> pd.Series:
    """Entry dates as one list per deal (None for unknown), the shape the database stores."""
    return pd.Series([[None if pd.isna(day) else day.date() for day in row] for row in entries.itertuples(index=False)],
                     index=entries.index, dtype=object)


def _stage_of(value, user_stages: dict[str, str], stages: tuple[str, ...]) -> int | None:
    if value in user_stages:
        return stage_position(user_stages[value], stages)
    return stage_position(value, stages)


_AMOUNTS = ("amount", "target")  # the fields holding money


def _currencies(raw: RawTable, mapping: DatasetMapping) -> tuple[str | None, tuple[str, ...]]:
    """The file's currency (the mapping's, else the one its amount columns show) and, when they show several and
    none was chosen, which."""
    if mapping.currency:
        return mapping.currency, ()
    columns = [mapping.columns.get(name) for name in _AMOUNTS] + list(mapping.amount_product or ())
    # A column of its own (`Devise`: EUR) says it too.
    columns += [column for column in raw.frame.columns if currency.names_it(normalize(column))]
    found = set().union(*(currency.found_in(raw.frame[column], column) for column in columns
                          if column in raw.frame.columns))
    return (found.pop(), ()) if len(found) == 1 else (None, tuple(sorted(found)))


def prepare(raw: RawTable, mapping: DatasetMapping, stages: tuple[str, ...], *,
            conventions: dict | None = None) -> Prepared:
    """Map, parse and validate (lazily: every problem at once) one source table; `conventions` (a Prepared's
    `detected`) fixes the decimal marks and date formats instead of detecting them."""
    prepared = _prepare(raw, mapping, stages, conventions)
    prepared.currency, prepared.mixed_currencies = _currencies(raw, mapping)
    return prepared


def _prepare(raw: RawTable, mapping: DatasetMapping, stages: tuple[str, ...], conventions: dict | None) -> Prepared:
    model = MODELS[mapping.dataset]
    required = [spec.name for spec in fields(mapping.dataset) if spec.required]
    columns, unreadable, detected = _typed_columns(raw.frame, mapping, stages, conventions or {})
    missing = [name for name in required if name not in columns]
    if missing:
        # Without a required column no row can be used: all of them count as rejected.
        rejected = raw.frame.assign(**{SOURCE_ROW: raw.row_numbers})
        return Prepared(mapping.dataset, pd.DataFrame(), rejected, [], missing, len(raw.frame), mapping, detected,
                        raw.name)
    frame = pd.DataFrame(columns, index=raw.frame.index)
    rows = raw.row_numbers
    problems = [problem for name, check, bad, source in unreadable if bad.any()
                for problem in _problems(raw, bad[bad].index, name, check, source)]
    try:
        validated = model.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as errors:
        problems += _schema_problems(errors.failure_cases, raw, mapping, {(p.row, p.column) for p in problems})
        validated = None
    rejected_rows = {problem.row for problem in problems}
    keep = ~rows.isin(rejected_rows)
    # Rows without problems pass the schema on their own; validating them again coerces their types.
    accepted = validated[keep] if validated is not None else model.validate(frame[keep], lazy=True)
    accepted = accepted.assign(**{SOURCE_ROW: rows[keep]})
    rejected = raw.frame[~keep].assign(**{SOURCE_ROW: rows[~keep]})
    blank = accepted[_blank_fields(mapping.dataset)].isna().any(axis=1)
    lost_at = {}
    if LOST_ASSUMED in frame:
        assumed = frame[LOST_ASSUMED].to_numpy()[keep.to_numpy()]
        lost_at = {str(stage): int(count) for stage, count in accepted.loc[assumed, "stage"].value_counts().items()}
    return Prepared(mapping.dataset, accepted.reset_index(drop=True), rejected.reset_index(drop=True),
                    sorted(problems, key=lambda p: (p.column, p.check, str(p.row).zfill(12))), [], len(raw.frame),
                    mapping, detected, raw.name, blank_rows=int(blank.sum()),
                    blank_amount=float(accepted.loc[blank, "amount"].sum()) if "amount" in accepted else 0.0,
                    lost_at=lost_at)


SHOWN_CHARACTERS = 80  # of a cell quoted in a problem: enough to recognise it, never a 300 000-character cell


def _problems(raw: RawTable, index: pd.Index, name: str, check: str | pd.Series, source: str | None,
              values: pd.Series | None = None) -> list[Problem]:
    """One Problem per row of `index`, built column-wise: the row numbers and cells as the file wrote them."""
    rows = raw.row_numbers.loc[index].tolist()
    if source and source in raw.frame.columns:
        values = raw.frame.loc[index, source]
    shown = ["" if values is None else text for text in _shown(values, len(index))]
    checks = check.tolist() if isinstance(check, pd.Series) else [check] * len(index)
    return [Problem(row, name, kind, value, source or "") for row, kind, value in zip(rows, checks, shown)]


def _shown(values: pd.Series | None, count: int) -> list[str]:
    if values is None:
        return [""] * count
    text = values.astype("string").fillna("")
    cut = text.str.len() > SHOWN_CHARACTERS
    return text.str.slice(0, SHOWN_CHARACTERS).where(~cut, text.str.slice(0, SHOWN_CHARACTERS) + "…").tolist()


def _schema_problems(cases: pd.DataFrame, raw: RawTable, mapping: DatasetMapping, already: set) -> list[Problem]:
    """pandera's failure cases as Problems, grouped by column and check; a cell already reported as unreadable
    (it is also null) is said once."""
    cases = cases[cases["index"].notna()]
    dates = {spec.name for spec in fields(mapping.dataset) if spec.kind in ("date", "datetime")}
    found = []
    for (column, check), group in cases.groupby(["column", "check"], sort=False):
        index = pd.Index(group["index"].astype("int64"))
        fresh = [(row, str(column)) not in already for row in raw.row_numbers.loc[index].tolist()]
        group, index = group[fresh], index[fresh]
        if not len(index):
            continue
        key = _pandera_check(check)
        if key in ("check.min", "check.max"):
            absurd = pd.to_numeric(group["failure_case"], errors="coerce").abs().gt(MAX_AMOUNT).to_numpy()
            key = pd.Series(np.where(absurd, "check.absurd", key), dtype=object) if str(column) not in dates \
                else "check.date_range"
        source = mapping.columns.get(str(column), "")
        # The cell as the file wrote it, not as pandera coerced it (`1850-01-01 00:00:00`).
        found += _problems(raw, index, str(column), key, source,
                           None if source else pd.Series(group["failure_case"].to_numpy(), index=index))
    return found


def prepare_file(raw: RawTable, mapping: Mapping, dataset: str | None = None) -> Prepared:
    """Prepare a file with its saved mapping when the header matches, else with suggested columns."""
    return prepare(raw, mapping_for(raw, mapping, dataset), mapping.stages)


def prepare_batches(tables: Iterable[RawTable], mapping: Mapping, dataset: str | None = None, *,
                    keep: Callable[[str, pa.Table], None] | None = None) -> Prepared:
    """A file read in batches (stream.read_batches) prepared as one: the first batch decides the mapping and the
    conventions (decimal marks, date formats) all are read with. Accepted rows are kept as one Arrow table, or,
    with `keep`, handed to it (with the dataset) batch by batch and not kept (a file larger than memory). An id
    that must be unique and repeats in a later batch is rejected there, as a later file's is (`combine`)."""
    first: Prepared | None = None
    accepted, rejected, problems, rows_read, notes, kept, blank_rows, blank_amount = [], [], [], 0, [], 0, 0, 0.0
    lost_at: dict[str, int] = {}
    seen: dict[str, list[pa.Array]] = {}  # the unique ids accepted so far, per field
    for raw in tables:
        chosen = first.mapping if first else mapping_for(raw, mapping, dataset)
        part = prepare(raw, chosen, mapping.stages, conventions=first.detected if first else None)
        first = first or part
        rows_read += part.rows_read
        blank_rows, blank_amount = blank_rows + part.blank_rows, blank_amount + part.blank_amount
        lost_at = {stage: lost_at.get(stage, 0) + part.lost_at.get(stage, 0) for stage in {*lost_at, *part.lost_at}}
        notes += raw.notes
        rejected.append(part.rejected)
        problems += part.problems
        if part.missing_columns:
            continue
        table, left_out = _first_ids(pa.Table.from_pandas(part.accepted, preserve_index=False), first.dataset, seen)
        for name, repeated in left_out:
            problems += [Problem(row, name, "check.unique", str(value)) for row, value in
                         zip(repeated.column(SOURCE_ROW).to_pylist(), repeated.column(name).to_pylist())]
            rejected.append(repeated.to_pandas())
        if keep is None:
            accepted.append(table)
        else:
            keep(first.dataset, table)
            kept += table.num_rows
            del raw, part, table
            release_memory()  # what a batch freed, before the next one is read
    table = pa.concat_tables(accepted, promote_options="permissive") if accepted else pa.table({})
    return Prepared(first.dataset, table, pd.concat(rejected, ignore_index=True), problems, first.missing_columns,
                    rows_read, first.mapping, first.detected, first.name, notes, kept, blank_rows, blank_amount,
                    lost_at, first.currency, first.mixed_currencies)


def _first_ids(table: pa.Table, dataset: str, seen: dict[str, list[pa.Array]]):
    """A batch without the rows whose unique id an earlier batch had (`seen`, updated), and those rows per field."""
    left_out = []
    for name in (name for name, column in MODELS[dataset].to_schema().columns.items() if column.unique):
        if name not in table.column_names:
            continue
        ids = table.column(name)
        repeated = pc.is_in(ids, value_set=pa.chunked_array(seen.get(name, []), ids.type).combine_chunks())
        if pc.any(repeated).as_py():
            left_out.append((name, table.filter(repeated)))
            table = table.filter(pc.invert(repeated))
        seen.setdefault(name, []).extend(table.column(name).chunks)
    return table, left_out


def combine(parts: list[Prepared]) -> tuple[pd.DataFrame, list[Problem]]:
    """The accepted rows of several files of one dataset (monthly exports) as one table; an id that
    must be unique and is repeated in a later file is left out and reported."""
    frames = [part.accepted.assign(**{SOURCE_FILE: part.name}) for part in parts if part.usable]
    if not frames:
        return pd.DataFrame(), []
    accepted = pd.concat(frames, ignore_index=True)
    schema = MODELS[parts[0].dataset].to_schema()
    problems = []
    for name in (name for name, column in schema.columns.items() if column.unique):
        repeated = accepted[name].duplicated(keep="first")
        left_out = accepted[repeated]
        problems += [Problem(row, name, "check.unique", str(value), file) for row, value, file in
                     zip(left_out[SOURCE_ROW].tolist(), left_out[name].tolist(), left_out[SOURCE_FILE].tolist())]
        accepted = accepted[~repeated]
    return accepted.drop(columns=SOURCE_FILE).reset_index(drop=True), problems
