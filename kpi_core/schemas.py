"""Canonical datasets (SPEC §2): one pandera model each, plus the field metadata every other module reads."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

# Dates outside this range are typing mistakes (a year 0025, 1900 from an empty Excel cell).
EARLIEST_DATE = pd.Timestamp("1990-01-01")
LATEST_DATE = pd.Timestamp("2099-12-31")

STATUSES = ("open", "won", "lost")
ACTIVITY_TYPES = ("call", "email", "meeting", "other")
DIMENSIONS = ("region", "segment", "rep", "product", "channel", "source")

_DATE = {"ge": EARLIEST_DATE, "le": LATEST_DATE}
# How far after today a date may lie (days): an event (an order, a created deal, an activity, a closed deal) is
# at most tomorrow (exports cross midnight and time zones); a planned date (an open deal's expected close, a
# target month) within three years. Beyond, `31/12/2099`-style placeholders: the row is set aside with a reason.
HORIZON_DAYS = {"event": int(os.environ.get("BOUSSOLE_EVENT_HORIZON_DAYS", 1)),
                "planned": int(os.environ.get("BOUSSOLE_PLANNED_HORIZON_DAYS", 3 * 366))}
PLANNED_DATES = {("deals", "closed_date"), ("targets", "period")}  # for deals, only while the deal is open

# No line of a small or mid-sized company's export is worth a thousand billion euros: beyond that a cell is a
# typing or export mistake (`1e308`), and a sum of such lines could overflow to infinity.
MAX_AMOUNT = 1e12


def _field(kind: str, *, required: bool = False, blank: bool = False, **checks) -> pa.Field:
    """A pandera field whose metadata says what kind of value it holds (drives parsing and SQL). A required field
    is a column the file must have; `blank` lets its cells be empty (the rows are kept unless the user says not)."""
    return pa.Field(nullable=not required or blank, metadata={"kind": kind, "required": required, "blank": blank},
                    **checks)


class _Canonical(pa.DataFrameModel):
    class Config:
        coerce = True
        strict = "filter"


class Orders(_Canonical):
    order_id: Series[str] = _field("id", required=True)
    # Guest checkouts have no customer: they count in revenue and sales, not in customer KPIs.
    customer_id: Series[str] = _field("id", required=True, blank=True)
    order_date: Series[pd.Timestamp] = _field("date", required=True, **_DATE)
    amount: Series[float] = _field("number", required=True, ge=-MAX_AMOUNT, le=MAX_AMOUNT)
    region: Series[str] | None = _field("dimension")
    segment: Series[str] | None = _field("dimension")
    rep: Series[str] | None = _field("dimension")
    product: Series[str] | None = _field("dimension")
    channel: Series[str] | None = _field("dimension")
    is_recurring: Series[bool] | None = _field("bool")  # a subscription line (for ARR)


class Deals(_Canonical):
    deal_id: Series[str] = _field("id", required=True, unique=True)
    created_date: Series[pd.Timestamp] = _field("date", required=True, **_DATE)
    stage: Series[str] = _field("stage", required=True)
    status: Series[str] | None = _field("category", isin=list(STATUSES))
    amount: Series[float] | None = _field("number", ge=0, le=MAX_AMOUNT)
    closed_date: Series[pd.Timestamp] | None = _field("date", **_DATE)
    rep: Series[str] | None = _field("dimension")
    region: Series[str] | None = _field("dimension")
    segment: Series[str] | None = _field("dimension")
    source: Series[str] | None = _field("dimension")
    lost_reason: Series[str] | None = _field("text")
    # Filled from one entry-date column per stage (never mapped to a column): a list of dates, one per stage.
    stage_entries: Series[object] | None = _field("date_list")


class Activities(_Canonical):
    activity_date: Series[pd.Timestamp] = _field("date", required=True, **_DATE)
    rep: Series[str] = _field("dimension", required=True)
    activity_type: Series[str] = _field("category", required=True, isin=list(ACTIVITY_TYPES))
    meeting_set: Series[bool] | None = _field("bool")
    lead_id: Series[str] | None = _field("id")
    deal_id: Series[str] | None = _field("id")


class Leads(_Canonical):
    lead_id: Series[str] = _field("id", required=True, unique=True)
    created_at: Series[pd.Timestamp] = _field("datetime", required=True, **_DATE)
    first_response_at: Series[pd.Timestamp] | None = _field("datetime", **_DATE)
    source: Series[str] | None = _field("dimension")
    is_mql: Series[bool] | None = _field("bool")
    is_qualified: Series[bool] | None = _field("bool")
    converted: Series[bool] | None = _field("bool")
    rep: Series[str] | None = _field("dimension")
    region: Series[str] | None = _field("dimension")
    segment: Series[str] | None = _field("dimension")


class Spend(_Canonical):
    month: Series[pd.Timestamp] = _field("date", required=True, **_DATE)
    amount: Series[float] = _field("number", required=True, ge=0, le=MAX_AMOUNT)
    category: Series[str] | None = _field("dimension")


class Targets(_Canonical):
    period: Series[pd.Timestamp] = _field("date", required=True, **_DATE)
    target: Series[float] = _field("number", required=True, ge=0, le=MAX_AMOUNT)
    rep: Series[str] | None = _field("dimension")
    region: Series[str] | None = _field("dimension")
    kpi: Series[str] | None = _field("category")


MODELS: dict[str, type[_Canonical]] = {
    "orders": Orders,
    "deals": Deals,
    "activities": Activities,
    "leads": Leads,
    "spend": Spend,
    "targets": Targets,
}
DATASETS = tuple(MODELS)


@dataclass(frozen=True)
class FieldSpec:
    """What the mapping, parsing and SQL layers need to know about one canonical field."""

    name: str
    kind: str
    required: bool
    blank: bool = False  # a required column whose empty cells are allowed


def fields(dataset: str) -> tuple[FieldSpec, ...]:
    """The canonical fields of a dataset, in contract order."""
    schema = MODELS[dataset].to_schema()
    return tuple(
        FieldSpec(name, column.metadata["kind"], column.metadata["required"], column.metadata["blank"])
        for name, column in schema.columns.items()
    )


def dimensions(dataset: str) -> tuple[str, ...]:
    """Fields of a dataset one can break a KPI down by."""
    return tuple(spec.name for spec in fields(dataset) if spec.name in DIMENSIONS)
