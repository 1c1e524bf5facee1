"""The activity, team, pipeline, target and economics KPIs on small hand-computed cases (SPEC §4)."""

from __future__ import annotations

import pandas as pd
import pytest

from kpi_core.analysis import Analysis, Selection
from kpi_core.periods import Granularity, parse_period
from tests.conftest import deals_frame, orders_frame


def _frame(columns: list[str], rows: list[tuple], dates=()) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    for column in dates:
        frame[column] = pd.to_datetime(frame[column])
    return frame


def activities(rows):
    return _frame(["activity_date", "rep", "activity_type", "meeting_set"], rows, ["activity_date"])


def leads(rows):
    return _frame(["lead_id", "created_at", "first_response_at", "is_mql", "is_qualified", "rep"], rows,
                  ["created_at", "first_response_at"])


def scorecard(session, period: str, granularity=Granularity.MONTH, ids=()):
    analysis = Analysis(session, Selection(granularity, parse_period(period, granularity)))
    return analysis.scorecard(list(ids))


def test_weekly_activity(make_session):
    session = make_session(activities=activities([
        ("2025-06-02", "Léa", "call", True), ("2025-06-02", "Léa", "call", False), ("2025-06-03", "Léa", "call", False),
        ("2025-06-04", "Tom", "email", True), ("2025-06-05", "Tom", "meeting", False),
    ]))
    result = scorecard(session, "2025-W23", Granularity.WEEK,
                       ["contacts_volume", "calls_count", "meetings_set", "meeting_rate"])
    assert {k: r.value for k, r in result.items()} == {"contacts_volume": 4, "calls_count": 3, "meetings_set": 2,
                                                       "meeting_rate": 0.5}
    assert result["meeting_rate"].small_sample  # 2 out of 4


def test_lead_response_time_median_and_90th_percentile(make_session):
    session = make_session(leads=leads([
        ("L1", "2025-06-02 09:00", "2025-06-02 10:00", True, True, "Léa"),
        ("L2", "2025-06-03 09:00", "2025-06-03 11:00", True, False, "Léa"),
        ("L3", "2025-06-04 09:00", "2025-06-04 12:00", False, False, "Tom"),
        ("L4", "2025-06-05 08:00", "2025-06-05 18:00", True, True, "Tom"),
        ("L5", "2025-06-06 08:00", None, False, False, "Tom"),  # not answered yet: not in the delays
    ]))
    result = scorecard(session, "2025-06", ids=["lead_response_time", "lead_response_time_p90", "mql_count",
                                                "leads_qualified", "leads_created"])
    # Delays 1, 2, 3, 10 h: median 2.5 h; 90th percentile 3 + 0.7 × (10 − 3) = 7.9 h.
    assert result["lead_response_time"].value == pytest.approx(2.5)
    assert result["lead_response_time_p90"].value == pytest.approx(7.9)
    assert (result["mql_count"].value, result["leads_qualified"].value, result["leads_created"].value) == (3, 2, 5)


def test_team_capacities_are_shares_of_one_cohort_of_leads(make_session):
    frame = leads([("L1", "2025-06-02 09:00", "2025-06-02 10:00", True, True, "Léa"),
                   ("L2", "2025-06-03 09:00", "2025-06-03 12:00", True, True, "Léa"),
                   ("L3", "2025-06-04 09:00", "2025-06-04 09:30", True, False, "Léa"),
                   ("L4", "2025-06-05 09:00", "2025-06-06 09:00", False, False, "Tom"),
                   ("L5", "2025-06-06 09:00", None, True, True, "Tom")])  # qualified, never contacted
    frame["converted"] = [True, False, False, False, True]
    result = scorecard(make_session(leads=frame), "2025-06", ids=["bdr_capacity", "ae_capacity"])
    assert result["bdr_capacity"].value == pytest.approx(2 / 4)  # contacted and qualified / contacted
    assert result["ae_capacity"].value == pytest.approx(2 / 3)   # qualified turned customers / qualified


def test_capacities_need_the_columns_they_count(make_session):
    frame = leads([("L1", "2025-06-02 09:00", None, True, True, "Léa")]).drop(columns="first_response_at")
    result = scorecard(make_session(leads=frame), "2025-06", ids=["bdr_capacity", "ae_capacity"])
    assert (result["bdr_capacity"].value, result["bdr_capacity"].reason) == (None, "reason.missing_field")
    assert (result["ae_capacity"].value, result["ae_capacity"].reason) == (None, "reason.missing_field")


@pytest.mark.parametrize("d3_status, contacted_rate, reason", [
    ("lost", 1 / 4, None),               # every deal of June has an outcome: 1 won of 4 contacted
    ("open", None, "reason.cohort_open"),  # 1 of 4 still open (25 %): the cohort's rate can still move
])
def test_both_win_rates(make_session, d3_status, contacted_rate, reason):
    session = make_session(deals=deals_frame([
        ("D1", "2025-06-02", "Signé", "won", "2025-06-20"),
        ("D2", "2025-06-03", "Proposition", "lost", "2025-06-25"),
        ("D3", "2025-06-04", "Rendez-vous", d3_status, None if d3_status == "open" else "2025-07-02"),
        ("D4", "2025-06-05", "Prospect contacté", "lost", "2025-06-06"),
        ("D5", "2025-05-20", "Signé", "won", "2025-06-10")]))  # won in June, created in May
    result = scorecard(session, "2025-06", ids=["win_rate", "win_rate_contacted"])
    assert result["win_rate"].value == pytest.approx(2 / 4)  # won / (won + lost) closed in June
    assert result["win_rate_contacted"].value == (None if contacted_rate is None else pytest.approx(contacted_rate))
    assert result["win_rate_contacted"].reason == reason


def test_sales_cycle_lost_reasons_and_open_pipeline(make_session):
    frame = deals_frame([("D1", "2025-05-01", "Signé", "won", "2025-06-10"),      # 40 days
                         ("D2", "2025-06-01", "Signé", "won", "2025-06-11"),      # 10 days
                         ("D3", "2025-06-02", "Signé", "won", "2025-06-22"),      # 20 days
                         ("D4", "2025-06-03", "Proposition", "lost", "2025-06-20"),
                         ("D5", "2025-06-04", "Rendez-vous", "lost", "2025-06-21"),
                         ("D6", "2025-06-05", "Rendez-vous", "lost", "2025-06-22"),
                         ("D7", "2025-06-06", "Proposition", "open", None),
                         ("D8", "2025-06-07", "Négociation", "won", "2025-07-03")])  # open at the end of June
    frame["amount"] = [1000.0, 2000.0, 3000.0, 500.0, 700.0, 900.0, 4000.0, 6000.0]
    frame["lost_reason"] = [None, None, None, "Prix", "Prix", None, None, None]
    session = make_session(deals=frame)
    result = scorecard(session, "2025-06", ids=["sales_cycle_days", "open_pipeline"])
    assert result["sales_cycle_days"].value == 20
    assert result["open_pipeline"].value == 10_000
    analysis = Analysis(session, Selection(Granularity.MONTH, parse_period("2025-06")))
    assert analysis.lost_reasons("fr").to_dict("records") == [
        {"reason": "Prix", "deals": 2, "amount": 1200.0}, {"reason": "(sans raison)", "deals": 1, "amount": 900.0}]


@pytest.mark.parametrize("revenue, target, attainment, remaining, coverage", [
    (6_000.0, 10_000.0, 0.6, 4_000.0, 2.5),
    (12_000.0, 10_000.0, 1.2, 0.0, None),   # passed: nothing left, coverage has no meaning
    (6_000.0, None, None, None, None),      # no target for the month
])
def test_targets(make_session, revenue, target, attainment, remaining, coverage):
    targets = _frame(["period", "target", "rep"], [("2025-06-15", target, "Léa")] if target else
                     [("2025-05-01", 1.0, "Léa")], ["period"])
    deals = deals_frame([("D1", "2025-06-02", "Proposition", "open", None)])
    deals["amount"] = [10_000.0]
    session = make_session(orders=orders_frame([("F1", "C1", "2025-06-10", revenue)]), targets=targets, deals=deals)
    result = scorecard(session, "2025-06", ids=["target_attainment", "remaining_to_target", "pipeline_coverage"])
    assert result["target_attainment"].value == (None if attainment is None else pytest.approx(attainment))
    assert result["remaining_to_target"].value == remaining
    assert result["pipeline_coverage"].value == (None if coverage is None else pytest.approx(coverage))


def test_acquisition_cost_lifetime_value_and_magic_number(make_session):
    orders = orders_frame([
        ("F1", "C1", "2025-02-10", 10_000.0), ("F2", "C2", "2025-03-10", 20_000.0),   # Q1: 30 000
        ("F3", "C1", "2025-04-10", 15_000.0), ("F4", "C3", "2025-05-10", 15_000.0),   # Q2: 40 000
        ("F5", "C4", "2025-06-10", 10_000.0),
    ])
    spend = _frame(["month", "amount"], [("2025-01-01", 5_000.0), ("2025-02-01", 5_000.0), ("2025-03-31", 10_000.0),
                                         ("2025-04-01", 6_000.0), ("2025-06-01", 6_000.0)], ["month"])
    session = make_session(orders=orders, spend=spend)
    result = scorecard(session, "2025-Q2", Granularity.QUARTER,
                       ["new_customers", "marketing_spend", "cac", "ltv", "magic_number", "churn_rate",
                        "ltv_predictive", "ltv_cac_ratio"])
    assert result["new_customers"].value == 2                   # C3 and C4; C1 came back
    assert result["marketing_spend"].value == 12_000
    assert result["cac"].value == pytest.approx(6_000)          # 12 000 / 2
    assert result["ltv"].value == pytest.approx(70_000 / 4)     # everything up to June ÷ 4 customers
    assert result["magic_number"].value == pytest.approx((40_000 - 30_000) * 4 / 20_000)
    assert result["churn_rate"].value == pytest.approx(1 / 2)   # of C1, C2 (Q1), C2 did not come back
    # Revenue per active customer 40 000 / 3, churn 1/2 → 26 666,67.
    assert result["ltv_predictive"].value == pytest.approx(40_000 / 3 / 0.5)
    assert result["ltv_cac_ratio"].value == pytest.approx(17_500 / 6_000)


@pytest.mark.parametrize("period, granularity, expected", [
    ("2025-06", Granularity.MONTH, 12 * 100),                  # June's subscription line × 12
    ("2025-Q2", Granularity.QUARTER, 4 * (100 + 100 + 100)),   # the quarter's subscription lines × 4
])
def test_arr_annualises_the_subscription_lines(make_session, period, granularity, expected):
    orders = orders_frame([("F1", "C1", "2025-04-03", 100.0), ("F2", "C1", "2025-05-03", 100.0),
                           ("F3", "C1", "2025-06-03", 100.0), ("F3", "C1", "2025-06-03", 900.0),  # a line of licences
                           ("F4", "C2", "2025-06-20", 500.0)])
    orders["is_recurring"] = [True, True, True, False, False]
    result = scorecard(make_session(orders=orders), period, granularity, ["arr", "revenue"])
    assert result["arr"].value == expected


def test_arr_needs_the_subscription_column(make_session):
    session = make_session(orders=orders_frame([("F1", "C1", "2025-06-03", 100.0)]))
    analysis = Analysis(session, Selection(Granularity.MONTH, parse_period("2025-06")))
    result = analysis.scorecard(["arr"])["arr"]
    assert (result.value, result.reason, result.reason_params) == (None, "reason.missing_field",
                                                                    {"fields": "is_recurring"})
    assert not analysis.available("arr")


def test_amounts_of_deals_without_an_amount_column_say_so_through_every_kpi_built_on_them(make_session):
    deals = deals_frame([("D1", "2025-06-02", "Signé", "won", "2025-06-20")])
    targets = _frame(["period", "target"], [("2025-06-01", 1000.0)], ["period"])
    session = make_session(deals=deals, orders=orders_frame([("F1", "C1", "2025-06-03", 100.0)]), targets=targets)
    analysis = Analysis(session, Selection(Granularity.MONTH, parse_period("2025-06")))
    result = analysis.scorecard(["avg_won_deal", "open_pipeline", "pipeline_coverage", "deals_won"])
    for kpi_id in ("avg_won_deal", "open_pipeline", "pipeline_coverage"):  # coverage through open_pipeline
        assert (result[kpi_id].value, result[kpi_id].reason_params) == (None, {"fields": "amount"}), kpi_id
        assert not analysis.available(kpi_id)
    assert result["deals_won"].value == 1


def test_empty_periods_and_zero_denominators_give_a_reason_not_a_number(make_session):
    session = make_session(activities=activities([("2025-06-02", "Léa", "call", False)]),
                           leads=leads([("L1", "2025-06-02 09:00", None, False, False, "Léa")]))
    result = scorecard(session, "2025-07", ids=["contacts_volume", "meeting_rate", "lead_response_time",
                                                "bdr_capacity"])
    assert result["contacts_volume"].value == 0
    for kpi_id in ("meeting_rate", "lead_response_time", "bdr_capacity"):
        assert result[kpi_id].value is None and result[kpi_id].reason


def test_a_filter_that_reaches_only_some_inputs_withholds_the_kpi(make_session):
    """Targets set per rep, a view filtered on Paris: attainment would divide Paris revenue by the whole target."""
    orders = orders_frame([("F1", "C1", "2025-06-02", 6000.0, "Paris"), ("F2", "C2", "2025-06-03", 4000.0, "Lyon")])
    orders["rep"] = ["Léa", "Tom"]
    targets = pd.DataFrame({"period": pd.to_datetime(["2025-06-01"]), "target": [20000.0], "rep": ["Léa"]})
    session = make_session(orders=orders, targets=targets)
    june = parse_period("2025-06")
    paris = Analysis(session, Selection(Granularity.MONTH, june, {"region": ("Paris",)}))
    results = paris.scorecard(["revenue", "target", "target_attainment", "remaining_to_target"])
    assert results["revenue"].value == 6000 and not results["revenue"].unfiltered
    assert (results["target"].value, results["target"].unfiltered) == (20000, ("region",))  # said on its card
    for kpi_id in ("target_attainment", "remaining_to_target"):
        assert (results[kpi_id].value, results[kpi_id].reason) == (None, "reason.scope_mixed")
    from kpi_core.diagnostics import reason_text

    assert reason_text(results["target_attainment"], "fr") == ("« Objectifs » sans colonne « Région » : le filtre ne "
                                                                "peut s'appliquer qu'à une partie de l'indicateur")
    assert paris.trend(["target_attainment"], count=3)["target_attainment"].isna().all()  # trends too
    assert paris.unapplied_filters(("targets",)) == ("region",)
    assert paris.unapplied_filters(("orders", "targets")) == ()
    everyone = Analysis(session, Selection(Granularity.MONTH, june))
    assert everyone.scorecard(["target_attainment"])["target_attainment"].value == pytest.approx(0.5)
    # Filtered on a dimension both have, the KPI is computed on one consistent scope.
    by_rep = Analysis(session, Selection(Granularity.MONTH, june, {"rep": ("Léa",)}))
    assert by_rep.scorecard(["target_attainment"])["target_attainment"].value == pytest.approx(6000 / 20000)


@pytest.mark.parametrize("kpi_id, value, previous, tone", [
    ("sales_cycle_days", 40.0, 30.0, "bad"),  # a longer cycle is bad news
    ("open_pipeline", 120_000.0, 100_000.0, "good"),
    ("revenue", 100.0, 100.02, "flat"),  # -0,0 %: no change
    ("target", 120.0, 100.0, "neutral"),  # a target is not good or bad news
    ("revenue", 100.0, None, None),
])
def test_a_change_is_said_good_or_bad_news_for_its_kpi(kpi_id, value, previous, tone):
    from kpi_core import catalog
    from kpi_core.analysis import KpiResult
    result = KpiResult(catalog.get(kpi_id), value, previous=previous)
    assert result.tone(result.vs_previous) == tone
