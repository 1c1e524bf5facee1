"""The categorical fields a user maps value by value (stages, statuses, activity types, yes/no), with the meaning
recognised for each frequent source value."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kpi_core.ingest import CATEGORIES
from kpi_core.mapping import DatasetMapping, suggest_values
from kpi_core.parsing import parse_booleans
from kpi_core.raw import RawTable, as_text
from kpi_core.schemas import fields

VALUE_CHOICES_LIMIT = 40


@dataclass(frozen=True)
class ValueChoice:
    """One categorical field to map value by value: its source column, the canonical options, and for
    each frequent source value the meaning currently chosen (the user's, else the recognised one)."""

    field: str
    source: str
    options: tuple[str, ...]
    values: dict[str, str | None]
    more: int  # distinct values beyond the ones listed (left to automatic recognition)


def value_choices(raw: RawTable, mapping: DatasetMapping, stages: tuple[str, ...]) -> list[ValueChoice]:
    """Stages, statuses (from their own column or the stage column), activity types and yes/no fields."""
    wanted = []
    for spec in fields(mapping.dataset):
        source = mapping.columns.get(spec.name)
        if spec.name == "status" and source is None:
            source = mapping.columns.get("stage")  # `Closed Won` in the stage column gives the status
        if source in raw.frame.columns and (spec.kind in ("stage", "bool") or spec.name in CATEGORIES):
            wanted.append((spec.name, spec.kind, source))
    choices = []
    for name, kind, source in wanted:
        counts = as_text(raw.frame[source]).value_counts()
        sources = [str(value) for value in counts.index[:VALUE_CHOICES_LIMIT]]
        if kind == "bool":
            options = ("true", "false")
            parsed = parse_booleans(pd.Series(sources, dtype=object)).values
            suggested = {s: None if pd.isna(v) else str(bool(v)).lower() for s, v in zip(sources, parsed)}
        else:
            options = stages if kind == "stage" else CATEGORIES[name]
            suggested = suggest_values(name, sources, stages)
        if name == "status" and mapping.columns.get("status") is None:
            suggested = {s: v or "open" for s, v in suggested.items()}
        known = mapping.values.get(name, {})
        chosen = {s: known[s] if known.get(s) in options else suggested[s] for s in sources}
        choices.append(ValueChoice(name, source, tuple(options), chosen, max(len(counts) - len(sources), 0)))
    return choices
