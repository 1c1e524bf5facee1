"""The sample company is always current in the app: moved so its last day is in the week before today."""

from datetime import date

import pandas as pd
import pytest

from kpi_core.ingest import prepare_file
from kpi_core.mapping import Mapping
from kpi_core.reader import read_path
from kpi_core.sample import last_day, shift_to
from kpi_core.schemas import DATASETS
from tests.conftest import SAMPLE


@pytest.fixture(scope="module")
def frames():
    return {d: prepare_file(read_path(SAMPLE / f"{d}.csv"), Mapping(), d).accepted for d in DATASETS}


@pytest.mark.parametrize("today, last", [
    (date(2026, 11, 1), date(2026, 10, 31)),   # the day after the files end: as committed
    (date(2026, 11, 22), date(2026, 11, 21)),  # three weeks later: yesterday, a Saturday like 31 October
    (date(2026, 11, 25), date(2026, 11, 21)),  # a Wednesday: the last Saturday before it
    (date(2027, 3, 2), date(2027, 2, 27)),
])
def test_the_last_day_is_within_the_week_before_today_on_the_same_weekday(frames, today, last):
    moved = shift_to(frames, today)
    assert last_day(moved) == last and last.weekday() == date(2026, 10, 31).weekday()
    days = (last - date(2026, 10, 31)).days
    for dataset, column in (("orders", "order_date"), ("activities", "activity_date"), ("leads", "created_at")):
        assert (moved[dataset][column] - frames[dataset][column] == pd.Timedelta(days=days)).all()
        assert (moved[dataset][column].dt.day_of_week == frames[dataset][column].dt.day_of_week).all()
    assert moved["orders"]["amount"].sum() == frames["orders"]["amount"].sum()
    entries = moved["deals"]["stage_entries"].iloc[0][0]
    assert (entries - frames["deals"]["stage_entries"].iloc[0][0]).days == days


def test_monthly_targets_and_spend_move_by_whole_months(frames):
    moved = shift_to(frames, date(2026, 11, 22))  # October's data becomes November's
    assert (moved["targets"]["period"].dt.day == 1).all() and (moved["spend"]["month"].dt.day == 1).all()
    october = frames["targets"][frames["targets"]["period"] == "2026-10-01"]["target"].sum()
    assert moved["targets"][moved["targets"]["period"] == "2026-11-01"]["target"].sum() == october


def test_the_app_opens_on_a_period_in_progress(monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    monkeypatch.setenv("BOUSSOLE_TODAY", "2026-11-22")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    assert at.title[0].value == "Tableau de bord — novembre 2026"
    assert any(caption.value.startswith("Période en cours : 21 jours sur 30 écoulés (données jusqu'au 21 nov. 2026)")
               for caption in at.caption)
    at.switch_page("views/targets.py").run()
    shown = {metric.label: metric.value for metric in at.metric}
    assert shown["Reste à faire"] != "0\u00a0€"
    captions = " ".join(caption.value for caption in at.caption)
    assert "20 jours ouvrés écoulés sur 20, 0 restants" not in captions
    assert "6 restants" in captions  # 23–27 and 30 November
