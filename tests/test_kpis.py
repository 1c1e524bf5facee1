"""KPIs against hand-computed expectations, including the spec's worked examples and edge cases."""

from datetime import date

import pytest

from kpi_core import engine
from kpi_core.analysis import Analysis, Selection
from kpi_core.periods import Granularity, comparison_windows, parse_period
from tests.conftest import deals_frame, funnel_deals, orders_frame

JUNE = parse_period("2025-06")


def _june(make_session, **frames):
    return Analysis(make_session(**frames), Selection(Granularity.MONTH, JUNE))


def test_worked_example_basket(make_session):
    """100 000 € over 50 sales = 2 000 €."""
    orders = orders_frame([(f"O{n}", f"C{n % 7}", "2025-06-15", 2000.0) for n in range(50)])
    results = _june(make_session, orders=orders).scorecard(["revenue", "sales_count", "avg_basket"])
    assert [results[k].value for k in ("revenue", "sales_count", "avg_basket")] == [100_000, 50, 2000]


def test_order_lines_add_up_and_credit_notes_are_not_sales(make_session):
    orders = orders_frame([
        ("F1", "C1", "2025-06-02", 300.0), ("F1", "C1", "2025-06-02", 200.0),  # one order, two lines
        ("F2", "C2", "2025-06-05", 1000.0),
        ("AV1", "C2", "2025-06-20", -250.0),  # a credit note
    ])
    results = _june(make_session, orders=orders).scorecard(["revenue", "sales_count", "avg_basket", "active_customers"])
    assert results["revenue"].value == 1250
    assert results["sales_count"].value == 2
    assert results["avg_basket"].value == 625
    assert results["active_customers"].value == 2


def test_a_line_dated_later_stays_with_its_order(make_session):
    orders = orders_frame([("F1", "C1", "2025-05-31", 100.0), ("F1", "C1", "2025-06-01", 50.0)])
    results = _june(make_session, orders=orders).scorecard(["revenue", "sales_count"])
    assert (results["revenue"].value, results["revenue"].previous) == (0, 150)
    assert results["sales_count"].previous == 1


def test_empty_period_gives_zero_counts_and_no_basket(make_session):
    orders = orders_frame([("F1", "C1", "2025-01-10", 100.0)])
    results = _june(make_session, orders=orders).scorecard(["revenue", "sales_count", "avg_basket"])
    assert (results["revenue"].value, results["sales_count"].value) == (0, 0)
    basket = results["avg_basket"]
    assert basket.value is None
    assert basket.reason == "reason.zero_denominator"


def test_missing_dataset_is_a_reason_not_a_crash(make_session):
    results = _june(make_session, orders=orders_frame([("F1", "C1", "2025-06-10", 100.0)])).scorecard(["win_rate"])
    assert results["win_rate"].value is None
    assert results["win_rate"].reason == "reason.missing_dataset"
    from kpi_core.diagnostics import reason_text
    assert reason_text(results["win_rate"], "fr") == ("données « Opportunités » non chargées (page Import & "
                                                      "correspondances)")


def test_a_kpi_missing_one_of_its_datasets_names_only_that_one(make_session):
    from kpi_core.diagnostics import reason_text
    orders = orders_frame([("F1", "C1", "2025-06-10", 100.0)])
    results = _june(make_session, orders=orders).scorecard(["target_attainment", "cac"])
    assert reason_text(results["target_attainment"], "en") == "“Targets” data not loaded (Upload & mapping page)"
    assert "Spend" in reason_text(results["cac"], "en") and "Orders" not in reason_text(results["cac"], "en")


def test_single_customer(make_session):
    orders = orders_frame([("F1", "C1", "2025-05-10", 100.0), ("F2", "C1", "2025-06-10", 300.0)])
    results = _june(make_session, orders=orders).scorecard(["retention_rate", "active_customers", "avg_basket"])
    assert results["retention_rate"].value == 1.0
    assert results["retention_rate"].small_sample
    assert results["active_customers"].value == 1
    assert results["avg_basket"].previous == 100


def test_retention_hand_computed(make_session):
    """May: A, B, C, D active; June: A, B and E. 2 of 4 came back: 50 %."""
    orders = orders_frame([
        ("1", "A", "2025-05-02", 10.0), ("2", "B", "2025-05-03", 10.0), ("3", "C", "2025-05-04", 10.0),
        ("4", "D", "2025-05-05", 10.0), ("5", "A", "2025-06-02", 10.0), ("6", "B", "2025-06-03", 10.0),
        ("7", "E", "2025-06-04", 10.0),
        ("8", "C", "2025-06-20", -10.0),  # a credit note is not activity
    ])
    result = _june(make_session, orders=orders).scorecard(["retention_rate"])["retention_rate"]
    assert result.value == 0.5
    assert result.status == "problem"


def test_retention_window_of_three_months(make_session):
    """Quarterly buyers: monthly retention calls them lost, a 3-month window does not.

    Monthly: A ordered in May, not in June → 0 of 1. Quarterly: A and B active in January–March
    are both active again in April–June → 2 of 2."""
    orders = orders_frame([("1", "A", "2025-02-10", 10.0), ("2", "A", "2025-05-10", 10.0),
                           ("3", "B", "2025-01-10", 10.0), ("4", "B", "2025-06-10", 10.0)])
    session = make_session(orders=orders)
    monthly = Analysis(session, Selection(Granularity.MONTH, JUNE)).scorecard(["retention_rate"])["retention_rate"]
    quarterly = Analysis(session, Selection(Granularity.MONTH, JUNE, retention_periods=3)).scorecard(
        ["retention_rate"])["retention_rate"]
    assert (monthly.value, monthly.observations) == (0.0, 1)
    assert (quarterly.value, quarterly.observations) == (1.0, 2)


@pytest.mark.parametrize("value, status", [(0.9, "good"), (0.85, "good"), (0.8, "watch"), (0.7, "watch"),
                                           (0.69, "problem")])
def test_retention_thresholds(value, status):
    from kpi_core.analysis import KpiResult
    from kpi_core.catalog import get

    assert KpiResult(get("retention_rate"), value).status == status


def test_win_rate_counts_deals_closed_in_the_period(make_session):
    deals = deals_frame([
        ("D1", "2025-03-01", "Signé", "won", "2025-06-05"), ("D2", "2025-04-01", "Proposition", "lost", "2025-06-07"),
        ("D3", "2025-06-01", "Rendez-vous", "lost", "2025-06-09"), ("D4", "2025-06-02", "Signé", "won", "2025-07-01"),
        ("D5", "2025-06-03", "Proposition", "open", None),
    ])
    results = _june(make_session, deals=deals).scorecard(["win_rate", "deals_won", "deals_closed"])
    assert (results["deals_won"].value, results["deals_closed"].value) == (1, 3)
    assert results["win_rate"].value == pytest.approx(1 / 3)
    assert results["win_rate"].small_sample


def test_breakdown_by_region_and_filter(make_session):
    orders = orders_frame([("1", "A", "2025-06-02", 300.0, "Paris"), ("2", "B", "2025-06-03", 100.0, "Lyon"),
                           ("3", "C", "2025-06-04", 200.0, "Paris")])
    session = make_session(orders=orders)
    table = Analysis(session, Selection(Granularity.MONTH, JUNE)).breakdown(["revenue", "avg_basket"], "region")
    assert table[["region", "revenue", "avg_basket"]].values.tolist() == [["Lyon", 100, 100], ["Paris", 500, 250]]
    paris = Analysis(session, Selection(Granularity.MONTH, JUNE, {"region": ("Paris",)}))
    assert paris.scorecard(["revenue"])["revenue"].value == 500


def test_filter_values_are_bound_not_pasted(make_session):
    orders = orders_frame([("1", "A", "2025-06-02", 300.0, "Paris")])
    hostile = Analysis(make_session(orders=orders),
                       Selection(Granularity.MONTH, JUNE, {"region": ("Paris') OR TRUE --",)}))
    assert hostile.scorecard(["revenue"])["revenue"].value == 0


def test_period_in_progress_is_compared_fairly(make_session):
    """Data up to 10 June: June 1–10 against May 1–10, not against all of May."""
    orders = orders_frame([("1", "A", "2025-05-05", 100.0), ("2", "A", "2025-05-25", 900.0),
                           ("3", "A", "2025-06-08", 150.0), ("4", "A", "2025-06-10", 50.0)])
    result = _june(make_session, orders=orders).scorecard(["revenue"])["revenue"]
    assert (result.value, result.previous) == (200, 100)
    assert result.vs_previous == (100, 1.0)


def test_same_period_last_year(make_session):
    orders = orders_frame([("1", "A", "2024-06-05", 80.0), ("2", "A", "2025-06-05", 100.0)])
    result = _june(make_session, orders=orders).scorecard(["revenue"])["revenue"]
    assert result.last_year == 80
    assert result.vs_last_year == (20, pytest.approx(0.25))


def test_trend_has_twelve_periods_with_empty_ones(make_session):
    orders = orders_frame([("1", "A", "2025-01-05", 100.0), ("2", "A", "2025-06-05", 100.0)])
    trend = _june(make_session, orders=orders).trend(["revenue", "avg_basket"])
    assert len(trend) == 12
    assert trend["revenue"].tolist() == [0] * 6 + [100, 0, 0, 0, 0, 100]
    assert trend["avg_basket"].isna().sum() == 10


def test_quarter_and_week_granularities(make_session):
    orders = orders_frame([("1", "A", "2025-04-02", 100.0), ("2", "B", "2025-06-30", 50.0)])
    session = make_session(orders=orders)
    quarter = Analysis(session, Selection(Granularity.QUARTER, parse_period("2025-Q2")))
    week = Analysis(session, Selection(Granularity.WEEK, parse_period("2025-W27")))
    assert quarter.scorecard(["revenue"])["revenue"].value == 150
    assert week.scorecard(["revenue"])["revenue"].value == 50


def test_stage_lost_at_counts_as_reached(make_session):
    deals = deals_frame([("D1", "2025-06-01", "Négociation", "lost", "2025-06-20"),
                         ("D2", "2025-06-01", "Prospect contacté", "lost", "2025-06-20")])
    funnel = _june(make_session, deals=deals).funnel()
    assert funnel["reached"].tolist() == [2, 1, 1, 1, 0]


def test_funnel_by_region(make_session):
    deals = deals_frame(funnel_deals([10, 5], region="Paris", prefix="P") + funnel_deals([10, 2], region="Lyon",
                                                                                          prefix="L"))
    table = _june(make_session, deals=deals).funnel(by="region")
    second = table[table["stage_rank"] == 2].set_index("region")["conversion_from_previous"]
    assert second.to_dict() == {"Lyon": 0.2, "Paris": 0.5}


def test_engine_refuses_unknown_dimensions(make_session):
    session = make_session(orders=orders_frame([("1", "A", "2025-06-02", 1.0)]))
    windows = [comparison_windows(JUNE, date(2025, 6, 30)).current]
    with pytest.raises(ValueError):
        engine.compute(session, ["revenue"], windows, by="amount; DROP TABLE orders")
    with pytest.raises(ValueError):
        engine.compute(session, ["revenue"], windows, filters={"customer_id": ["A"]})


def test_at_risk_customers_are_those_whose_revenue_fell_ranked_by_what_is_at_risk(make_session):
    """January–June, June selected: the last 3 months against the 3 before.

    A orders 100 € every month, then stops (frequency, silence); B keeps ordering (not at risk); C halves its basket
    (basket); G orders half as often but each order is ten times bigger — its revenue grew: not at risk.
    """
    rows = []
    for month in range(1, 7):
        if month <= 3:
            rows.append((f"A{month}", "A", f"2025-{month:02d}-05", 100.0))
        rows.append((f"B{month}", "B", f"2025-{month:02d}-05", 100.0))
        rows.append((f"C{month}", "C", f"2025-{month:02d}-05", 100.0 if month <= 3 else 50.0))
        if month <= 3 or month == 5:
            rows.append((f"G{month}", "G", f"2025-{month:02d}-05", 100.0 if month <= 3 else 1000.0))
    at_risk = _june(make_session, orders=orders_frame(rows)).at_risk_customers()
    assert at_risk["customer_id"].tolist() == ["A", "C"]  # 300 € at risk, then 150 €
    found = at_risk.set_index("customer_id")
    assert found.loc["A", ["revenue_at_risk", "orders_before", "orders_recent"]].tolist() == [300, 3, 0]
    assert found.loc["A", ["frequency_falling", "silent", "basket_falling"]].tolist() == [True, True, False]
    # Silent since 5 March up to the data's last day, 5 June, against a usual gap of 29,5 days.
    assert found.loc["A", "silent_days"] == (date(2025, 6, 5) - date(2025, 3, 5)).days
    assert found.loc["C", ["revenue_at_risk", "basket_before", "basket_recent"]].tolist() == [150, 100, 50]
    assert found.loc["C", ["basket_falling", "frequency_falling", "silent"]].tolist() == [True, False, False]
    from kpi_core.diagnostics import with_reasons

    why = with_reasons(at_risk, "fr").set_index("customer_id")["why"]
    assert why["A"] == "commandes 3 → 0 · sans commande depuis 92 j (d'habitude tous les 30 j)"  # 59 days / 2 gaps
    assert why["C"] == "panier 100\u00a0€ → 50\u00a0€"


def test_cohorts(make_session):
    orders = orders_frame([("1", "A", "2025-05-05", 10.0), ("2", "B", "2025-05-06", 10.0),
                           ("3", "A", "2025-06-05", 10.0)])
    cohorts = _june(make_session, orders=orders).cohorts()
    may = cohorts[cohorts["cohort"] == parse_period("2025-05")]
    assert may[["age", "active", "share"]].values.tolist() == [[0, 2, 1.0], [1, 1, 0.5]]


def test_orders_without_a_customer_count_in_revenue_not_in_customer_kpis(make_session):
    orders = orders_frame([
        ("F1", "C1", "2025-05-10", 100.0), ("F2", None, "2025-05-12", 400.0),  # May: one customer, one guest
        ("F3", "C1", "2025-06-03", 200.0), ("F4", None, "2025-06-04", 300.0), ("F5", None, "2025-06-20", 500.0),
        ("F6", "C2", "2025-06-25", 600.0),
    ])
    analysis = _june(make_session, orders=orders)
    results = analysis.scorecard(["revenue", "sales_count", "active_customers", "orders_per_customer",
                                  "revenue_per_customer", "new_customers", "new_customer_revenue",
                                  "returning_customer_revenue", "anonymous_revenue", "retention_base",
                                  "retention_rate", "ltv"])
    values = {kpi: result.value for kpi, result in results.items()}
    assert values == {"revenue": 1600, "sales_count": 4, "active_customers": 2, "orders_per_customer": 1.0,
                      "revenue_per_customer": 400, "new_customers": 1, "new_customer_revenue": 600,
                      "returning_customer_revenue": 200, "anonymous_revenue": 800, "retention_base": 1,
                      "retention_rate": 1.0, "ltv": 450}  # (100 + 200 + 600) ÷ 2 customers
    assert None not in analysis.cohorts()["cohort_size"].tolist()
    assert analysis.cohorts()["cohort_size"].max() == 1  # no cohort of guests
