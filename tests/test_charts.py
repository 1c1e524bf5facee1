"""Figures read in the user's language: value axes and hover text written as the cards write numbers."""

import pandas as pd
import pytest

from kpi_core import catalog, charts
from kpi_core.periods import parse_period

NNBSP, NBSP = "\u202f", "\u00a0"


def _trend(kpi_id: str, values: list[float]) -> pd.DataFrame:
    periods = [parse_period(f"2026-{month:02d}") for month in range(1, len(values) + 1)]
    return pd.DataFrame({"period": periods, kpi_id: values, "partial": [False] * len(values)})


@pytest.mark.parametrize("lang, tick, hover", [
    ("fr", f"600{NBSP}k{NBSP}€", f"janv. 2026 : 463{NNBSP}000{NBSP}€"),
    ("en", "€600K", "Jan 2026: €463,000"),
])
def test_a_revenue_trend_reads_in_the_users_language(lang, tick, hover):
    figure = charts.trend(_trend("revenue", [463_000, 639_276]), catalog.get("revenue"), lang, bars=True)
    assert tick in figure.layout.yaxis.ticktext
    trace = figure.data[0]
    shown = trace.hovertemplate.replace("%{x}", trace.x[0]).replace("%{customdata}", trace.customdata[0])
    assert shown == hover + "<extra></extra>"


def test_a_rate_by_region_says_how_many_observations_it_rests_on():
    kpi = catalog.get("win_rate")
    table = pd.DataFrame({"region": ["Paris", "Lyon"], "win_rate": [0.25, 0.5],
                          kpi.numerator: [58, 10], kpi.denominator: [232, 20]})
    figure = charts.breakdown(table, "region", kpi, "fr")
    assert [tuple(point) for point in figure.data[0].customdata] == [
        ("Paris", f"25,0{NNBSP}% (58 / 232)"), ("Lyon", f"50,0{NNBSP}% (10 / 20)")]
    assert f"40{NNBSP}%" in figure.layout.xaxis.ticktext


def test_a_funnel_and_lost_reasons_write_counts_with_separators():
    stages = pd.DataFrame({"stage": ["A", "B"], "reached": [12_400, 3_100], "conversion_from_previous": [None, 0.25],
                           "maturity_from_previous": [None, 0]})
    assert list(charts.funnel(stages, "fr").data[0].text) == [f"12{NNBSP}400", f"3{NNBSP}100 (25,0{NNBSP}%)"]
    lost = pd.DataFrame({"reason": ["Prix"], "deals": [1_500], "amount": [2_000_000.0]})
    assert f"1{NNBSP}500" in charts.lost_reasons(lost, "fr").layout.xaxis.ticktext


def test_a_narrow_funnel_stage_is_labelled_beside_its_bar_and_no_label_shrinks_unreadable():
    """On a phone a stage with few deals is a sliver: its label goes beside it rather than shrinking to nothing."""
    stages = pd.DataFrame({"stage": ["A", "B", "C", "D"], "reached": [451, 160, 47, 0],
                           "conversion_from_previous": [None, 0.35, 0.29, 0.0],
                           "maturity_from_previous": [None, 0, 0, 0]})
    figure = charts.funnel(stages, "fr")
    assert list(figure.data[0].textposition) == ["inside", "inside", "outside", "outside"]
    assert figure.layout.uniformtext.minsize == 10 and figure.layout.uniformtext.mode == "hide"
