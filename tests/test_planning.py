"""Working days, pacing, the run rate needed, weekly targets, the activity behind a sale and the reverse planner,
on hand-computed cases (SPEC §4 Targets and planning)."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from kpi_core import planning, workdays
from kpi_core.analysis import Analysis, Selection
from kpi_core.formatting import format_value
from kpi_core.mapping import DEFAULT_STAGES
from kpi_core.periods import Granularity, parse_period
from tests.conftest import SAMPLE, deals_frame, orders_frame
from tests.test_pages import app, choose, expected_month, metrics, sample_orders  # noqa: F401 (fixture)

SAMPLE_RATES = planning.Rates(2000.0, (("Contacté", 100), ("Rendez-vous", 25), ("Signé", 10)), calls=400)


@pytest.mark.parametrize("start, stop, exclude, expected", [
    # June 2025: 21 weekdays, Whit Monday the 9th off.
    ("2025-06-01", "2025-07-01", True, 20),
    ("2025-06-01", "2025-07-01", False, 21),
    # May 2026: 21 weekdays; 1st and 8th (Fridays), Ascension on the 14th, Whit Monday the 25th.
    ("2026-05-01", "2026-06-01", True, 17),
    # Q4 2026: 11 November (Wednesday) and Christmas (Friday); 1 November is a Sunday and costs nothing.
    ("2026-10-01", "2027-01-01", True, 64),
    ("2026-10-01", "2027-01-01", False, 66),
    ("2026-10-03", "2026-10-05", True, 0),  # a weekend
    ("2026-10-05", "2026-10-05", True, 0),  # an empty span
])
def test_working_days(start, stop, exclude, expected):
    assert workdays.working_days(date.fromisoformat(start), date.fromisoformat(stop),
                                 exclude_holidays=exclude) == expected


def test_working_days_agree_with_numpy_over_three_years():
    off = [day for year in (2025, 2026, 2027) for day in workdays.public_holidays(year)]
    for month in pd.date_range("2025-01-01", "2027-12-01", freq="MS"):
        start, stop = month.date(), (month + pd.offsets.MonthBegin()).date()
        assert workdays.working_days(start, stop) == np.busday_count(start, stop, holidays=off)


def test_the_holidays_that_cost_a_working_day_are_named_in_the_language():
    assert workdays.holidays_off(date(2026, 10, 1), date(2027, 1, 1), "fr") == [
        (date(2026, 11, 11), "Armistice"), (date(2026, 12, 25), "Noël")]
    assert [name for _, name in workdays.holidays_off(date(2026, 5, 1), date(2026, 6, 1), "en")] == [
        "Labor Day", "Victory Day", "Ascension Day", "Pentecost Monday"]


def test_a_week_across_two_months_takes_the_share_of_each_target_its_working_days_hold():
    # Monday 30 June – Sunday 6 July 2025: 1 of June's 20 working days, 4 of July's 22 (14 July is off).
    assert workdays.month_shares(date(2025, 6, 30), date(2025, 7, 7)) == (
        (date(2025, 6, 1), pytest.approx(1 / 20)), (date(2025, 7, 1), pytest.approx(4 / 22)))
    assert workdays.month_shares(date(2025, 4, 1), date(2025, 7, 1)) == (
        (date(2025, 4, 1), 1.0), (date(2025, 5, 1), 1.0), (date(2025, 6, 1), 1.0))


def _targets(rows):
    frame = pd.DataFrame(rows, columns=["period", "target", "rep"])
    frame["period"] = pd.to_datetime(frame["period"])
    return frame


def test_weekly_targets_are_prorated_by_working_days(make_session):
    session = make_session(orders=orders_frame([("F1", "C1", "2025-07-03", 4000.0)]),
                           targets=_targets([("2025-06-01", 20000.0, "Léa"), ("2025-07-01", 22000.0, "Léa")]))
    week = Analysis(session, Selection(Granularity.WEEK, parse_period("2025-W27")))
    result = week.scorecard(["target", "target_attainment"])
    assert result["target"].value == pytest.approx(20000 / 20 + 22000 * 4 / 22)  # 1 000 + 4 000
    assert result["target_attainment"].value == pytest.approx(0.8)
    month = Analysis(session, Selection(Granularity.MONTH, parse_period("2025-07"))).scorecard(["target"])
    assert month["target"].value == 22000


PACE_IDS = ["working_days", "working_days_elapsed", "working_days_left", "daily_revenue", "revenue_projection",
            "projected_attainment", "remaining_to_target", "run_rate_needed"]


@pytest.mark.parametrize("exclude, expected", [
    # Data up to Friday 13 June 2025: 9 working days gone (the 9th is Whit Monday), 11 left of 20.
    # 90 000 € in 9 days = 10 000 € a day → 200 000 € at the end; 160 000 € left over 11 days.
    (True, {"working_days": 20, "working_days_elapsed": 9, "working_days_left": 11, "daily_revenue": 10000,
            "revenue_projection": 200000, "projected_attainment": 0.8, "remaining_to_target": 160000,
            "run_rate_needed": 160000 / 11}),
    # Counting Whit Monday as a working day: 10 gone, 11 left of 21.
    (False, {"working_days": 21, "working_days_elapsed": 10, "working_days_left": 11, "daily_revenue": 9000,
             "revenue_projection": 189000, "projected_attainment": 189000 / 250000, "remaining_to_target": 160000,
             "run_rate_needed": 160000 / 11}),
])
def test_pacing_and_run_rate_needed_in_a_month_in_progress(make_session, exclude, expected):
    session = make_session(orders=orders_frame([("F1", "C1", "2025-06-02", 50000.0), ("F2", "C2", "2025-06-13",
                                                                                    40000.0)]),
                           targets=_targets([("2025-06-01", 250000.0, None)]))
    analysis = Analysis(session, Selection(Granularity.MONTH, parse_period("2025-06"), exclude_holidays=exclude))
    result = analysis.scorecard(PACE_IDS)
    assert {k: r.value for k, r in result.items()} == pytest.approx(expected)


def test_a_finished_period_lands_on_its_revenue_and_needs_no_run_rate(make_session):
    session = make_session(orders=orders_frame([("F1", "C1", "2025-05-12", 30000.0), ("F2", "C2", "2025-06-30",
                                                                                    1.0)]),
                           targets=_targets([("2025-05-01", 40000.0, None)]))
    result = Analysis(session, Selection(Granularity.MONTH, parse_period("2025-05"))).scorecard(PACE_IDS)
    assert result["revenue_projection"].value == 30000
    assert result["working_days_left"].value == 0
    assert result["run_rate_needed"].value is None
    assert result["run_rate_needed"].reason == "reason.zero_denominator"


def test_one_sale_takes_the_spec_funnel_and_calls():
    # 100 contacted → 25 meetings → 10 signed, 400 calls: 1 sale = 40 calls = 10 contacted = 2.5 meetings.
    steps = SAMPLE_RATES.per_sale()
    assert [(s.kind, s.stage, s.per_sale) for s in steps] == [
        ("calls", None, 40.0), ("stage", "Contacté", 10.0), ("stage", "Rendez-vous", 2.5)]
    assert planning.ratios_sentence(SAMPLE_RATES, "fr") == "1 vente = 40 appels = 10 « Contacté » = 2,5 « Rendez-vous »"
    assert planning.ratios_sentence(SAMPLE_RATES, "en") == "1 sale = 40 calls = 10 “Contacté” = 2.5 “Rendez-vous”"
    without_calls = planning.Rates(2000.0, SAMPLE_RATES.reached)
    assert [s.kind for s in without_calls.per_sale()] == ["stage", "stage"]


def test_the_reverse_planner_walks_back_up_the_funnel():
    # 100 000 € at a 2 000 € basket = 50 sales → 125 meetings → 500 contacted → 2 000 calls; 20 days left.
    table = planning.plan(100000, SAMPLE_RATES, "fr", working_days_left=20)
    assert table.to_dict("list") == {
        "step": ["ventes", "« Rendez-vous »", "« Contacté »", "appels"],
        "per_sale": [1.0, 2.5, 10.0, 40.0],
        "needed": [50, 125, 500, 2000],
        "per_day": [2.5, 6.25, 25.0, 100.0],
    }


def test_the_planner_rounds_up_and_says_nothing_without_rates():
    basket_3000 = planning.Rates(3000.0, (("Contacté", 30), ("Signé", 9)))
    table = planning.plan(100000, basket_3000, "en")
    assert table["needed"].tolist() == [34, math.ceil(34 * 30 / 9)]  # 33.3 sales is 34 sales; 113.3 → 114
    assert table["per_day"].isna().all()  # no working day left to spread over
    assert planning.plan(100000, planning.Rates(3000.0, (("Contacté", 30), ("Signé", 0))), "en").empty
    assert planning.plan(100000, planning.Rates(None, SAMPLE_RATES.reached), "en").empty
    assert planning.plan(0, SAMPLE_RATES, "en").empty
    assert planning.ratios_sentence(planning.Rates(3000.0, (("Contacté", 30), ("Signé", 0))), "fr") is None


def test_rates_come_from_the_months_before_the_period_end(make_session):
    deals = deals_frame([
        ("D1", "2025-05-05", "Signé", "won", "2025-05-20"), ("D2", "2025-05-06", "Rendez-vous", "lost", "2025-05-30"),
        ("D3", "2025-06-02", "Prospect contacté", "open", None), ("D4", "2025-06-03", "Signé", "won", "2025-06-25"),
        ("D5", "2024-12-01", "Signé", "won", "2025-01-10"),  # before the 3 months: left out
    ])
    deals["amount"] = [1000.0, 500.0, 700.0, 3000.0, 9000.0]
    session = make_session(deals=deals, orders=orders_frame([("F1", "C1", "2025-06-10", 600.0)]))
    analysis = Analysis(session, Selection(Granularity.MONTH, parse_period("2025-06")))
    rates = analysis.rates(months=3)
    # The data ends on 25 June: the three months up to it.
    assert (rates.start, rates.stop) == (date(2025, 3, 26), date(2025, 6, 26))
    # D3 is still open at the first stage: it has not failed. 3 of the 3 that left it moved on, then 2 of 3.
    assert [stage for stage, _ in rates.reached] == list(DEFAULT_STAGES)
    assert [count for _, count in rates.reached] == pytest.approx([4, 4, 8 / 3, 8 / 3, 8 / 3])
    assert rates.basket == 2000.0  # (1 000 + 3 000) / 2 won deals
    assert rates.calls is None
    assert analysis.rates(months=3, basket="avg_basket").basket == 600.0


def test_targets_page_paces_the_quarter_and_plans_what_is_left(sample_orders):  # noqa: F811
    """Q4 2026 of the sample: October is done (22 working days), 42 are left until the end of December."""
    at = app()
    at.switch_page("views/targets.py")
    at = choose(at, granularity="quarter")
    assert not at.exception
    revenue = expected_month(sample_orders, "2026-10")["revenue"]
    targets = pd.read_csv(SAMPLE / "targets.csv", parse_dates=["period"])
    target = targets.loc[targets["period"].between("2026-10-01", "2026-12-01"), "target"].sum()
    off = ["2026-11-11", "2026-12-25"]
    total = np.busday_count("2026-10-01", "2027-01-01", holidays=off)
    elapsed = np.busday_count("2026-10-01", "2026-11-01", holidays=off)
    shown = metrics(at)
    assert shown["Objectif"] == format_value(target, "currency", "fr", decimals=0)
    assert shown["Atterrissage prévu"] == format_value(revenue / elapsed * total, "currency", "fr", decimals=0)
    assert shown["Atteinte prévue"] == format_value(revenue / elapsed * total / target, "percent", "fr")
    assert shown["CA à faire par jour ouvré restant"] == format_value(
        (target - revenue) / (total - elapsed), "currency", "fr", decimals=0)
    captions = [caption.value for caption in at.caption]
    assert f"{elapsed} jours ouvrés écoulés sur {total}, {total - elapsed} restants" in " ".join(captions)
    assert "11 nov. 2026 (Armistice), 25 déc. 2026 (Noël)" in " ".join(captions)

    # The reverse planner starts from what is left, at the average won deal of the latest settled six months.
    deals = pd.read_csv(SAMPLE / "deals.csv", parse_dates=["created_date", "closed_date"])
    start, end, _ = _settled_span(deals)
    won = deals[(deals["status"] == "won") & (deals["closed_date"] >= start) & (deals["closed_date"] < end)]
    plan = at.dataframe[-1].value
    assert plan.iloc[0].tolist()[:2] == ["ventes", format_value(
        math.ceil((target - revenue) / won["amount"].mean()), "count", "fr")]

    at = choose(at, exclude_holidays=False)  # the switch under the cards
    assert metrics(at)["Atterrissage prévu"] == format_value(
        revenue / elapsed * (total + 2), "currency", "fr", decimals=0)


def _settled_span(deals: pd.DataFrame, months: int = 6, stop: str = "2026-11-01"):
    """The latest `months` months, ending at `stop` or up to a year before, where every step rests on at least 10
    deals that left the stage and at most 20 % still open there; with the deals reaching each stage at its rates."""
    rank = deals["stage"].map({stage: n for n, stage in enumerate(DEFAULT_STAGES, start=1)})
    for back in range(13):
        end = pd.Timestamp(stop) - pd.DateOffset(months=back)
        start = end - pd.DateOffset(months=months)
        inside = (deals["created_date"] >= start) & (deals["created_date"] < end)
        ranks, open_ = rank[inside], deals.loc[inside, "status"] == "open"
        expected, settled = [float(inside.sum())], True
        for k in range(1, len(DEFAULT_STAGES)):
            reached, still_open = (ranks >= k).sum(), ((ranks == k) & open_).sum()
            settled &= reached - still_open >= 10 and still_open <= 0.2 * reached
            expected.append(expected[-1] * (ranks > k).sum() / (reached - still_open))
        if settled:
            return start, end, expected
    raise AssertionError("no settled span")


def test_team_page_says_what_one_sale_takes():
    at = app()
    at.switch_page("views/team.py")
    at.run()
    deals = pd.read_csv(SAMPLE / "deals.csv", parse_dates=["created_date"])
    activities = pd.read_csv(SAMPLE / "activities.csv", parse_dates=["activity_date"])
    start, end, expected = _settled_span(deals)
    assert end < pd.Timestamp("2026-11-01")  # the last months' deals have not decided yet: an earlier span
    calls = ((activities["activity_date"] >= start) & (activities["activity_date"] < end)
             & (activities["activity_type"] == "call")).sum()
    sentence = next(box.value for box in at.info if box.value.startswith("1 vente"))
    assert sentence.startswith(f"1 vente = {format_value(calls / expected[-1], 'count', 'fr')} appels = "
                               f"{format_value(expected[0] / expected[-1], 'count', 'fr')} « Prospect contacté »")


def test_kpi_tables_download_with_numbers_and_headers(make_session):
    from io import BytesIO

    from kpi_core.export import displayed, excel_bytes

    session = make_session(orders=orders_frame([("F1", "C1", "2025-06-02", 1200.5), ("F2", "C2", "2025-05-02", 800.0)]))
    trend = Analysis(session, Selection(Granularity.MONTH, parse_period("2025-06"))).trend(["revenue"], count=2)
    table = displayed(trend, {"period": ("Période", None), "revenue": ("Chiffre d'affaires", "currency", 2)})
    assert table.to_dict("list") == {"Période": ["2025-05", "2025-06"], "Chiffre d'affaires": [800.0, 1200.5]}
    assert pd.read_excel(BytesIO(excel_bytes(table, "trend"))).to_dict("list") == table.to_dict("list")


def test_targets_page_offers_its_tables_to_download():
    at = app()
    at.switch_page("views/targets.py").run()
    labels = [button.proto.id.rsplit("-", 1)[-1] for button in at.get("download_button")]
    # October is closed: the forecast's backtest, no forecast deals.
    assert labels == ["targets_cards_csv", "targets_cards_xlsx", "backtest_download_csv", "backtest_download_xlsx",
                      "targets_trend_download_csv", "targets_trend_download_xlsx", "targets_by_download_csv",
                      "targets_by_download_xlsx"]


def test_rates_without_deals_or_activities_have_nothing_to_plan_with(make_session):
    session = make_session(orders=orders_frame([("F1", "C1", "2025-06-02", 1000.0)]))
    analysis = Analysis(session, Selection(Granularity.MONTH, parse_period("2025-06")))
    rates = analysis.rates(basket="avg_won_deal")  # the deals it needs are not loaded
    assert (rates.basket, rates.reached, rates.calls) == (None, (), None)
    assert planning.plan(10000, rates, "fr").empty
    assert analysis.scorecard(["working_days"])["working_days"].value == 20  # no facts needed for the calendar
