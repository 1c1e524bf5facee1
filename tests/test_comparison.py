"""Paris against the other regions on the sample company, checked against an independent pandas/scipy computation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as scipy_stats

from kpi_core.analysis import Analysis, Selection
from kpi_core.comparison import compare
from kpi_core.engine import Grouping
from kpi_core.mapping import Mapping
from kpi_core.periods import Granularity, parse_period
from kpi_core.ranking import ranking
from tests.conftest import SAMPLE, sample_frames, session_of

QUARTER = ("2026-07-01", "2026-10-01")


@pytest.fixture(scope="module")
def sample_session():
    session = session_of(sample_frames("orders", "deals"))
    yield session
    session.close()


@pytest.fixture(scope="module")
def paris_vs_rest(sample_session):
    analysis = Analysis(sample_session, Selection(Granularity.QUARTER, parse_period("2026-Q3")))
    return {result.kpi.id: result for result in compare(analysis, Grouping("region", ("Paris",)))}


def _independent_baskets():
    lines = pd.read_csv(SAMPLE / "orders.csv", parse_dates=["order_date"], dtype={"order_id": str})
    orders = lines.groupby("order_id").agg(date=("order_date", "min"), total=("amount", "sum"),
                                           region=("region", "first"))
    lines = lines.join(orders[["date"]], on="order_id")
    in_quarter = lines[(lines["date"] >= QUARTER[0]) & (lines["date"] < QUARTER[1]) & lines["region"].notna()]
    sales = orders[(orders["date"] >= QUARTER[0]) & (orders["date"] < QUARTER[1]) & (orders["total"] > 0)
                   & orders["region"].notna()]
    result = {}
    for name, in_group in (("A", lambda r: r == "Paris"), ("B", lambda r: r != "Paris")):
        group_sales = sales[in_group(sales["region"])]["total"]
        revenue = in_quarter[in_group(in_quarter["region"])]["amount"].sum()
        result[name] = (revenue / len(group_sales), group_sales.to_numpy())
    return result


def test_basket_matches_an_independent_computation(paris_vs_rest):
    basket = paris_vs_rest["avg_basket"]
    expected = _independent_baskets()
    assert basket.a.value == pytest.approx(expected["A"][0])
    assert basket.b.value == pytest.approx(expected["B"][0])
    assert (basket.a.observations, basket.b.observations) == (len(expected["A"][1]), len(expected["B"][1]))
    reference = scipy_stats.ttest_ind(expected["A"][1], expected["B"][1], equal_var=False)
    assert basket.p_value == pytest.approx(reference.pvalue)
    half = scipy_stats.t.ppf(0.975, len(expected["A"][1]) - 1) * scipy_stats.sem(expected["A"][1])
    assert (basket.a.low, basket.a.high) == (pytest.approx(expected["A"][0] - half),
                                             pytest.approx(expected["A"][0] + half))
    assert basket.verdict == ("compare.verdict.not_significant" if reference.pvalue >= 0.05 else
                              "compare.verdict.higher" if expected["A"][0] > expected["B"][0]
                              else "compare.verdict.lower")


def _independent_steps(deals: pd.DataFrame) -> list[tuple[int, int]]:
    """(moved on, decided) per transition: a deal still open at a stage has not decided."""
    rank = deals["stage"].map({stage: n for n, stage in enumerate(Mapping().stages, start=1)})
    steps = []
    for k in range(1, len(Mapping().stages)):
        reached, still_open = (rank >= k).sum(), ((rank == k) & (deals["status"] == "open")).sum()
        steps.append((int((rank > k).sum()), int(reached - still_open)))
    return steps


def test_conversion_matches_an_independent_computation(sample_session):
    """Q2 2026 has settled: overall conversion = the product of each step's rate on decided deals, with a
    delta-method interval on the log scale and a z-test of the log ratio."""
    analysis = Analysis(sample_session, Selection(Granularity.QUARTER, parse_period("2026-Q2")))
    conversion = {r.kpi.id: r for r in compare(analysis, Grouping("region", ("Paris",)))}["overall_conversion"]
    deals = pd.read_csv(SAMPLE / "deals.csv", parse_dates=["created_date"])
    deals = deals[(deals["created_date"] >= "2026-04-01") & (deals["created_date"] < "2026-07-01")
                  & deals["region"].notna()]
    paris = deals["region"] == "Paris"
    steps = {"A": _independent_steps(deals[paris]), "B": _independent_steps(deals[~paris])}
    z = scipy_stats.norm.ppf(0.975)
    for group, estimate in (("A", conversion.a), ("B", conversion.b)):
        value = np.prod([moved / decided for moved, decided in steps[group]])
        spread = np.sqrt(sum((1 - moved / decided) / moved for moved, decided in steps[group]))
        assert (estimate.value, estimate.low, estimate.high) == (
            pytest.approx(value), pytest.approx(value * np.exp(-z * spread)), pytest.approx(value * np.exp(z * spread)))
        assert estimate.observations == min(decided for _, decided in steps[group])
    log_ratio = np.log(conversion.a.value / conversion.b.value)
    spread = np.sqrt(sum((1 - m / d) / m for m, d in steps["A"] + steps["B"]))
    assert conversion.p_value == pytest.approx(2 * scipy_stats.norm.sf(abs(log_ratio) / spread))
    assert conversion.tested


def test_a_young_quarter_compares_no_conversion(paris_vs_rest):
    """Most of Q3 2026's deals at Négociation are still open: neither group's conversion can be read."""
    conversion = paris_vs_rest["overall_conversion"]
    assert conversion.a.value is None and conversion.b.value is None and conversion.p_value is None
    assert conversion.verdict == "compare.verdict.missing"


def test_totals_are_compared_without_a_test(paris_vs_rest):
    revenue = paris_vs_rest["revenue"]
    assert not revenue.tested and revenue.p_value is None and revenue.verdict == "compare.verdict.total"
    absolute, relative = revenue.difference
    assert absolute == pytest.approx(revenue.a.value - revenue.b.value)


def test_chosen_values_for_b_leave_the_others_out(sample_session):
    analysis = Analysis(sample_session, Selection(Granularity.QUARTER, parse_period("2026-Q3")))
    everyone = {r.kpi.id: r for r in compare(analysis, Grouping("region", ("Paris",)))}
    lyon = {r.kpi.id: r for r in compare(analysis, Grouping("region", ("Paris",), ("Auvergne-Rhône-Alpes",)))}
    assert lyon["revenue"].a.value == everyone["revenue"].a.value
    assert lyon["revenue"].b.value < everyone["revenue"].b.value


def test_the_page_states_the_verdict_of_the_independent_computation():
    from streamlit.testing.v1 import AppTest

    from kpi_core.formatting import format_change
    from tests.conftest import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.session_state["granularity"] = "quarter"
    at.session_state["period_quarter"] = "2026-Q3"
    at.switch_page("views/compare.py").run()
    assert not at.exception
    assert at.title[0].value == "Segments & régions — T3 2026"
    expected = _independent_baskets()
    (a, a_sales), (b, b_sales) = expected["A"], expected["B"]
    gap = format_change(a - b, a / b - 1, "currency", "fr").lstrip("+-")
    p_value = scipy_stats.ttest_ind(a_sales, b_sales, equal_var=False).pvalue
    if p_value < 0.05:
        sentence = (f"Panier moyen : {gap} {'de plus' if a > b else 'de moins'} pour Paris que pour les autres, "
                    "différence significative à 95\u202f%.")
    else:
        sentence = f"Panier moyen : écart de {gap} entre Paris et les autres, non significatif à 95\u202f%."
    shown = [box.value for box in at.success] + [box.value for box in at.info]
    assert sentence in shown
    table = at.dataframe[0].value.set_index("Indicateur")
    assert table.loc["Panier moyen", "Écart A − B"] == format_change(a - b, a / b - 1, "currency", "fr")
    assert table.loc["Panier moyen", "Observations A / B"] == f"{len(a_sales)} / {len(b_sales)}"


def test_ranking_of_regions_matches_an_independent_computation(sample_session):
    analysis = Analysis(sample_session, Selection(Granularity.QUARTER, parse_period("2026-Q3")))
    ranked = ranking(analysis, "region", "avg_basket")
    lines = pd.read_csv(SAMPLE / "orders.csv", parse_dates=["order_date"], dtype={"order_id": str})
    orders = lines.groupby("order_id").agg(date=("order_date", "min"), total=("amount", "sum"),
                                           region=("region", "first"))
    lines = lines.join(orders[["date"]], on="order_id")
    in_quarter = lines[(lines["date"] >= QUARTER[0]) & (lines["date"] < QUARTER[1])]
    sales = orders[(orders["date"] >= QUARTER[0]) & (orders["date"] < QUARTER[1]) & (orders["total"] > 0)]
    expected = []
    for region, group_sales in sales.groupby("region")["total"]:
        basket = in_quarter.loc[in_quarter["region"] == region, "amount"].sum() / len(group_sales)
        half = scipy_stats.t.ppf(0.975, len(group_sales) - 1) * scipy_stats.sem(group_sales)
        expected.append((region, basket, basket - half, basket + half, len(group_sales)))
    # Ordered by the shrunk basket (tests/test_ranking.py), each region's own figures as computed here.
    assert sorted(ranked["value"]) == sorted(row[0] for row in expected)
    assert ranked["shrunk"].is_monotonic_decreasing
    rows = {row["value"]: row for row in ranked.to_dict("records")}
    for got, (_region, basket, low, high, count) in ((rows[row[0]], row) for row in expected):
        assert (got["avg_basket"], got["low"], got["high"]) == (pytest.approx(basket), pytest.approx(low),
                                                                pytest.approx(high))
        assert got["observations"] == count and got["small"] == (count < 30)


def test_ranking_of_a_rate_uses_wilson_intervals_and_flags_small_groups(sample_session):
    analysis = Analysis(sample_session, Selection(Granularity.WEEK, parse_period("2026-W41")))
    ranked = ranking(analysis, "rep", "win_rate")
    deals = pd.read_csv(SAMPLE / "deals.csv", parse_dates=["closed_date"])
    deals = deals[(deals["closed_date"] >= "2026-10-05") & (deals["closed_date"] < "2026-10-12")]
    for got in ranked.to_dict("records"):
        mine = deals[deals["rep"] == got["value"]]
        won, closed = int((mine["status"] == "won").sum()), int(mine["status"].isin(["won", "lost"]).sum())
        low, high = scipy_stats.binomtest(won, closed).proportion_ci(method="wilson")
        assert (got["win_rate"], got["low"], got["high"]) == (
            pytest.approx(won / closed), pytest.approx(low), pytest.approx(high))
        assert got["small"] == (closed < 30)
    assert list(ranked["shrunk"]) == sorted(ranked["shrunk"], reverse=True)
    assert ranked["small"].any(), "a rep's week of deals is a small group"


def test_ranking_of_a_total_has_no_interval(sample_session):
    analysis = Analysis(sample_session, Selection(Granularity.QUARTER, parse_period("2026-Q3")))
    ranked = ranking(analysis, "region", "revenue")
    assert ranked["low"].isna().all() and not ranked["small"].any()
    by_region = {row["value"]: row["revenue"] for row in ranked.to_dict("records")}
    assert sum(by_region.values()) == pytest.approx(analysis.scorecard(["revenue"])["revenue"].value)


def _compare_page(**query):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update(query)
    at.run()
    at.switch_page("views/compare.py").run()
    assert not at.exception
    return at


def _figures(at) -> dict:
    import json

    figures = {}
    for element in at.get("plotly_chart"):
        figure = json.loads(element.proto.spec)
        figures[figure["layout"]["title"]["text"]] = figure
    return figures


def test_a_shared_link_reopens_the_comparison_with_its_ranking_and_map(sample_session):
    at = _compare_page(granularity="quarter", period="2026-Q3", by="region", a="Grand Est", rank="win_rate")
    assert at.selectbox(key="compare_by").value == "region"
    assert at.multiselect(key="compare_a_region").value == ["Grand Est"]
    assert at.selectbox(key="compare_rank").value == "win_rate"
    figures = _figures(at)
    ranked = ranking(Analysis(sample_session, Selection(Granularity.QUARTER, parse_period("2026-Q3"))), "region",
                     "win_rate")
    bars = figures["Taux de signature — Région"]["data"][0]
    assert [value for value, _ in bars["customdata"]] == list(ranked["value"])[::-1]  # best on top
    points = figures["Taux de signature — carte"]["data"][-1]
    assert len(ranked) == 7 and sorted(value for (value,) in points["customdata"]) == sorted(ranked["value"])
    assert any(box.value.startswith("Taux de signature : ") and "Grand Est" in box.value for box in at.info)


def test_a_dimension_that_is_not_geographic_has_a_ranking_and_no_map():
    at = _compare_page(by="segment", a="PME", b="ETI", rank="avg_basket")
    assert at.segmented_control(key="compare_b_mode").value == "chosen"
    assert at.multiselect(key="compare_b_segment").value == ["ETI"]
    figures = _figures(at)
    assert list(figures) == ["Panier moyen — Segment"]
    assert any("PME" in box.value and "ETI" in box.value for box in [*at.success, *at.info])


def test_values_from_a_link_that_do_not_exist_are_dropped():
    at = _compare_page(by="region", a=["Paris", "Atlantis"], rank="not_a_kpi")
    assert at.multiselect(key="compare_a_region").value == ["Paris"]
    assert at.selectbox(key="compare_rank").value == "avg_basket"


def test_small_groups_are_flagged_in_the_ranking_and_the_table():
    at = _compare_page(granularity="week", period="2026-W41", by="rep", a="Camille Martin", rank="win_rate")
    assert any(box.value.startswith("Petits groupes : ") for box in at.warning)
    table = at.dataframe[0].value.set_index("Indicateur")
    assert "(petit groupe)" in table.loc["Taux de rétention", "Observations A / B"]
    bars = _figures(at)["Taux de signature — Commercial"]["data"][0]
    assert all(label.endswith(" *") for label in bars["y"])


def test_ranking_a_kpi_whose_data_lacks_the_dimension_says_so():
    at = _compare_page(by="source", a="Salon", rank="avg_basket")  # sources are on deals, baskets on orders
    assert any(box.value == "Panier moyen : aucune valeur par « Source » sur la période, ses données n'ont pas "
               "cette colonne." for box in at.info)
    assert not _figures(at)
