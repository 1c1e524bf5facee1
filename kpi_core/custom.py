"""The user's own KPIs ("chiffre magique"): a dataset, an aggregation, optional filters and an optional
denominator KPI — validated against the schemas, compiled to catalog KPIs whose SQL binds every value.

A definition is plain data (saved in the mapping JSON); nothing the user types reaches SQL as text: field names
are checked against the schemas and quoted, operators and aggregations come from fixed templates, values are
bound parameters.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import asdict, dataclass, field

from kpi_core import catalog, queries
from kpi_core.catalog import Aggregate, Kpi, Ratio, Structured
from kpi_core.formatting import Unit
from kpi_core.schemas import ACTIVITY_TYPES, DATASETS, STATUSES, fields
from kpi_core.session import Session, quote

# The dated source each dataset's rows are counted in (deals by creation date, like the funnel).
SOURCES = {"orders": "orders", "deals": "deals_created", "activities": "activities", "leads": "leads",
           "spend": "spend", "targets": "targets"}
# Which field kinds each aggregation and each filter operator accepts (their SQL is in queries.py).
AGGREGATIONS = {"count": (), "count_distinct": ("id", "dimension", "category", "stage", "text"),
                "sum": ("number",), "avg": ("number",)}
_TEXT = ("dimension", "category", "stage", "id", "text")
OPERATORS = {"in": _TEXT, "not_in": _TEXT, "is_true": ("bool",), "is_false": ("bool",), "at_least": ("number",),
             "at_most": ("number",)}
UNITS = (Unit.COUNT, Unit.CURRENCY, Unit.PERCENT, Unit.RATIO)
MAX_VALUES = 200


@dataclass(frozen=True)
class Condition:
    """`field operator values`: `status in [won]`, `amount at_least [1000]`, `is_mql is_true []`."""

    field: str
    operator: str
    values: tuple = ()


@dataclass(frozen=True)
class CustomKpi:
    name: str
    dataset: str
    aggregation: str
    field: str | None = None
    conditions: tuple[Condition, ...] = ()
    denominator: str | None = None  # a catalog KPI id
    unit: str = Unit.COUNT
    higher_is_better: bool = True
    description: str = ""

    @property
    def id(self) -> str:
        slug = unicodedata.normalize("NFKD", self.name).encode("ascii", "ignore").decode().lower()
        return "custom_" + (re.sub(r"[^a-z0-9]+", "_", slug).strip("_")[:40] or "kpi")

    def problems(self, taken=frozenset()) -> list[tuple[str, dict]]:
        """What makes the definition unusable, as (message key, parameters); empty when it is sound. Its id
        may be neither a catalog KPI's nor one of `taken` (the user's other KPIs)."""
        found = []
        if not self.name.strip():
            found.append(("custom.error.name", {}))
        elif self.id in catalog.KPIS or self.id in taken:
            found.append(("custom.error.taken", {}))
        if self.dataset not in DATASETS:
            return found + [("custom.error.dataset", {"value": self.dataset})]
        kinds = {spec.name: spec.kind for spec in fields(self.dataset)}
        if self.aggregation not in AGGREGATIONS:
            found.append(("custom.error.aggregation", {"value": self.aggregation}))
        elif AGGREGATIONS[self.aggregation] and kinds.get(self.field) not in AGGREGATIONS[self.aggregation]:
            found.append(("custom.error.field", {"value": self.field or ""}))
        for condition in self.conditions:
            if kinds.get(condition.field) not in OPERATORS.get(condition.operator, ()):
                found.append(("custom.error.condition", {"value": f"{condition.field} {condition.operator}"}))
            elif _needs_values(condition) and not condition.values:
                found.append(("custom.error.values", {"value": condition.field}))
            elif condition.operator in ("at_least", "at_most") and not _is_number(condition.values[0]):
                found.append(("custom.error.number", {"value": str(condition.values[0])}))
            elif len(condition.values) > MAX_VALUES:  # refused, never cut: a cut list is a wrong figure
                found.append(("custom.error.too_many_values", {"value": condition.field, "count": len(condition.values),
                                                               "limit": MAX_VALUES}))
        if self.denominator is not None:
            known = catalog.KPIS.get(self.denominator)
            if known is None or isinstance(known, Structured):
                found.append(("custom.error.denominator", {"value": self.denominator}))
        if self.unit not in UNITS:
            found.append(("custom.error.unit", {"value": self.unit}))
        return found

    def compile(self) -> tuple[Kpi, ...]:
        """Catalog KPIs: the aggregate, and the ratio to the denominator when there is one (the last one is this
        KPI). Raises ValueError on an unsound definition."""
        problems = self.problems()
        if problems:
            raise ValueError(f"unusable custom KPI {self.name!r}: {problems}")
        params, where = [], ["TRUE"]
        for number, condition in enumerate(self.conditions):
            name = f"{self.id}_{number}"
            where.append(queries.CUSTOM_CONDITIONS[condition.operator].format(column=f"f.{quote(condition.field)}",
                                                                             param=name))
            if _needs_values(condition):
                values = list(condition.values)
                params.append((name, float(values[0]) if condition.operator in ("at_least", "at_most")
                               else tuple(str(v) for v in values)))
        column = f"f.{quote(self.field)}" if self.field else ""
        expression = queries.CUSTOM_AGGREGATIONS[self.aggregation].format(column=column, where=" AND ".join(where))
        label = {"fr": self.name, "en": self.name}
        definition = {lang: self.description or self.name for lang in ("fr", "en")}
        aggregate = Aggregate(
            id=self.id if self.denominator is None else f"{self.id}_numerator", label=label, definition=definition,
            unit=Unit(self.unit) if self.denominator is None else Unit.COUNT, datasets=(self.dataset,),
            higher_is_better=self.higher_is_better, source=SOURCES[self.dataset], expression=expression,
            empty_value=None if self.aggregation == "avg" else 0, params=tuple(params),
            decimals=0 if self.unit == Unit.CURRENCY else None, user_defined=True)
        if self.denominator is None:
            return (aggregate,)
        denominator = catalog.get(self.denominator)
        ratio = Ratio(id=self.id, label=label, definition=definition, unit=Unit(self.unit),
                      datasets=tuple(dict.fromkeys((self.dataset, *denominator.datasets))),
                      higher_is_better=self.higher_is_better, numerator=aggregate.id, denominator=self.denominator,
                      decimals=0 if self.unit == Unit.CURRENCY else None, user_defined=True)
        return aggregate, ratio

    def to_dict(self) -> dict:
        item = asdict(self)
        item["conditions"] = [asdict(c) | {"values": list(c.values)} for c in self.conditions]
        return item

    @classmethod
    def from_dict(cls, item: dict) -> CustomKpi:
        conditions = tuple(Condition(str(c.get("field")), str(c.get("operator")), tuple(c.get("values") or ()))
                           for c in item.get("conditions") or ())
        return cls(name=str(item.get("name", "")), dataset=str(item.get("dataset", "")),
                   aggregation=str(item.get("aggregation", "")), field=item.get("field") or None,
                   conditions=conditions, denominator=item.get("denominator") or None,
                   unit=str(item.get("unit", Unit.COUNT)), higher_is_better=bool(item.get("higher_is_better", True)),
                   description=str(item.get("description", "")))


def aggregated_fields(session: Session, dataset: str, aggregation: str) -> list[str]:
    """The columns of the user's data an aggregation can apply to (none for a row count)."""
    kinds = AGGREGATIONS.get(aggregation, ())
    return [s.name for s in fields(dataset) if s.kind in kinds and s.name in session.provided.get(dataset, ())]


def filtered_fields(session: Session, dataset: str) -> list[str]:
    """The columns of the user's data a filter can apply to."""
    kinds = {kind for allowed in OPERATORS.values() for kind in allowed}
    return [s.name for s in fields(dataset) if s.kind in kinds and s.name in session.provided.get(dataset, ())]


def operators(dataset: str, name: str) -> list[str]:
    kind = {s.name: s.kind for s in fields(dataset)}.get(name)
    return [operator for operator, kinds in OPERATORS.items() if kind in kinds]


def value_choices(session: Session, dataset: str, name: str) -> list[str]:
    """What a `one of` filter offers: the canonical values of a category, the pipeline's stages, else the
    values found in the data."""
    if name == "status":
        return list(STATUSES)
    if name == "activity_type":
        return list(ACTIVITY_TYPES)
    if name == "stage":
        return list(session.stages)
    return session.field_values(dataset, name)


def _needs_values(condition: Condition) -> bool:
    return condition.operator not in ("is_true", "is_false")


def _is_number(value) -> bool:
    """A finite number, or a text reading as one (`inf`, `nan` and booleans are not amounts)."""
    if isinstance(value, bool):
        return False
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


@dataclass(frozen=True)
class Compiled:
    """The user's definitions that are sound, compiled (the shown KPI last of each), and the others."""

    kpis: tuple[Kpi, ...] = ()
    usable: tuple[CustomKpi, ...] = ()
    unusable: tuple[CustomKpi, ...] = field(default_factory=tuple)


def compile_all(definitions: list[dict]) -> Compiled:
    """Every saved definition, the first of two with the same id winning; the unsound ones set aside. Linear in
    the number of definitions: each is checked against the KPIs known so far, by id."""
    kpis, usable, unusable = [], [], []
    known, taken = dict(catalog.KPIS), set()
    for item in definitions:
        custom = CustomKpi.from_dict(item)
        if custom.problems(taken=taken):
            unusable.append(custom)
            continue
        compiled = custom.compile()
        if catalog.check(compiled, known):  # the catalog's own rules hold for them too
            unusable.append(custom)
            continue
        kpis += compiled
        known.update((kpi.id, kpi) for kpi in compiled)
        usable.append(custom)
        taken.add(custom.id)
    return Compiled(tuple(kpis), tuple(usable), tuple(unusable))
