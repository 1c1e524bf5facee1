"""One answer per question, for every catalog KPI on random data: the row V of a breakdown equals the KPI filtered on
V, and every share stays within [0, 1]."""

from contextlib import contextmanager
from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi_core import catalog
from kpi_core.analysis import Analysis, Selection
from kpi_core.catalog import Conversion, Ratio, Structured
from kpi_core.formatting import Unit
from kpi_core.mapping import DEFAULT_STAGES
from kpi_core.periods import Granularity, parse_period
from kpi_core.session import Session

START = date(2025, 1, 1)
REGIONS, SEGMENTS, PRODUCTS, REPS = ["Paris", "Lyon", "Lille"], ["PME", "ETI"], ["A", "B", "C"], ["Léa", "Tom"]
DAYS = 180

order_lines = st.lists(st.tuples(
    st.integers(0, 40), st.integers(0, 10), st.integers(0, DAYS), st.floats(-300, 3000, allow_nan=False),
    st.sampled_from(REGIONS), st.sampled_from(SEGMENTS), st.sampled_from(PRODUCTS), st.sampled_from(REPS),
    st.booleans()), min_size=1, max_size=80)
deal_rows = st.lists(st.tuples(
    st.integers(0, DAYS), st.integers(1, len(DEFAULT_STAGES)), st.sampled_from(["open", "won", "lost"]),
    st.integers(0, 90), st.sampled_from(REGIONS), st.sampled_from(SEGMENTS), st.sampled_from(REPS),
    st.floats(0, 20000, allow_nan=False)), min_size=1, max_size=80)
lead_rows = st.lists(st.tuples(
    st.integers(0, DAYS), st.one_of(st.none(), st.integers(0, 72)), st.booleans(), st.booleans(), st.booleans(),
    st.sampled_from(REGIONS), st.sampled_from(REPS)), max_size=40)
activity_rows = st.lists(st.tuples(
    st.integers(0, DAYS), st.sampled_from(REPS), st.sampled_from(["call", "email", "meeting", "other"]),
    st.booleans()), max_size=60)
target_rows = st.lists(st.tuples(st.integers(0, 5), st.sampled_from(REPS), st.floats(0, 50000, allow_nan=False)),
                       max_size=12, unique_by=lambda row: row[:2])


def _day(offset: int) -> pd.Timestamp:
    return pd.Timestamp(START + timedelta(days=offset))


def _session(orders, deals, leads, activities, targets) -> Session:
    session = Session()
    frame = pd.DataFrame([(f"O{o}", f"C{c}", _day(d), round(a, 2), r, s, p, rep, rec)
                          for o, c, d, a, r, s, p, rep, rec in orders],
                         columns=["order_id", "customer_id", "order_date", "amount", "region", "segment", "product",
                                  "rep", "is_recurring"])
    # Lines of one order share its customer, region, segment and rep (products differ from line to line).
    shared = ["customer_id", "region", "segment", "rep"]
    frame[shared] = frame.groupby("order_id")[shared].transform("first")
    session.load("orders", frame)
    session.load("deals", pd.DataFrame(
        [(f"D{n}", _day(d), DEFAULT_STAGES[s - 1], status, _day(d + c) if status != "open" else pd.NaT, r, seg, rep,
          amount) for n, (d, s, status, c, r, seg, rep, amount) in enumerate(deals)],
        columns=["deal_id", "created_date", "stage", "status", "closed_date", "region", "segment", "rep", "amount"]))
    if leads:
        session.load("leads", pd.DataFrame(
            [(f"L{n}", _day(d), _day(d) + pd.Timedelta(hours=h) if h is not None else pd.NaT, mql, qualified,
              converted, r, rep) for n, (d, h, mql, qualified, converted, r, rep) in enumerate(leads)],
            columns=["lead_id", "created_at", "first_response_at", "is_mql", "is_qualified", "converted", "region",
                     "rep"]))
    if activities:
        session.load("activities", pd.DataFrame([(_day(d), rep, kind, meeting) for d, rep, kind, meeting in activities],
                                                columns=["activity_date", "rep", "activity_type", "meeting_set"]))
    if targets:
        session.load("targets", pd.DataFrame([(pd.Timestamp(2025, 1 + m, 1), rep, target)
                                              for m, rep, target in targets], columns=["period", "rep", "target"]))
    return session


NUMBERS = [kpi.id for kpi in catalog.CATALOG if not isinstance(kpi, Structured)]
SHARES = [kpi.id for kpi in catalog.CATALOG if kpi.unit is Unit.PERCENT and not isinstance(kpi, Structured)
          and not (isinstance(kpi, Ratio) and kpi.exceeds_one)]


def _same(breakdown, filtered) -> bool:
    if breakdown is None or pd.isna(breakdown):
        return filtered is None
    return filtered is not None and filtered == pytest.approx(breakdown, rel=1e-9, abs=1e-9)


datasets = st.tuples(order_lines, deal_rows, lead_rows, activity_rows, target_rows)
periods = st.sampled_from([("month", "2025-02"), ("month", "2025-06"), ("quarter", "2025-Q2"), ("week", "2025-W20")])
SETTINGS = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}


@contextmanager
def _analysis(data, period):
    """The generated data loaded in a fresh session, seen through the period: (session, analysis, granularity,
    period)."""
    session = _session(*data)
    granularity = Granularity(period[0])
    selected = parse_period(period[1], granularity)
    try:
        yield session, Analysis(session, Selection(granularity, selected)), granularity, selected
    finally:
        session.close()


@settings(max_examples=25, **SETTINGS)
@given(datasets, periods)
def test_a_breakdown_row_equals_the_kpi_filtered_on_its_value(data, period):
    with _analysis(data, period) as (session, analysis, granularity, selected):
        by_dimension: dict[str, list[str]] = {}
        for kpi_id in NUMBERS:
            for dimension in analysis.dimensions(kpi_id):
                by_dimension.setdefault(dimension, []).append(kpi_id)
        assert by_dimension, "the generated data has dimensions to break down by"
        for dimension, kpi_ids in by_dimension.items():
            table = analysis.breakdown(kpi_ids, dimension)
            for row in table.to_dict("records"):
                value = row[dimension]
                if value is None or pd.isna(value):
                    continue
                filtered = Analysis(session, Selection(granularity, selected, {dimension: (value,)}))
                results = filtered.scorecard(kpi_ids)
                for kpi_id in kpi_ids:
                    assert _same(row[kpi_id], results[kpi_id].value), (kpi_id, dimension, value)


@settings(max_examples=40, **SETTINGS)
@given(datasets, periods)
def test_every_share_stays_within_zero_and_one(data, period):
    with _analysis(data, period) as (_, analysis, *_):
        for result in analysis.scorecard(SHARES).values():
            assert result.value is None or 0 <= result.value <= 1, (result.kpi.id, result.value)
        for kpi_id, rows in analysis.breakdown(SHARES, "region").items():
            if kpi_id in SHARES:
                assert rows.dropna().between(0, 1).all(), kpi_id
        steps = analysis.funnel()["conversion_from_previous"].dropna()
        assert steps.between(0, 1).all()


def test_the_shares_checked_are_the_catalog_rates():
    """Every PERCENT KPI is a share unless it says it can pass 100 % (attainments); conversions are shares."""
    assert {"retention_rate", "win_rate", "win_rate_contacted", "bdr_capacity", "ae_capacity", "meeting_rate",
            "churn_rate", "overall_conversion"} <= set(SHARES)
    assert not {"target_attainment", "projected_attainment"} & set(SHARES)
    assert all(isinstance(catalog.get(k), Ratio | Conversion) for k in SHARES)
