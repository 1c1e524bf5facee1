"""Sales velocity: open deals × win rate × average won deal ÷ sales cycle, its four drivers' effects (LMDI), checked
by hand, against pandas on the sample, in the CLI JSON and on the Team and Funnel pages."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpi_core import bridge
from kpi_core.analysis import Analysis, Selection
from kpi_core.bridge import signed_euros
from kpi_core.formatting import format_value
from kpi_core.ingest import prepare_file
from kpi_core.mapping import Mapping
from kpi_core.periods import Granularity, parse_period
from kpi_core.reader import read_path
from kpi_core.session import Session
from tests.conftest import ROOT, SAMPLE, deals_frame

# (id, created, status, closed, amount, rep). May: 2 won (1 000 € in 30 days, 3 000 € in 20) and 2 lost; June: 2 won
# (2 000 € in 30 days, 4 000 € in 40) and 1 lost; 4 deals open throughout, and the 3 closed in June were open at the
# end of May. May: 7 open × 2/4 × 2 000 € ÷ 25 days = 280 € a day; June: 4 × 2/3 × 3 000 € ÷ 35 = 228,57 €.
DEALS = [
    ("D1", "2025-04-01", "won", "2025-05-01", 1000.0, "Ana"),
    ("D2", "2025-04-11", "won", "2025-05-01", 3000.0, "Ana"),
    ("D3", "2025-04-01", "lost", "2025-05-10", 500.0, "Ben"),
    ("D4", "2025-04-01", "lost", "2025-05-12", 500.0, "Ben"),
    ("D5", "2025-05-02", "won", "2025-06-01", 2000.0, "Ana"),
    ("D6", "2025-05-02", "won", "2025-06-11", 4000.0, "Ben"),
    ("D7", "2025-05-20", "lost", "2025-06-15", 800.0, "Ben"),
    *((f"O{k}", "2025-03-01", "open", None, 1500.0, "Ana" if k < 3 else "Ben") for k in range(1, 5)),
    ("N1", "2025-07-01", "open", None, 900.0, "Ana"),  # created in July: June is over, compared whole
]


def _deals() -> pd.DataFrame:
    frame = deals_frame([(deal, created, "Proposition", status, closed) for deal, created, status, closed, _, _
                         in DEALS])
    frame["amount"] = [row[4] for row in DEALS]
    frame["rep"] = [row[5] for row in DEALS]
    return frame


@pytest.fixture
def june(make_session):
    return Analysis(make_session(deals=_deals()), Selection(Granularity.MONTH, parse_period("2025-06")))


def test_velocity_is_its_four_drivers_by_hand(june):
    results = june.scorecard(["sales_velocity", *bridge.VELOCITY.driver_ids])
    assert {k: r.value for k, r in results.items()} == pytest.approx({
        "sales_velocity": 4 * 2 / 3 * 3000 / 35, "open_deals": 4, "win_rate": 2 / 3, "avg_won_deal": 3000,
        "sales_cycle_days": 35})
    assert {k: r.previous for k, r in results.items()} == pytest.approx({
        "sales_velocity": 280, "open_deals": 7, "win_rate": 0.5, "avg_won_deal": 2000, "sales_cycle_days": 25})


def test_each_driver_explains_its_log_share_and_the_shares_add_up(june):
    results = june.scorecard(list(bridge.VELOCITY.kpis))
    found = bridge.bridge(bridge.VELOCITY, {k: r.previous for k, r in results.items()},
                          {k: r.value for k, r in results.items()})
    after = 4 * 2 / 3 * 3000 / 35
    weight = (after - 280) / math.log(after / 280)
    assert found.drivers == pytest.approx({"open_deals": weight * math.log(4 / 7),
                                           "win_rate": weight * math.log(4 / 3),
                                           "avg_won_deal": weight * math.log(1.5),
                                           "sales_cycle_days": -weight * math.log(35 / 25)})
    assert sum(found.drivers.values()) == pytest.approx(after - 280)
    assert found.main_driver() == "open_deals"  # 4 open deals instead of 7 weighs most
    assert found.sentence("fr") == ("Vélocité commerciale (par jour) : -18,4\u202f% ; le facteur qui a le plus pesé "
                                    "est « Affaires ouvertes » (-142\xa0€).")


def test_a_longer_cycle_lowers_velocity_and_is_the_only_driver_when_alone():
    before = {"sales_velocity": 10 * 0.5 * 1000 / 20, "open_deals": 10, "win_rate": 0.5, "avg_won_deal": 1000,
              "sales_cycle_days": 20}
    after = before | {"sales_velocity": 10 * 0.5 * 1000 / 40, "sales_cycle_days": 40}
    found = bridge.bridge(bridge.VELOCITY, before, after)
    assert found.drivers == pytest.approx({"open_deals": 0, "win_rate": 0, "avg_won_deal": 0,
                                           "sales_cycle_days": -125})
    assert found.main_driver() == "sales_cycle_days"


@given(st.lists(st.floats(0.01, 1e6), min_size=8, max_size=8))
def test_driver_effects_always_add_up_to_the_change(values):
    (o0, w0, a0, c0, o1, w1, a1, c1) = values
    before = {"open_deals": o0, "win_rate": w0, "avg_won_deal": a0, "sales_cycle_days": c0}
    after = {"open_deals": o1, "win_rate": w1, "avg_won_deal": a1, "sales_cycle_days": c1}
    before["sales_velocity"], after["sales_velocity"] = o0 * w0 * a0 / c0, o1 * w1 * a1 / c1
    found = bridge.bridge(bridge.VELOCITY, before, after)
    change = after["sales_velocity"] - before["sales_velocity"]
    assert sum(found.drivers.values()) == pytest.approx(change, rel=1e-6, abs=1e-6 * before["sales_velocity"])


def test_velocity_per_rep_is_the_filtered_value(june):
    table = june.breakdown(["sales_velocity"], "rep").set_index("rep")["sales_velocity"]
    for rep in ("Ana", "Ben"):
        filtered = Analysis(june.session, Selection(Granularity.MONTH, parse_period("2025-06"), {"rep": [rep]}))
        assert table[rep] == pytest.approx(filtered.scorecard(["sales_velocity"])["sales_velocity"].value)
    # Ana: 2 open × 1/1 won × 2 000 € ÷ 30 days; Ben: 2 open × 1/2 × 4 000 € ÷ 40 days.
    assert table.to_dict() == pytest.approx({"Ana": 2 * 2000 / 30, "Ben": 2 * 0.5 * 4000 / 40})


def _pandas_drivers(month: str) -> dict[str, float]:
    """The four drivers and velocity of one month of the sample, computed with pandas alone."""
    deals = pd.read_csv(SAMPLE / "deals.csv", parse_dates=["created_date", "closed_date"])
    start = pd.Timestamp(f"{month}-01")
    stop = start + pd.offsets.MonthBegin(1)
    closed = deals[(deals["closed_date"] >= start) & (deals["closed_date"] < stop)
                   & deals["status"].isin(["won", "lost"])]
    won = closed[closed["status"] == "won"]
    drivers = {"open_deals": len(deals[(deals["created_date"] < stop)
                                       & ((deals["status"] == "open") | (deals["closed_date"] >= stop))]),
               "win_rate": len(won) / len(closed), "avg_won_deal": won["amount"].mean(),
               "sales_cycle_days": (won["closed_date"] - won["created_date"]).dt.days.median()}
    velocity = drivers["open_deals"] * drivers["win_rate"] * drivers["avg_won_deal"] / drivers["sales_cycle_days"]
    return drivers | {"sales_velocity": velocity}


def test_velocity_on_the_sample_matches_pandas():
    session = Session()
    session.load("deals", prepare_file(read_path(SAMPLE / "deals.csv"), Mapping(), "deals").accepted)
    analysis = Analysis(session, Selection(Granularity.MONTH, parse_period("2026-08")))
    found = analysis.scorecard(list(bridge.VELOCITY.kpis))
    session.close()
    assert {k: r.value for k, r in found.items()} == pytest.approx(_pandas_drivers("2026-08"))
    assert {k: r.previous for k, r in found.items()} == pytest.approx(_pandas_drivers("2026-07"))


@pytest.mark.parametrize("page", ["views/team.py", "views/funnel.py"])
def test_the_team_and_funnel_pages_show_velocity_and_what_moved_it(page):
    from tests.test_pages import app, choose, metrics

    at = app()
    at.switch_page(page).run()
    at = choose(at, period_month="2026-08")
    assert not at.exception
    now, before = _pandas_drivers("2026-08"), _pandas_drivers("2026-07")
    assert metrics(at)["Vélocité commerciale (par jour)"] == format_value(now["sales_velocity"], "currency", "fr",
                                                                          decimals=0)
    weight = (now["sales_velocity"] - before["sales_velocity"]) / math.log(now["sales_velocity"]
                                                                          / before["sales_velocity"])
    effects = {k: weight * math.log(now[k] / before[k]) * (-1 if k == "sales_cycle_days" else 1)
               for k in bridge.VELOCITY.driver_ids}
    heaviest = max(effects, key=lambda k: abs(effects[k]))
    label = {"open_deals": "Affaires ouvertes", "win_rate": "Taux de signature",
             "avg_won_deal": "Montant moyen d'une affaire gagnée", "sales_cycle_days": "Cycle de vente (médiane)"}
    sentence = [m.value for m in at.markdown if "le facteur qui a le plus pesé" in m.value]
    assert sentence and f"« {label[heaviest]} » ({signed_euros(effects[heaviest], 'fr')})" in sentence[0]
    table = next(frame.value for frame in at.dataframe if "Effet sur la vélocité (par jour)" in frame.value.columns)
    assert table["Effet sur la vélocité (par jour)"].tolist() == [signed_euros(effects[k], "fr")
                                                                 for k in bridge.VELOCITY.driver_ids]


def test_the_cli_json_gives_velocity_and_what_moved_it():
    done = subprocess.run([sys.executable, "-m", "kpi_core", "report", "--deals", str(SAMPLE / "deals.csv"),
                           "--period", "2026-08"], capture_output=True, text=True, cwd=ROOT, check=True)
    result = json.loads(done.stdout)
    drivers = result["drivers"]["sales_velocity"]
    assert [row["kpi"] for row in drivers] == list(bridge.VELOCITY.driver_ids)
    assert sum(row["effect"] for row in drivers) == pytest.approx(
        result["kpis"]["sales_velocity"] - result["comparisons"]["sales_velocity"]["previous"], abs=1e-4)
    assert {row["kpi"]: row["current"] for row in drivers} == {k: result["kpis"][k] for k in bridge.VELOCITY.driver_ids}
