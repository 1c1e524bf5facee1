"""The end-of-period forecast learned from history, and its backtest: by hand, against the data as it was known
at the cut, against the naive forecast on the sample, and on the pages, the CLI and the report."""

from __future__ import annotations

import html
import json
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from kpi_core import forecast, forecast_text
from kpi_core.analysis import Analysis, Selection
from kpi_core.cli import main
from kpi_core.formatting import format_value
from kpi_core.mapping import DEFAULT_STAGES
from kpi_core.periods import Granularity, Period, parse_period
from tests.conftest import ROOT, SAMPLE, sample_frames, session_of

OCTOBER = Period(date(2026, 10, 1), Granularity.MONTH)


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return sample_frames("orders", "deals", "targets")


@pytest.fixture(scope="module")
def sample(frames):
    session = session_of(frames)
    yield session
    session.close()


def known_at(frames: dict[str, pd.DataFrame], cut: date) -> dict[str, pd.DataFrame]:
    """The data as an export made the day before `cut` would hold it: orders before it; deals created before it,
    those closed later still open, at the stage they had entered then, without the later entry dates."""
    stamp = pd.Timestamp(cut)
    orders = frames["orders"][frames["orders"]["order_date"] < stamp]
    deals = frames["deals"][frames["deals"]["created_date"] < stamp].copy()
    stages = list(DEFAULT_STAGES)
    later = deals["closed_date"] >= stamp
    entries = [[day if day is not None and day < cut else None for day in row] for row in deals["stage_entries"]]
    deals["stage_entries"] = pd.Series(entries, index=deals.index, dtype=object)
    furthest = [max((k for k, day in enumerate(row) if day is not None), default=0) for row in entries]
    deals.loc[later, "stage"] = [stages[k] for k, is_later in zip(furthest, later) if is_later]
    deals.loc[later, "status"] = "open"
    deals.loc[later, "closed_date"] = pd.NaT
    return {"orders": orders, "deals": deals, "targets": frames["targets"]}


def test_a_cells_rate_is_pulled_towards_its_stage_and_the_whole_by_hand():
    """History: stage 2 young deals 1 won of 4, stage 2 old deals 0 of 6, stage 3 young 3 of 5 (15 deals, 4 won).
    Overall 4/15; stage 2: (1 + 10·4/15)/(10 + 10); its young cell: (1 + 10·p2)/(4 + 10); stage 3 young:
    (3 + 10·p3)/(5 + 10) with p3 = (3 + 10·4/15)/(5 + 10); an unseen stage takes the overall rate."""
    history = pd.DataFrame({
        "stage_at_cut": [2] * 4 + [2] * 6 + [3] * 5,
        "age_days": [10] * 4 + [200] * 6 + [5] * 5,
        "won": [True, False, False, False] + [False] * 6 + [True, True, True, False, False],
    })
    deals = pd.DataFrame({"stage_at_cut": [2, 2, 3, 4], "age_days": [20, 100, 29, 1]})
    overall = 4 / 15
    p2, p3 = (1 + 10 * overall) / 20, (3 + 10 * overall) / 15
    expected = [(1 + 10 * p2) / 14, (0 + 10 * p2) / 10, (3 + 10 * p3) / 15, overall]
    assert forecast.probabilities(history, deals) == pytest.approx(expected)


def _tiny(make_session, *, wins: int, early: float = 0.0, booked: float = 2000.0):
    """Four past months with `early` € of orders on their 3rd, 1 000 € in their last 10 days and one 500 € deal
    open 10 days before the end (won in `wins` of them); the current month with `booked` € and two deals open
    (1 000 €, 3 000 €)."""
    orders, deals = [], []
    for k, month in enumerate(pd.date_range("2026-01-01", periods=4, freq="MS")):
        end = month + pd.offsets.MonthBegin(1)
        orders.append({"order_id": f"O{k}", "customer_id": "C", "order_date": end - pd.Timedelta(days=5),
                       "amount": 1000.0})
        if early:
            orders.append({"order_id": f"E{k}", "customer_id": "C", "order_date": month + pd.Timedelta(days=2),
                           "amount": early})
        won = k < wins
        deals.append({"deal_id": f"D{k}", "created_date": end - pd.Timedelta(days=20), "stage": "Proposition",
                      "status": "won" if won else "lost", "amount": 500.0, "closed_date": end - pd.Timedelta(days=2)
                      if won else end + pd.Timedelta(days=3)})
    orders.append({"order_id": "NOW", "customer_id": "C", "order_date": pd.Timestamp("2026-05-10"),
                   "amount": booked})
    deals += [{"deal_id": "A", "created_date": pd.Timestamp("2026-05-12"), "stage": "Proposition", "status": "open",
               "amount": 1000.0, "closed_date": pd.NaT},
              {"deal_id": "B", "created_date": pd.Timestamp("2026-05-13"), "stage": "Proposition", "status": "open",
               "amount": 3000.0, "closed_date": pd.NaT}]
    return make_session(orders=pd.DataFrame(orders), deals=pd.DataFrame(deals))


MAY = Period(date(2026, 5, 1), Granularity.MONTH)


def test_a_small_history_by_hand(make_session):
    """Cut on 22 May (10 days left). Each past month: one deal open 10 days before the end, aged 10 days; won in 2
    of 4 → p = (2 + 10·0.5)/(4 + 10) = 0.5 for every cell. Pipeline now: 0.5 × 4 000 = 2 000. Each past month's
    last 10 days brought 1 000 of orders against 0.5 × 500 = 250 expected from its deal: remainder 750, and
    nothing was booked before those cuts, so 750 is expected now. Forecast = 2 000 booked + 2 000 + 750 = 4 750;
    the remainders do not vary, so every draw lies in [2 750, 6 750] (no deal won, both won)."""
    made = forecast.forecast(_tiny(make_session, wins=2), MAY, date(2026, 5, 22), first_date=date(2026, 1, 1))
    assert (made.booked, made.pipeline, made.other, made.history) == (2000, pytest.approx(2000), 750, 4)
    assert made.expected == pytest.approx(4750)
    assert list(made.deals["deal_id"]) == ["B", "A"] and made.deals["probability"].tolist() == [0.5, 0.5]
    assert 2750 <= made.low < made.expected < made.high <= 6750
    assert made.draws.min() >= 2750 and made.draws.max() <= 6750
    assert made.draws.mean() == pytest.approx(4750, rel=0.02)
    assert made.chance(0) == 1 and made.chance(7000) == 0


def test_the_last_days_bring_in_proportion_to_the_first(make_session):
    """The same months with 2 000 € booked on their 3rd: the remainder is 750 for 2 000 booked before the cut, so
    with 3 000 booked now, 3 000 × 750 / 2 000 = 1 125 is expected from other orders."""
    session = _tiny(make_session, wins=2, early=2000.0, booked=3000.0)
    made = forecast.forecast(session, MAY, date(2026, 5, 22), first_date=date(2026, 1, 1))
    assert (made.booked, made.other) == (3000, pytest.approx(1125))
    assert made.expected == pytest.approx(3000 + 2000 + 1125)


def test_fewer_than_three_past_periods_give_no_forecast(make_session):
    assert forecast.forecast(_tiny(make_session, wins=2), MAY, date(2026, 5, 22), first_date=date(2026, 3, 1)) is None


@pytest.mark.parametrize("period", ["2026-07", "2026-09"])
def test_the_backtest_sees_only_what_was_known_at_the_cut(frames, sample, period):
    """The forecast the backtest makes at mid-period equals the forecast made on an export taken that day (deals
    closed later still open, at their stage then): no later fact leaks in."""
    month = parse_period(period, "month")
    cut = month.start + timedelta(days=(month.end - month.start).days // 2)
    made = forecast.forecast(sample, month, cut, first_date=date(2024, 11, 1))
    then = session_of(known_at(frames, cut))
    try:
        seen = forecast.forecast(then, month, cut, first_date=date(2024, 11, 1))
    finally:
        then.close()
    assert made.deals.equals(seen.deals)
    assert (made.booked, made.pipeline, made.other, made.low, made.high) == pytest.approx(
        (seen.booked, seen.pipeline, seen.other, seen.low, seen.high))


def test_on_the_sample_the_backtest_beats_same_as_last_month(sample):
    table = forecast.backtest(sample, OCTOBER, first_date=date(2024, 11, 1))
    assert [p.key for p in table["period"]] == ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
    orders = pd.read_csv(SAMPLE / "orders.csv", parse_dates=["order_date"])
    monthly = orders.groupby(orders["order_date"].dt.strftime("%Y-%m"))["amount"].sum()
    assert table["actual"].tolist() == pytest.approx([monthly[p.key] for p in table["period"]])
    assert table["naive"].tolist() == pytest.approx([monthly[p.shift(-1).key] for p in table["period"]])
    accuracy = forecast.accuracy(table)
    assert accuracy.count == 6 and accuracy.error < accuracy.naive_error
    assert (table["low"] < table["forecast"]).all() and (table["forecast"] < table["high"]).all()


def test_without_stage_dates_the_rates_go_by_age_alone(frames):
    session = session_of({**frames, "deals": frames["deals"].drop(columns=["stage_entries"])})
    try:
        made = forecast.forecast(session, OCTOBER, date(2026, 10, 16), first_date=date(2024, 11, 1))
        assert not made.staged and made.pipeline > 0
    finally:
        session.close()


def test_the_quarter_in_progress_is_forecast_against_its_target(sample):
    """The sample ends on 31 October: the fourth quarter is in progress, October booked."""
    analysis = Analysis(sample, Selection(granularity=Granularity.QUARTER))
    result, made = analysis.forecast_result(), analysis.forecast
    orders = pd.read_csv(SAMPLE / "orders.csv", parse_dates=["order_date"])
    october = orders[(orders["order_date"] >= "2026-10-01") & (orders["order_date"] < "2026-11-01")]["amount"].sum()
    targets = pd.read_csv(SAMPLE / "targets.csv", parse_dates=["period"])
    assert made.booked == pytest.approx(october) and made.cut == date(2026, 11, 1)
    assert result.value == pytest.approx(made.expected) and result.interval == (made.low, made.high)
    assert result.target == pytest.approx(targets[targets["period"] >= "2026-10-01"]["target"].sum())


def test_a_closed_period_says_so_and_a_mixed_filter_withholds_it(sample):
    assert Analysis(sample).forecast_result().reason == "reason.period_closed"
    quarter = Selection(granularity=Granularity.QUARTER, filters={"product": ("Formation",)})
    result = Analysis(sample, quarter).forecast_result()
    assert result.value is None and result.reason == "reason.scope_mixed"


def test_without_deal_status_there_is_no_forecast(frames):
    session = session_of({**frames, "deals": frames["deals"].drop(columns=["status"])})
    try:
        result = Analysis(session, Selection(granularity=Granularity.QUARTER)).forecast_result()
        assert result.value is None and result.reason == "reason.missing_field"
    finally:
        session.close()


def test_the_cli_json_has_the_forecast_and_its_backtest(tmp_path, capsys):
    files = [str(SAMPLE / f"{dataset}.csv") for dataset in ("orders", "deals", "targets")]
    assert main(["report", "--orders", files[0], "--deals", files[1], "--targets", files[2],
                 "--granularity", "quarter", "--period", "2026-Q4", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)["kpis"]["revenue_forecast"]
    assert report["low"] < report["expected"] < report["high"] and report["history_periods"] == 4
    assert report["booked"] + report["pipeline"] + report["other"] == pytest.approx(report["expected"], abs=1)
    assert 0 <= report["chance_of_target"] <= 1 and len(report["top_deals"]) == forecast.TOP_DEALS
    assert [row["period"] for row in report["backtest"]][-1] == "2026-Q3"
    assert main(["report", "--orders", files[0], "--deals", files[1], "--period", "2026-10", "--format",
                 "json"]) == 0
    closed = json.loads(capsys.readouterr().out)["kpis"]["revenue_forecast"]
    assert closed["expected"] is None and closed["reason"] == "reason.period_closed"
    assert [row["period"] for row in closed["backtest"]] == [f"2026-{m:02d}" for m in range(5, 11)]
    assert closed["backtest_accuracy"]["mean_error"] < closed["backtest_accuracy"]["naive_mean_error"]


def test_targets_page_and_home_show_the_forecast(sample):
    analysis = Analysis(sample, Selection(granularity=Granularity.QUARTER))
    made = analysis.forecast
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update({"granularity": "quarter", "period": "2026-Q4"})
    at.run()
    assert not at.exception
    card = {metric.label: metric.value for metric in at.metric}["Prévision de fin de période"]
    assert card == format_value(made.expected, "currency", "fr", decimals=0)
    at.switch_page("views/targets.py").run()
    assert not at.exception
    texts = [markdown.value for markdown in at.markdown]
    assert any(format_value(made.expected, "currency", "fr", decimals=0) in text and
               format_value(made.low, "currency", "fr", decimals=0) in text for text in texts)
    shown = {metric.label: metric.value for metric in at.metric}
    assert shown["Déjà facturé"] == format_value(made.booked, "currency", "fr", decimals=0)
    deals = next(table.value for table in at.dataframe if "Chance de signer" in table.value)
    assert deals["Affaire"].tolist() == made.deals["deal_id"].head(forecast.TOP_DEALS).tolist()
    backtest = next(table.value for table in at.dataframe if "Réel" in table.value)
    assert len(backtest) == len(analysis.backtest())
    assert any(text.startswith("Écart moyen") for text in texts)


def test_a_closed_month_shows_its_backtest_on_the_targets_page():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("views/targets.py").run()
    assert not at.exception
    assert any(text.value.startswith("La période est close") for text in at.info)
    backtest = next(table.value for table in at.dataframe if "Réel" in table.value)
    assert backtest["Période"].tolist()[-1] == "octobre 2026" and len(backtest) == 6


def test_a_period_draws_the_same_forecast_every_time(sample):
    first = forecast.forecast(sample, OCTOBER, date(2026, 10, 16), first_date=date(2024, 11, 1))
    again = forecast.forecast(sample, OCTOBER, date(2026, 10, 16), first_date=date(2024, 11, 1))
    assert np.array_equal(first.draws, again.draws)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_report_holds_the_forecast_and_its_backtest(sample, tmp_path, lang):
    from kpi_core import review, review_html, review_pdf
    from tests.test_review import _plain, pdf_text

    analysis = Analysis(sample, Selection(granularity=Granularity.QUARTER))
    made, backtest = analysis.forecast, analysis.backtest()
    document = review.build(analysis, "sample", lang)
    for text in (pdf_text(review_pdf.render(document), tmp_path), html.unescape(_plain(review_html.render(document)))):
        assert _plain(format_value(made.expected, "currency", lang, decimals=0)) in text
        assert _plain(format_value(made.deals["amount"].iloc[0], "currency", lang, decimals=0)) in text
        assert all(_plain(format_value(value, "currency", lang, decimals=0)) in text for value in backtest["actual"])
        assert " ".join(_plain(forecast_text.summary(backtest, lang)).split()) in " ".join(text.split())
