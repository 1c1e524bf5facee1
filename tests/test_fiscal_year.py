"""Quarters of a fiscal year starting in any month: periods, labels, KPIs, cohorts, the mapping file, the CLI and
the app."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from kpi_core.analysis import Analysis, Selection
from kpi_core.cli import main
from kpi_core.formatting import format_value, period_label
from kpi_core.mapping import Mapping
from kpi_core.mapping_file import InvalidMapping
from kpi_core.periods import Granularity, parse_period, period_containing, periods_between
from tests.conftest import ROOT, SAMPLE, sample_frames, session_of

QUARTER = Granularity.QUARTER


@pytest.mark.parametrize(("fiscal_start", "day", "start", "end", "key", "fr", "en"), [
    (1, date(2026, 10, 31), date(2026, 10, 1), date(2027, 1, 1), "2026-Q4", "T4 2026", "Q4 2026"),
    (4, date(2026, 10, 31), date(2026, 10, 1), date(2027, 1, 1), "2026-27-Q3", "T3 2026-27", "Q3 2026-27"),
    (4, date(2026, 3, 31), date(2026, 1, 1), date(2026, 4, 1), "2025-26-Q4", "T4 2025-26", "Q4 2025-26"),
    (7, date(2026, 7, 1), date(2026, 7, 1), date(2026, 10, 1), "2026-27-Q1", "T1 2026-27", "Q1 2026-27"),
    (2, date(2026, 1, 15), date(2025, 11, 1), date(2026, 2, 1), "2025-26-Q4", "T4 2025-26", "Q4 2025-26"),
    (12, date(2026, 12, 1), date(2026, 12, 1), date(2027, 3, 1), "2026-27-Q1", "T1 2026-27", "Q1 2026-27"),
    (11, date(2027, 1, 31), date(2026, 11, 1), date(2027, 2, 1), "2026-27-Q1", "T1 2026-27", "Q1 2026-27"),
])
def test_a_quarter_of_the_fiscal_year(fiscal_start, day, start, end, key, fr, en):
    quarter = period_containing(day, QUARTER, fiscal_start)
    assert (quarter.start, quarter.end, quarter.key) == (start, end, key)
    assert (period_label(quarter, "fr"), period_label(quarter, "en")) == (fr, en)
    assert parse_period(key, QUARTER, fiscal_start) == quarter


@given(st.integers(1, 12), st.dates(date(2000, 1, 1), date(2090, 12, 31)))
def test_fiscal_quarters_tile_the_calendar_from_their_start_month(fiscal_start, day):
    quarter = period_containing(day, QUARTER, fiscal_start)
    assert quarter.contains(day) and (quarter.start.month - fiscal_start) % 3 == 0
    assert quarter.shift(1).start == quarter.end and quarter.shift(4 - quarter.quarter).quarter == 4
    assert parse_period(quarter.key, QUARTER, fiscal_start) == quarter
    first = quarter.shift(1 - quarter.quarter)
    assert first.start.month == fiscal_start and first.key.endswith("-Q1")


def test_a_fiscal_key_that_does_not_follow_itself_is_refused():
    with pytest.raises(ValueError):
        parse_period("2026-28-Q1", QUARTER, 4)


@pytest.fixture(scope="module")
def sample():
    session = session_of(sample_frames("orders", "targets"))
    yield session
    session.close()


@pytest.fixture(scope="module")
def orders() -> pd.DataFrame:
    return pd.read_csv(SAMPLE / "orders.csv", parse_dates=["order_date"])


def _revenue(orders: pd.DataFrame, start: str, stop: str) -> float:
    return orders[(orders["order_date"] >= start) & (orders["order_date"] < stop)]["amount"].sum()


@pytest.mark.parametrize(("fiscal_start", "start", "stop", "previous"), [
    (4, "2026-07-01", "2026-10-01", "2026-04-01"),
    (2, "2026-05-01", "2026-08-01", "2026-02-01"),
])
def test_kpis_trends_and_targets_follow_the_fiscal_quarter(sample, orders, fiscal_start, start, stop, previous):
    period = period_containing(date.fromisoformat(start), QUARTER, fiscal_start)
    analysis = Analysis(sample, Selection(QUARTER, period, fiscal_start=fiscal_start))
    result = analysis.scorecard(["revenue", "target"])
    assert result["revenue"].value == pytest.approx(_revenue(orders, start, stop))
    assert result["revenue"].previous == pytest.approx(_revenue(orders, previous, start))
    targets = pd.read_csv(SAMPLE / "targets.csv", parse_dates=["period"])
    assert result["target"].value == pytest.approx(
        targets[(targets["period"] >= start) & (targets["period"] < stop)]["target"].sum())
    trend = analysis.trend(["revenue"], count=4)
    assert list(trend["period"]) == [period.shift(k) for k in range(-3, 1)]
    assert all(p.start.month % 3 == fiscal_start % 3 for p in analysis.periods())


def test_cohorts_are_fiscal_quarters(sample, orders):
    """Customers by the fiscal quarter (starting in February) of their first order, as pandas groups them."""
    period = period_containing(date(2026, 8, 1), QUARTER, 2)
    cohorts = Analysis(sample, Selection(QUARTER, period, fiscal_start=2)).cohorts(count=4)
    assert {c.start.month for c in cohorts["cohort"]} <= {2, 5, 8, 11}
    buyers = orders[orders["customer_id"].notna()]
    totals = buyers.groupby("order_id")["amount"].transform("sum")
    first = buyers[totals > 0].groupby("customer_id")["order_date"].min()
    quarter = first.map(lambda day: period_containing(day.date(), QUARTER, 2))
    expected = quarter[quarter >= period.shift(-3)].value_counts()
    sizes = cohorts.groupby("cohort")["cohort_size"].first()
    assert sizes.to_dict() == expected.to_dict()


def test_the_fiscal_start_is_saved_in_the_mapping_file():
    mapping = Mapping(fiscal_year_start=4)
    assert Mapping.from_json(mapping.to_json()).fiscal_year_start == 4
    assert Mapping.from_json(json.dumps({"version": 1})).fiscal_year_start == 1
    with pytest.raises(InvalidMapping):
        Mapping.from_json(json.dumps({"version": 1, "fiscal_year_start": 13}))


def test_the_cli_counts_quarters_from_the_fiscal_start_and_saves_it(tmp_path, capsys, orders):
    saved = tmp_path / "mapping.json"
    files = ["--orders", str(SAMPLE / "orders.csv")]
    assert main(["report", *files, "--granularity", "quarter", "--fiscal-year-start", "4", "--period", "2026-27-Q1",
                 "--save-mapping", str(saved), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["period"]["start"], report["period"]["end"]) == ("2026-04-01", "2026-07-01")
    assert report["period"]["fiscal_year_start"] == 4 and report["period"]["previous"] == "2025-26-Q4"
    assert report["kpis"]["revenue"] == pytest.approx(_revenue(orders, "2026-04-01", "2026-07-01"))
    assert json.loads(saved.read_text())["fiscal_year_start"] == 4
    assert main(["report", *files, "--granularity", "quarter", "--mapping", str(saved), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["period"]["key"] == "2026-27-Q3"
    assert main(["report", *files, "--granularity", "quarter", "--mapping", str(saved), "--period", "2026-27-Q3",
                 "--format", "markdown"]) == 0
    assert "T3 2026-27" in capsys.readouterr().out


def test_the_app_shows_fiscal_quarters(orders):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update({"granularity": "quarter", "fiscal_start": "4"})
    at.run()
    assert not at.exception
    assert at.title[0].value.endswith("T3 2026-27")
    shown = {metric.label: metric.value for metric in at.metric}
    assert shown["Chiffre d'affaires"] == format_value(_revenue(orders, "2026-10-01", "2026-11-01"), "currency", "fr",
                                                       decimals=0)
    at.session_state["fiscal_start"] = 2
    at.run()
    assert not at.exception and at.title[0].value.endswith("T3 2026-27")  # from February: August to October
    assert {metric.label: metric.value for metric in at.metric}["Chiffre d'affaires"] == format_value(
        _revenue(orders, "2026-08-01", "2026-11-01"), "currency", "fr", decimals=0)


def test_periods_between_follow_the_fiscal_start():
    quarters = periods_between(date(2025, 12, 15), date(2026, 6, 30), QUARTER, 7)
    assert [q.key for q in quarters] == ["2025-26-Q2", "2025-26-Q3", "2025-26-Q4"]
