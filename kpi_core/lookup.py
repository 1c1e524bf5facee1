"""Lookup files: tables that describe entities (a sales team, an account, a product) joined onto a data file by a
key column, so their columns (office, sector, series…) can be mapped as the data's dimensions."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from kpi_core import queries
from kpi_core.formatting import format_value
from kpi_core.i18n import t
from kpi_core.mapping import LookupJoin, normalize
from kpi_core.raw import RawTable, as_text
from kpi_core.session import scratch_query

MIN_OVERLAP = 0.5  # share of a data column's distinct values found among a lookup's keys for the two to join


@dataclass(frozen=True)
class Coverage:
    """How many of a data file's rows found an entity: `found` of `rows` (rows with an empty key count as not)."""

    lookup: str
    on: str
    rows: int
    found: int
    added: tuple[str, ...]  # the lookup's columns the data file gained


def recognise(data: RawTable, lookup: RawTable) -> LookupJoin | None:
    """The lookup's key (a column with no repeated value) and the data column holding those keys: the one whose
    distinct values are most often found among them (at least half), a column of the same name first."""
    best, best_score = None, (False, MIN_OVERLAP)
    for key in lookup.frame.columns:
        keys = as_text(lookup.frame[key]).dropna()
        if keys.empty or keys.duplicated().any():
            continue
        known = set(keys)
        for on in data.frame.columns:
            values = as_text(data.frame[on]).dropna().unique()
            if not len(values):
                continue
            overlap = sum(value in known for value in values) / len(values)
            score = (normalize(on) == normalize(key), overlap)
            if overlap >= MIN_OVERLAP and score > best_score:
                best, best_score = LookupJoin(tuple(str(c) for c in lookup.frame.columns), str(key), str(on)), score
    return best


def join(data: RawTable, lookup: RawTable, chosen: LookupJoin) -> tuple[RawTable, Coverage]:
    """`data` with the lookup's other columns (those it does not already have), joined in DuckDB on the key; the
    first line of a repeated key is used. Row order and row numbers are kept."""
    added = [column for column in lookup.frame.columns if column != chosen.key and column not in data.frame.columns]
    # Positional names only reach the SQL: the files' own column names never do.
    left = pd.DataFrame({"join_key": as_text(data.frame[chosen.on]).to_numpy(), "position": range(len(data.frame))})
    right = pd.DataFrame({"join_key": as_text(lookup.frame[chosen.key]).to_numpy(),
                          "position": range(len(lookup.frame)),
                          **{f"c{n}": lookup.frame[column].astype("string").to_numpy()
                             for n, column in enumerate(added)}})
    joined = scratch_query(queries.LOOKUP_JOIN, {"data_keys": left, "lookup_rows": right})
    frame = data.frame.copy()
    for n, column in enumerate(added):
        frame[column] = pd.Series(joined[f"c{n}"].to_numpy(), index=frame.index, dtype="string")
    coverage = Coverage(lookup.name, chosen.on, len(frame), int(joined["found"].sum()), tuple(added))
    return replace(data, frame=frame, readings={}, joined=data.joined + tuple(added)), coverage


def enrich(data: RawTable, lookups: list[RawTable],
           saved: list[LookupJoin]) -> tuple[RawTable, list[LookupJoin], list[Coverage]]:
    """`data` joined with every lookup that fits it: as a saved join says (same lookup header, its column present),
    else as recognised from the values. Returns the table, the joins used and their coverage."""
    used, coverages = [], []
    for lookup in lookups:
        header = tuple(str(column) for column in lookup.frame.columns)
        chosen = next((j for j in saved if j.header == header and j.on in data.frame.columns
                       and j.key in lookup.frame.columns), None) or recognise(data, lookup)
        if chosen is None:
            continue
        data, coverage = join(data, lookup, chosen)
        used.append(chosen)
        coverages.append(coverage)
    return data, used, coverages


def add(total: Coverage | None, more: Coverage) -> Coverage:
    """Two batches' coverage of one join as one."""
    if total is None:
        return more
    return replace(total, rows=total.rows + more.rows, found=total.found + more.found)


def sentence(coverage: Coverage, lang: str) -> str:
    """What a join found: `accounts.csv joined on “account” (sector, …): 8 300 of 8 800 row(s) found, 500 without a
    match.`"""
    def count(number: int) -> str:
        return format_value(number, "count", lang)

    return t("lookup.coverage", lang, lookup=coverage.lookup, on=coverage.on, columns=", ".join(coverage.added),
             found=count(coverage.found), rows=count(coverage.rows), missing=count(coverage.rows - coverage.found))
