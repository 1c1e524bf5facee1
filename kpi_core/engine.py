"""Compiles catalog KPIs into one parameterised statement over a list of windows, and runs it."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from kpi_core import catalog, queries
from kpi_core.catalog import MATURITY, Aggregate, Conversion, Difference, Product, Ratio, WorkingDays
from kpi_core.periods import PERIODS_PER_YEAR, Window
from kpi_core.schemas import DIMENSIONS
from kpi_core.session import Session, quote

Filters = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class Grouping:
    """Group A (some values of a dimension) against group B (chosen values, or None for all the others)."""

    dimension: str
    a: tuple[str, ...]
    b: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Relabel:
    """The values of a dimension renamed before grouping (postcodes → their department); values without a new
    name are left out."""

    dimension: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]


@dataclass(frozen=True)
class Scope:
    """How the active filters reach some datasets (a KPI's, a page's): `mixed` — (dimension, a dataset without it)
    for a filter some of them can apply and others cannot, so a KPI would mix a filtered and an unfiltered input;
    `ignored` — filters none of them can apply (their rows are all taken)."""

    mixed: tuple[tuple[str, str], ...] = ()
    ignored: tuple[str, ...] = ()


def scope(session: Session, datasets: Sequence[str], filters: Filters) -> Scope:
    datasets = [dataset for dataset in datasets if session.has(dataset)]
    mixed, ignored = [], []
    for dimension, values in sorted(filters.items()):
        if not values or not datasets:
            continue
        lacking = [dataset for dataset in datasets if dimension not in session.dimensions(dataset)]
        if len(lacking) == len(datasets):
            ignored.append(dimension)
        elif lacking:
            mixed.append((dimension, lacking[0]))
    return Scope(tuple(mixed), tuple(ignored))


def window_params(windows: Sequence[Window]) -> dict:
    return {
        "starts": [w.start for w in windows], "stops": [w.stop for w in windows],
        "base_starts": [w.base_start for w in windows], "base_stops": [w.base_stop for w in windows],
        "base_cuts": [w.base_cut for w in windows],
        "previous_starts": [w.previous_start for w in windows], "previous_stops": [w.previous_stop for w in windows],
        "working_days": [w.working_days for w in windows],
        "working_days_elapsed": [w.working_days_elapsed for w in windows],
        "target_months": [list(w.target_months) for w in windows],
        "target_shares": [list(w.target_shares) for w in windows],
    }


def source_sql(session: Session, source: queries.Source, filters: Filters,
               by: str | Grouping | Relabel | None) -> tuple[str, dict]:
    """A source's SQL with the user's filters (values bound) and breakdown column filled in: a dimension's
    values, `A` / `B` for a grouping, or the new names of a relabelling.

    A filter on a dimension the dataset does not have leaves that dataset whole.
    """
    available = session.dimensions(source.dataset)
    conditions, params = ["TRUE"], {}
    for dimension, values in sorted(filters.items()):
        if dimension not in DIMENSIONS:
            raise ValueError(f"not a dimension: {dimension!r}")
        if values and dimension in available:
            conditions.append(f"list_contains($filter_{dimension}, f.{quote(dimension)})")
            params[f"filter_{dimension}"] = list(values)
    name = by if by is None or isinstance(by, str) else by.dimension
    if name is not None and name not in DIMENSIONS:
        raise ValueError(f"not a dimension: {name!r}")
    if name not in available:
        dimension = "CAST(NULL AS VARCHAR)"
    elif isinstance(by, Grouping):
        params |= {"group_a": list(by.a), "group_b": list(by.b or ()), "group_b_rest": by.b is None}
        dimension = queries.GROUP.format(column=f"f.{quote(name)}")
    elif isinstance(by, Relabel):
        params |= {"relabel_from": list(by.sources), "relabel_to": list(by.targets)}
        dimension = queries.RELABEL.format(column=f"f.{quote(name)}")
    else:
        dimension = f"f.{quote(name)}"
    return source.sql.format(dimension=dimension, filters=" AND ".join(conditions)), params


def _expression(kpi_id: str, columns: dict[str, str], extra: catalog.Extra) -> str:
    kpi = catalog.get(kpi_id, extra)
    if isinstance(kpi, Ratio):
        ratio = queries.RATIO.format(numerator=_expression(kpi.numerator, columns, extra),
                                     denominator=_expression(kpi.denominator, columns, extra))
        if kpi.pending is None:
            return ratio
        return queries.PENDING.format(ratio=ratio, pending=_expression(kpi.pending, columns, extra),
                                      denominator=_expression(kpi.denominator, columns, extra))
    if isinstance(kpi, Difference):
        return queries.DIFFERENCE.format(minuend=_expression(kpi.minuend, columns, extra),
                                         subtrahend=_expression(kpi.subtrahend, columns, extra))
    if isinstance(kpi, Product):
        first, *rest = (_expression(factor, columns, extra) for factor in kpi.factors)
        return queries.PRODUCT.format(first=first, rest=" * ".join(rest))
    if isinstance(kpi, WorkingDays):
        return queries.WORKING_DAYS[kpi.span]
    return columns[kpi_id]


def _aggregates(kpi: Aggregate | Conversion) -> dict[str, str]:
    """The columns a fact KPI adds to its source's CTE: its value (named after it) and, for a conversion, what
    says how far it can be read (`<id>__decided`, `__maturity`, `__blocking`, `__open_share`)."""
    if isinstance(kpi, Conversion):
        return {kpi.id if not suffix else f"{kpi.id}__{suffix}": sql for suffix, sql in queries.CONVERSION.items()}
    return {kpi.id: kpi.expression}


def session_params(session: Session, statement: str, windows: Sequence[Window]) -> dict:
    """The session-wide values a statement names (`$stage_count`, the maturity thresholds…): DuckDB refuses a
    parameter the statement does not use."""
    values = {"stage_count": len(session.stages), "periods_per_year": PERIODS_PER_YEAR[windows[0].period.granularity],
              **MATURITY.params()}
    named = set(re.findall(r"\$([a-z_]+)", statement))
    return {name: value for name, value in values.items() if name in named}


def compute(session: Session, kpi_ids: Sequence[str], windows: Sequence[Window], *,
            filters: Filters | None = None, by: str | Grouping | Relabel | None = None,
            extra: catalog.Extra = None) -> pd.DataFrame:
    """One row per window (and per value of `by`), one column per requested KPI and its inputs; `extra` holds
    the user's own KPIs.

    A KPI whose dataset is not loaded is absent from the result.
    """
    filters = filters or {}
    wanted = [kpi_id for top in kpi_ids for kpi_id in catalog.dependencies(top, extra)]
    wanted = [k for k in dict.fromkeys(wanted) if all(session.has(d) for d in catalog.get(k, extra).datasets)]
    aggregates = [catalog.get(k, extra) for k in wanted if isinstance(catalog.get(k, extra), Aggregate | Conversion)]
    by_source: dict[str, list[Aggregate | Conversion]] = {}
    for kpi in aggregates:
        by_source.setdefault(kpi.source, []).append(kpi)
    params = window_params(windows)
    ctes, joins, columns = [queries.WINDOWS], [], {}
    for name, kpis in by_source.items():
        sql, source_params = source_sql(session, queries.SOURCES[name], filters, by)
        params.update(source_params)
        cte = f"src_{name}"
        ctes.append(queries.SOURCE_AGGREGATES.format(cte=cte, source=sql, aggregates=", ".join(
            f"{expression} AS {column}" for kpi in kpis for column, expression in _aggregates(kpi).items())))
        joins.append(queries.JOIN.format(cte=cte))
        for kpi in kpis:
            if isinstance(kpi, Conversion):
                columns |= {column: f"{cte}.{column}" for column in _aggregates(kpi)}
                continue
            params.update({name: list(value) if isinstance(value, tuple) else value for name, value in kpi.params})
            column = f"{cte}.{kpi.id}"
            columns[kpi.id] = column if kpi.empty_value is None else f"COALESCE({column}, {kpi.empty_value})"
    numbers = [k for k in wanted if not isinstance(catalog.get(k, extra), catalog.Structured)]
    if not numbers or (not by_source and by is not None):  # nothing to compute (calendar figures need no facts)
        return pd.DataFrame({"i": range(1, len(windows) + 1), "dim_value": None})
    if by is None:
        ctes.append(queries.KEYS_ALL_WINDOWS)  # every window, with or without facts
    else:
        ctes.append(queries.KEYS_FOUND.format(
            union=" UNION ".join(f"SELECT i, dim_value FROM src_{name}" for name in by_source)))
    # A KPI whose inputs a filter would reach unevenly is not computed (a Paris revenue over a company target).
    select = ", ".join(f"{_expression(k, columns, extra)} AS {k}" if not scope(
        session, catalog.get(k, extra).datasets, filters).mixed else f"CAST(NULL AS DOUBLE) AS {k}" for k in numbers)
    select += "".join(f", {sql} AS {column}" for column, sql in columns.items() if "__" in column)
    statement = queries.KPI_STATEMENT.format(ctes=",\n".join(ctes), columns=select, joins="\n".join(joins))
    return session.query(statement, params | session_params(session, statement, windows))


def funnel(session: Session, windows: Sequence[Window], *, filters: Filters | None = None,
           by: str | Grouping | None = None) -> pd.DataFrame:
    """Per window (and value of `by`), each stage: deals that reached it and are still open there, and the
    transition into it — decided deals, maturity, conversion (NULL when withheld) and the raw cohort reading."""
    sql, params = source_sql(session, queries.SOURCES["stage_transitions"], filters or {}, by)
    statement = queries.FUNNEL.format(windows=queries.WINDOWS, source=sql)
    result = session.query(statement, params | window_params(windows) | session_params(session, statement, windows))
    result["stage"] = result["stage_rank"].map(lambda rank: session.stages[int(rank) - 1])
    return result


def order_totals(session: Session, window: Window, by: str | Grouping | Relabel, *, filters: Filters | None = None):
    """Each sale's total in the window with its group (`A`/`B`, or the value of `by`): the observations behind
    the average basket."""
    sql, params = source_sql(session, queries.SOURCES["orders"], filters or {}, by)
    params |= window_params([window])
    return session.query(queries.ORDER_TOTALS.format(windows=queries.WINDOWS, source=sql), params)
