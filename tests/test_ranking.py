"""Rankings that do not crown noise: Benjamini-Hochberg on "differs from the rest", empirical-Bayes ordering, the
funnel plot's limits — against scipy and hand computations, on generated regions and on the page."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats as scipy_stats
from streamlit.testing.v1 import AppTest

from kpi_core import charts, ranking
from kpi_core.analysis import Analysis, Selection
from kpi_core.catalog import get
from kpi_core.periods import Granularity, parse_period
from tests.conftest import ROOT

MONTH = Selection(Granularity.MONTH, parse_period("2026-03"))


def _deals(won_closed: dict[str, tuple[int, int]]) -> pd.DataFrame:
    """Deals closed in March 2026, `won` of `closed` won in each region."""
    rows = []
    for region, (won, closed) in won_closed.items():
        rows += [{"deal_id": f"{region}-{k}", "created_date": pd.Timestamp("2026-02-01"), "stage": "Proposition",
                  "status": "won" if k < won else "lost", "amount": 1000.0,
                  "closed_date": pd.Timestamp("2026-03-10"), "region": region} for k in range(closed)]
    return pd.DataFrame(rows)


def _z_test(x: int, n: int, y: int, m: int) -> float:
    pooled = (x + y) / (n + m)
    z = (x / n - y / m) / math.sqrt(pooled * (1 - pooled) * (1 / n + 1 / m))
    return 2 * scipy_stats.norm.sf(abs(z))


@given(st.lists(st.floats(0, 1), min_size=1, max_size=40))
def test_bh_q_values_are_scipys(p_values):
    assert ranking.benjamini_hochberg(p_values) == pytest.approx(
        scipy_stats.false_discovery_control(p_values, method="bh"))


def test_untested_values_stay_out_of_the_correction():
    q = ranking.benjamini_hochberg([0.01, float("nan"), 0.04])
    assert np.isnan(q[1]) and q[[0, 2]] == pytest.approx([0.02, 0.04])


def test_among_twenty_regions_a_lucky_one_is_not_crowned(make_session):
    """19 regions win 50 of 200 deals, one wins 68 of 200: alone, p ≈ 0.004 says it differs; among 20 comparisons
    its q-value is p × 20 ≈ 0.09, above 5 %: Benjamini-Hochberg does not announce it."""
    regions = {f"R{k:02d}": (50, 200) for k in range(19)} | {"Lucky": (68, 200)}
    session = make_session(deals=_deals(regions))
    ranked = ranking.ranking(Analysis(session, MONTH), "region", "win_rate").set_index("value")
    p = _z_test(68, 200, 19 * 50, 19 * 200)
    assert 0.001 < p < 0.05 / 10
    assert ranked.loc["Lucky", "p_value"] == pytest.approx(p)
    assert ranked.loc["Lucky", "q_value"] == pytest.approx(
        scipy_stats.false_discovery_control(ranked["p_value"], method="bh")[ranked.index.get_loc("Lucky")])
    assert ranked.loc["Lucky", "raw_differs"] == 1 and ranked.loc["Lucky", "differs"] == 0
    found = ranking.discoveries(ranked.reset_index())
    assert (found.count, found.kept, found.raw) == (20, 0, 1)
    download = ranking.exported(ranked.reset_index(), get("win_rate"), "region", "fr").set_index("Région")
    assert download.loc["Lucky", "Diffère du reste"] == "non"
    assert download.loc["Lucky", "q (Benjamini-Hochberg)"] == round(ranked.loc["Lucky", "q_value"], 4)
    assert download.loc["Lucky", "Valeur ajustée"] == round(ranked.loc["Lucky", "shrunk"], 3)


def test_a_region_that_truly_differs_keeps_its_verdict(make_session):
    regions = {f"R{k:02d}": (50, 200) for k in range(19)} | {"Strong": (110, 200)}
    session = make_session(deals=_deals(regions))
    ranked = ranking.ranking(Analysis(session, MONTH), "region", "win_rate").set_index("value")
    assert ranked.loc["Strong", "differs"] == 1 and ranked.index[0] == "Strong"
    assert (ranked.drop(index="Strong")["differs"] == 0).all()


def test_a_small_group_first_by_luck_does_not_lead_the_order(make_session):
    """3 of 3 won (100 %) against 340 of 1 000 (34 %) and others near 30 %: raw, the small group leads; pulled
    towards the overall rate by how little 3 deals say, it falls behind the large one. Raw values stay."""
    regions = {"Tiny": (3, 3), "Big": (340, 1000), "A": (150, 500), "B": (160, 500), "C": (140, 500),
               "D": (155, 500)}
    session = make_session(deals=_deals(regions))
    ranked = ranking.ranking(Analysis(session, MONTH), "region", "win_rate")
    assert list(ranked["value"][:2]) == ["Big", "Tiny"]
    raw = ranked.set_index("value")["win_rate"]
    assert raw["Tiny"] == 1 and raw["Big"] == pytest.approx(0.34)
    assert ranked["shrunk"].is_monotonic_decreasing


def test_shrinkage_by_hand():
    """Three values 10, 20, 60 with standard errors 1, 1, 10: weights 1, 1, 0.01; the
    weighted mean 15.2239; Q = 1·5.2239² + 1·4.7761² + 0.01·44.776² = 70.15; τ² = (Q − 2) / (2.01 − 2.0001/2.01)
    = 67.15; each value moves towards the mean by se² / (τ² + se²): 10 → 10.077, 60 → 33.21."""
    values, se = np.array([10.0, 20.0, 60.0]), np.array([1.0, 1.0, 10.0])
    w = 1 / se ** 2
    centre = (w * values).sum() / w.sum()
    q = (w * (values - centre) ** 2).sum()
    tau2 = (q - 2) / (w.sum() - (w ** 2).sum() / w.sum())
    assert centre == pytest.approx(15.2239, abs=1e-4) and tau2 == pytest.approx(67.15, abs=0.01)
    expected = centre + tau2 / (tau2 + se ** 2) * (values - centre)
    assert ranking.shrink(values, se) == pytest.approx(expected)
    assert ranking.shrink(values, se)[[0, 2]] == pytest.approx([10.0767, 33.2115], abs=1e-4)


def test_values_that_agree_are_all_pulled_to_their_mean():
    """No spread beyond chance (τ² = 0): every value is the weighted mean."""
    values = np.array([0.30, 0.31, 0.29, 0.30])
    shrunk = ranking.shrink(values, np.full(4, 0.025))
    assert shrunk == pytest.approx(np.full(4, values.mean()))


def test_funnel_limits_by_hand(make_session):
    regions = {"A": (30, 100), "B": (10, 100), "C": (60, 200)}
    analysis = Analysis(make_session(deals=_deals(regions)), MONTH)
    limits = ranking.funnel_limits(analysis, "region", "win_rate")
    p = 100 / 400
    assert (limits.centre, limits.spread) == pytest.approx((p, math.sqrt(p * (1 - p))))
    low, high = limits.bounds([100, 400], 0.998)
    z = scipy_stats.norm.ppf(0.999)
    assert low == pytest.approx([p - z * math.sqrt(p * (1 - p) / 100), p - z * math.sqrt(p * (1 - p) / 400)])
    assert high == pytest.approx([p + z * math.sqrt(p * (1 - p) / 100), p + z * math.sqrt(p * (1 - p) / 400)])
    assert ranking.funnel_limits(analysis, "region", "deals_won") is None
    tiny_low, tiny_high = limits.bounds([1], 0.998)  # one deal: a rate's limits stay within 0–100 %
    assert (tiny_low[0], tiny_high[0]) == (0, 1)


def test_the_funnel_plot_colours_what_falls_outside(make_session):
    regions = {f"R{k}": (50, 200) for k in range(5)} | {"High": (120, 200)}
    analysis = Analysis(make_session(deals=_deals(regions)), MONTH)
    ranked = ranking.ranking(analysis, "region", "win_rate")
    limits = ranking.funnel_limits(analysis, "region", "win_rate")
    figure = charts.funnel_plot(ranked, get("win_rate"), "region", limits, "fr")
    points = figure.data[-1]
    colours = dict(zip((row[0] for row in points.customdata), points.marker.color))
    assert colours["High"] == charts.RED and colours["R0"] == charts.BLUE
    assert len(figure.data) == 5  # two limits × two edges, and the points


def test_the_page_ranks_with_the_correction_and_offers_the_funnel_plot():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update({"granularity": "quarter", "period": "2026-Q3"})
    at.run()
    at.switch_page("views/compare.py").run()
    at.selectbox(key="compare_rank").set_value("win_rate").run()
    assert not at.exception
    assert any("se distinguent vraiment du reste" in text.value for text in at.markdown)
    at.segmented_control(key="compare_view").set_value("funnel").run()
    assert not at.exception
    charts_shown = [chart for chart in at.get("plotly_chart")]
    assert any("selon la taille" in chart.proto.spec for chart in charts_shown)
    at.selectbox(key="compare_rank").set_value("revenue").run()
    assert not at.exception
    assert any(text.value.startswith("L'entonnoir de contrôle lit un taux") for text in at.info)
