"""Time in stage from one entry date per stage (HubSpot's "Date entered" columns), SPEC §4 Pipeline health."""

from __future__ import annotations

import json

import pandas as pd

from kpi_core.analysis import Analysis, Selection
from kpi_core.ingest import prepare_file
from kpi_core.mapping import Mapping
from kpi_core.periods import Granularity, parse_period
from kpi_core.reader import read_table
from tests.conftest import SAMPLE, deals_frame
from tests.test_mapping import HUBSPOT
from tests.test_pages import app


def _june(session) -> Analysis:
    return Analysis(session, Selection(Granularity.MONTH, parse_period("2025-06")))


def test_days_in_each_stage_until_the_next_entry(make_session):
    prepared = prepare_file(read_table(HUBSPOT.encode()), Mapping())
    analysis = _june(make_session(deals=prepared.accepted))
    assert analysis.has_stage_entries
    # Alpha: created 1 June, meeting 2 June (the earlier of its two meeting columns), proposal 8, negotiation 15,
    # signed 20 → 1, 6, 7, 5 days. Beta: created 3 June, meeting 4, proposal 10, then lost → 1, 6.
    # Gamma: created 4 June, meeting 5 → 1. Delta has no entry but its creation.
    assert analysis.time_in_stage().to_dict("list") == {
        "stage": ["Prospect contacté", "Rendez-vous", "Proposition", "Négociation"],
        "deals": [3, 2, 1, 1], "median_days": [1.0, 6.0, 7.0, 5.0], "mean_days": [1.0, 6.0, 7.0, 5.0]}


def test_without_entry_dates_there_is_no_time_in_stage(make_session):
    analysis = _june(make_session(deals=deals_frame([("D1", "2025-06-02", "Signé", "won", "2025-06-20")])))
    assert not analysis.has_stage_entries
    assert analysis.time_in_stage().empty


def _sample_first_stage_median(month: str) -> tuple[float, int]:
    deals = pd.read_csv(SAMPLE / "deals.csv", parse_dates=["created_date"])
    deals = deals[deals["created_date"].dt.strftime("%Y-%m") == month]
    entries = deals.filter(like="Date d'entrée").apply(pd.to_datetime)
    following = entries.min(axis=1)  # the next stage a deal entered after the first is its earliest entry
    days = (following - deals["created_date"]).dt.days.dropna()
    return days.median(), len(days)


def test_funnel_page_uses_true_entries_and_shows_time_in_stage():
    at = app()
    at.switch_page("views/funnel.py").run()
    assert not at.exception
    assert any("dates d'entrée dans chaque étape" in caption.value for caption in at.caption)
    median, deals = _sample_first_stage_median("2026-10")
    chart = next(json.loads(c.proto.spec) for c in at.get("plotly_chart")
                 if json.loads(c.proto.spec)["data"][0].get("orientation") == "h"
                 and "Prospect contacté" in json.loads(c.proto.spec)["data"][0]["y"])
    assert chart["data"][0]["text"][0] == f"{round(median)} j · {deals} affaires"


def test_the_report_lists_time_in_stage(capsys):
    from kpi_core.cli import main

    assert main(["report", "--deals", str(SAMPLE / "deals.csv"), "--period", "2026-09", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["kpis"]["time_in_stage"]
    median, deals = _sample_first_stage_median("2026-09")
    assert rows[0] == {"stage": "Prospect contacté", "deals": deals, "median_days": median}
