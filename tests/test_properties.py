"""Properties that hold for any data: rates in [0, 1], funnels never grow, breakdowns add up."""

from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi_core.analysis import Analysis, Selection
from kpi_core.mapping import DEFAULT_STAGES
from kpi_core.periods import Granularity, parse_period
from kpi_core.session import Session

START = date(2025, 4, 1)
REGIONS = ["Paris", "Lyon", "Lille"]

order_rows = st.lists(
    st.tuples(st.integers(0, 30), st.integers(0, 8), st.integers(0, 90),
              st.floats(-500, 5000, allow_nan=False).map(lambda x: round(x, 2)), st.sampled_from(REGIONS)),
    min_size=1, max_size=60,
)
deal_rows = st.lists(
    st.tuples(st.integers(0, 90), st.integers(1, len(DEFAULT_STAGES)), st.sampled_from(["open", "won", "lost"]),
              st.integers(0, 60), st.sampled_from(REGIONS)),
    min_size=1, max_size=60,
)
RATES = ["avg_basket", "retention_rate", "overall_conversion", "win_rate"]


def _session(orders, deals) -> Session:
    session = Session()
    frame = pd.DataFrame(
        [(f"O{o}", f"C{c}", pd.Timestamp(START + timedelta(days=d)), a, r) for o, c, d, a, r in orders],
        columns=["order_id", "customer_id", "order_date", "amount", "region"])
    # Lines of one order share its customer and region, as in any real export.
    frame[["customer_id", "region"]] = frame.groupby("order_id")[["customer_id", "region"]].transform("first")
    session.load("orders", frame)
    session.load("deals", pd.DataFrame(
        [(f"D{n}", pd.Timestamp(START + timedelta(days=d)), DEFAULT_STAGES[s - 1], status,
          pd.Timestamp(START + timedelta(days=d + c)) if status != "open" else pd.NaT, r)
         for n, (d, s, status, c, r) in enumerate(deals)],
        columns=["deal_id", "created_date", "stage", "status", "closed_date", "region"]))
    return session


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(order_rows, deal_rows, st.sampled_from(["2025-04", "2025-05", "2025-06"]))
def test_rates_between_zero_and_one_and_funnel_never_grows(orders, deals, month):
    session = _session(orders, deals)
    try:
        analysis = Analysis(session, Selection(Granularity.MONTH, parse_period(month)))
        results = analysis.scorecard(["retention_rate", "overall_conversion", "win_rate"])
        for result in results.values():
            assert result.value is None or 0 <= result.value <= 1
        reached = analysis.funnel()["reached"].tolist()
        assert reached == sorted(reached, reverse=True)
        conversions = analysis.funnel()["conversion_from_previous"].dropna()
        assert ((conversions >= 0) & (conversions <= 1)).all()
    finally:
        session.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(order_rows, deal_rows)
def test_breakdowns_sum_to_the_total(orders, deals):
    session = _session(orders, deals)
    try:
        analysis = Analysis(session, Selection(Granularity.QUARTER, parse_period("2025-Q2")))
        totals = analysis.scorecard(["revenue", "sales_count", "deals_created"])
        by_region = analysis.breakdown(["revenue", "sales_count", "deals_created"], "region")
        assert by_region["revenue"].sum() == pytest.approx(totals["revenue"].value, abs=1e-6)
        assert by_region["sales_count"].sum() == totals["sales_count"].value
        assert by_region["deals_created"].sum() == totals["deals_created"].value
        funnel = analysis.funnel(by="region")
        assert funnel.groupby("stage_rank")["reached"].sum().tolist() == analysis.funnel()["reached"].tolist()
    finally:
        session.close()
