"""Revenue retention (NRR, GRR, expansion, contraction, churn) and the revenue-weighted cohorts: by hand, to date,
by region, against pandas on the sample, and on the Retention page."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from kpi_core import revenue_retention
from kpi_core.analysis import Analysis, Selection
from kpi_core.formatting import format_value
from kpi_core.periods import Granularity, parse_period
from tests.conftest import SAMPLE, orders_frame, sample_frames

KPIS = ["net_revenue_retention", "gross_revenue_retention", *revenue_retention.KPIS, "kept_base_revenue"]

# May → June: C1 1 000 → 1 500 € (expansion 500), C2 2 000 → 500 € (contraction 1 500), C3 800 € → nothing
# (churned), C4 400 − 100 = 300 € → a 50 € credit note only (churned: counted as nothing, not −50), C5 new in June,
# a May order without a customer left out. Base 4 100 €, kept 2 000 €: NRR 48,8 %; GRR (1 000 + 500) ÷ 4 100.
ORDERS = [
    ("A1", "C1", "2025-05-03", 1000.0), ("A2", "C2", "2025-05-04", 2000.0), ("A3", "C3", "2025-05-05", 800.0),
    ("A4", "C4", "2025-05-06", 400.0), ("A5", "C4", "2025-05-20", -100.0), ("A6", None, "2025-05-21", 999.0),
    ("B1", "C1", "2025-06-03", 1500.0), ("B2", "C2", "2025-06-04", 500.0), ("B3", "C4", "2025-06-05", -50.0),
    ("B4", "C5", "2025-06-06", 700.0),
    ("B5", "C5", "2025-07-02", 100.0),  # July begun: June is compared whole
]


def test_nrr_grr_and_their_movements_by_hand(make_session):
    analysis = Analysis(make_session(orders=orders_frame(ORDERS)),
                        Selection(Granularity.MONTH, parse_period("2025-06")))
    found = {k: r.value for k, r in analysis.scorecard(KPIS).items()}
    assert found == pytest.approx({"base_revenue": 4100, "retained_revenue": 2000, "expansion_revenue": 500,
                                   "contraction_revenue": 1500, "churned_revenue": 1100, "kept_base_revenue": 1500,
                                   "net_revenue_retention": 2000 / 4100, "gross_revenue_retention": 1500 / 4100})
    base, steps, kept = revenue_retention.steps(analysis.scorecard(list(revenue_retention.KPIS)))
    assert base + sum(value for _, value in steps) == pytest.approx(kept)


def test_a_period_in_progress_weighs_the_base_to_date_alike(make_session):
    # June to the 10th: C1's 150 € against its 100 € of May 1-10, not against all of May's 1 000 €.
    orders = orders_frame([("A1", "C1", "2025-05-05", 100.0), ("A2", "C1", "2025-05-20", 900.0),
                           ("B1", "C1", "2025-06-03", 150.0), ("B2", "C2", "2025-06-10", 10.0)])
    analysis = Analysis(make_session(orders=orders), Selection(Granularity.MONTH, parse_period("2025-06")))
    assert analysis.scorecard(["net_revenue_retention"])["net_revenue_retention"].value == pytest.approx(1.5)


def _pandas_nrr(orders: pd.DataFrame, month: str) -> tuple[float, float]:
    """NRR and GRR of one month against the one before, from the sample's lines with pandas alone."""
    orders = orders[orders["customer_id"].notna()]
    period = orders["order_date"].dt.to_period("M")
    current = pd.Period(month, "M")
    base = orders[period == current - 1].groupby("customer_id")["amount"].sum()
    base = base[base > 0]
    now = orders[period == current].groupby("customer_id")["amount"].sum().reindex(base.index).fillna(0).clip(lower=0)
    return now.sum() / base.sum(), now.clip(upper=base).sum() / base.sum()


@pytest.fixture(scope="module")
def sample_lines():
    orders = pd.read_csv(SAMPLE / "orders.csv", parse_dates=["order_date"])
    first = orders.groupby("order_id")["order_date"].transform("min")  # an order's lines date to its first
    return orders.assign(order_date=first)


def test_nrr_and_grr_on_the_sample_match_pandas(sample_lines, make_session):
    session = make_session(**sample_frames("orders"))
    for month in ("2026-08", "2026-09"):
        found = Analysis(session, Selection(Granularity.MONTH, parse_period(month))).scorecard(KPIS[:2])
        assert (found["net_revenue_retention"].value, found["gross_revenue_retention"].value) == pytest.approx(
            _pandas_nrr(sample_lines, month))


def test_the_revenue_cohorts_divide_by_the_first_period(make_session):
    # Cohort May (C1, C2): 1 000 € in May, 600 € in June from C1 alone → 60 %; the customer share is 50 %.
    orders = orders_frame([("A1", "C1", "2025-05-03", 400.0), ("A2", "C2", "2025-05-04", 600.0),
                           ("B1", "C1", "2025-06-03", 700.0), ("B2", "C1", "2025-06-20", -100.0),
                           ("C1", "C1", "2025-07-01", 50.0)])
    analysis = Analysis(make_session(orders=orders), Selection(Granularity.MONTH, parse_period("2025-07")))
    table = analysis.cohorts().set_index("age")
    assert table.loc[1, ["share", "revenue", "revenue_share"]].tolist() == pytest.approx([0.5, 600, 0.6])
    assert table.loc[0, "revenue_share"] == 1


def test_the_retention_page_shows_nrr_grr_and_both_cohort_maps(sample_lines):
    from tests.test_pages import app, choose, metrics

    at = app()
    at.switch_page("views/retention.py").run()
    at = choose(at, period_month="2026-08")
    assert not at.exception
    nrr, grr = _pandas_nrr(sample_lines, "2026-08")
    shown = metrics(at)
    assert shown["Rétention nette du CA (NRR)"] == format_value(nrr, "percent", "fr")
    assert shown["Rétention brute du CA (GRR)"] == format_value(grr, "percent", "fr")
    titles = [json.loads(chart.proto.spec)["layout"].get("title", {}).get("text", "")
              for chart in at.get("plotly_chart")]
    assert {"Part des clients encore actifs",
            "Chiffre d'affaires en part de celui de la première période"} <= set(titles)


def test_the_report_holds_nrr_grr_and_their_waterfall(sample_lines, make_session, tmp_path):
    from kpi_core import review, review_html, review_pdf
    from tests.test_review import _plain, pdf_text

    session = make_session(**sample_frames("orders"))
    analysis = Analysis(session, Selection(Granularity.MONTH, parse_period("2026-08")))
    document = review.build(analysis, "sample", "fr")
    section = next(s for s in document.sections if s.title == "Rétention du chiffre d'affaires")
    assert any(isinstance(block, review.Figure) for block in section.blocks)
    nrr, grr = (_plain(format_value(value, "percent", "fr")) for value in _pandas_nrr(sample_lines, "2026-08"))
    text = pdf_text(review_pdf.render(document), tmp_path)
    for label, value in (("Rétention nette du CA", nrr), ("Rétention brute du CA", grr)):
        line = next(line for line in text.splitlines() if line.strip().startswith(label))
        assert value in line, (label, value, line)
    assert nrr in _plain(review_html.render(document))
