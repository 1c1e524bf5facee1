"""From a raw table and a mapping to a validated canonical dataset: nothing silently dropped."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa

from kpi_core.mapping import DatasetMapping, Mapping, canonical_value, stage_position
from kpi_core.parsing import parse_booleans, parse_dates, parse_numbers
from kpi_core.reader import RawTable, UnreadableFile
from kpi_core.schemas import MODELS, fields

SOURCE_ROW = "source_row"


@dataclass(frozen=True)
class Problem:
    """One cell that failed one check: `check` is an i18n key, `row` the file's own row number."""

    row: int
    column: str
    check: str
    value: str


@dataclass
class Prepared:
    """A dataset ready to load, with the rows that were not and why."""

    dataset: str
    accepted: pd.DataFrame
    rejected: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)
    rows_read: int = 0

    @property
    def usable(self) -> bool:
        return not self.missing_columns and len(self.accepted) > 0


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


def _text(cells: pd.Series) -> pd.Series:
    text = cells.astype("string").str.strip()
    text = text.str.replace(r"\.0$", "", regex=True) if pd.api.types.is_float_dtype(cells) else text
    return text.mask(text == "")


def _typed_columns(raw: pd.DataFrame, mapping: DatasetMapping, stages: tuple[str, ...]):
    """Canonical columns parsed from the mapped source columns, and the cells that did not parse."""
    columns: dict[str, pd.Series] = {}
    unreadable: list[tuple[str, str, pd.Series]] = []
    for spec in fields(mapping.dataset):
        source = mapping.columns.get(spec.name)
        if spec.name == "amount" and mapping.amount_product:
            quantity, unit_price = (parse_numbers(raw[column]) for column in mapping.amount_product)
            columns[spec.name] = quantity[0] * unit_price[0]
            unreadable.append((spec.name, "check.number", quantity[1] | unit_price[1]))
            continue
        if source is None or source not in raw.columns:
            continue
        cells = raw[source]
        if spec.kind == "number":
            columns[spec.name], bad = parse_numbers(cells)
            unreadable.append((spec.name, "check.number", bad))
        elif spec.kind in ("date", "datetime"):
            columns[spec.name], bad = parse_dates(cells, day_first=mapping.day_first, keep_time=spec.kind == "datetime")
            unreadable.append((spec.name, "check.date", bad))
        elif spec.kind == "bool":
            columns[spec.name], bad = parse_booleans(cells)
            unreadable.append((spec.name, "check.bool", bad))
        else:
            columns[spec.name] = _text(cells)
    _map_categories(columns, raw, mapping, stages, unreadable)
    return columns, unreadable


def _map_categories(columns, raw, mapping, stages, unreadable) -> None:
    """Source values → canonical ones; one stage column may give both the stage and the status."""
    for name in ("status", "activity_type"):
        if name in columns:
            user_values = mapping.values.get(name, {})
            text = columns[name]
            mapped = text.map(lambda value, known=user_values, field_name=name: None if pd.isna(value)
                              else known.get(value) or canonical_value(value, field_name))
            if name == "activity_type":
                mapped = mapped.where(text.isna(), mapped.fillna("other"))  # unknown types count as other
            unreadable.append((name, "check.unknown_value", _flag(mapped.isna() & text.notna())))
            columns[name] = mapped.astype("string")
    if "stage" in columns:
        text = columns["stage"]
        user_stages = mapping.values.get("stage", {})
        positions = text.map(lambda value: None if pd.isna(value) else _stage_of(value, user_stages, stages))
        implied = text.map(lambda value: None if pd.isna(value) else canonical_value(value, "status"))
        if "status" not in columns and implied.notna().any():
            # A Won/Lost value in the stage column: the status comes from it.
            columns["status"] = implied.where(implied.notna(), "open").where(text.notna()).astype("string")
        # A deal lost with no stage recorded reached at least the first stage.
        positions = positions.where(~_flag(positions.isna() & implied.eq("lost")), 1)
        unreadable.append(("stage", "check.unknown_value", _flag(positions.isna() & text.notna())))
        columns["stage"] = positions.map(lambda p: None if pd.isna(p) else stages[int(p) - 1]).astype("string")


def _stage_of(value, user_stages: dict[str, str], stages: tuple[str, ...]) -> int | None:
    if value in user_stages:
        return stage_position(user_stages[value], stages)
    return stage_position(value, stages)


def prepare(raw: RawTable, mapping: DatasetMapping, stages: tuple[str, ...]) -> Prepared:
    """Map, parse and validate (lazily: every problem at once) one source table."""
    model = MODELS[mapping.dataset]
    required = [spec.name for spec in fields(mapping.dataset) if spec.required]
    columns, unreadable = _typed_columns(raw.frame, mapping, stages)
    missing = [name for name in required if name not in columns]
    if missing:
        return Prepared(mapping.dataset, pd.DataFrame(), raw.frame.assign(reason=""), [], missing, len(raw.frame))
    frame = pd.DataFrame(columns, index=raw.frame.index)
    rows = raw.row_numbers
    problems = [
        Problem(int(rows[index]), name, check, str(raw.frame.at[index, mapping.columns.get(name, name)])
                if mapping.columns.get(name) in raw.frame.columns else "")
        for name, check, bad in unreadable
        for index in bad[bad].index
    ]
    try:
        validated = model.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        cases = cases[cases["index"].notna()]
        already = {(problem.row, problem.column) for problem in problems}
        for case in cases.itertuples():
            row = int(rows[case.index])
            if (row, case.column) not in already:  # an unreadable cell is also null: say it once
                value = "" if pd.isna(case.failure_case) else str(case.failure_case)
                problems.append(Problem(row, str(case.column), _pandera_check(case.check), value))
        validated = None
    rejected_rows = {problem.row for problem in problems}
    keep = ~rows.isin(rejected_rows)
    # Rows without problems pass the schema on their own; validating them again coerces their types.
    accepted = validated[keep] if validated is not None else model.validate(frame[keep], lazy=True)
    accepted = accepted.assign(**{SOURCE_ROW: rows[keep]})
    reasons = pd.DataFrame([(p.row, f"{p.column}: {p.check} ({p.value})") for p in problems], columns=["row", "reason"])
    reasons = reasons.groupby("row")["reason"].agg("; ".join)
    rejected = raw.frame[~keep].assign(**{SOURCE_ROW: rows[~keep]})
    rejected = rejected.assign(reason=rejected[SOURCE_ROW].map(reasons))
    return Prepared(mapping.dataset, accepted.reset_index(drop=True), rejected.reset_index(drop=True),
                    sorted(problems, key=lambda p: (p.column, p.check, p.row)), [], len(raw.frame))


def problem_summary(problems: list[Problem], *, examples: int = 5) -> pd.DataFrame:
    """Problems grouped by column and check, with counts, example rows and example values."""
    if not problems:
        return pd.DataFrame(columns=["column", "check", "count", "rows", "values"])
    frame = pd.DataFrame([vars(problem) for problem in problems])
    return (
        frame.groupby(["column", "check"], sort=True)
        .agg(count=("row", "size"),
             rows=("row", lambda rows: list(rows)[:examples]),
             values=("value", lambda values: list(dict.fromkeys(values))[:examples]))
        .reset_index()
    )


def prepare_file(raw: RawTable, mapping: Mapping, dataset: str | None = None) -> Prepared:
    """Prepare a file with its saved mapping when the header matches, else with suggested columns."""
    header = [str(column) for column in raw.frame.columns]
    saved = [m for m in mapping.datasets.values()
             if (dataset is None or m.dataset == dataset) and (not m.header or list(m.header) == header)]
    chosen = saved[0] if saved else DatasetMapping.suggest(header, dataset)
    if chosen is None:
        raise UnreadableFile("file.unknown_dataset")
    return prepare(raw, chosen, mapping.stages)
