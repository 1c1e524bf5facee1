"""The revenue bridge: drivers on hand-computed cases, new vs returning customers in SQL, and the page."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpi_core import bridge, charts
from kpi_core.analysis import Analysis, Selection
from kpi_core.formatting import format_value
from kpi_core.periods import Granularity, parse_period
from tests.conftest import orders_frame
from tests.test_pages import app, sample_orders  # noqa: F401 (fixture)

BEFORE = {"revenue": 40000, "active_customers": 10, "orders_per_customer": 2, "avg_basket": 2000,
          "new_customer_revenue": 5000, "returning_customer_revenue": 35000}
AFTER = {"revenue": 66000, "active_customers": 12, "orders_per_customer": 2.5, "avg_basket": 2200,
         "new_customer_revenue": 16000, "returning_customer_revenue": 50000}


def test_each_driver_explains_its_log_share_of_the_change():
    # 10 customers × 2 orders × 2 000 € = 40 000 € → 12 × 2.5 × 2 200 € = 66 000 €: +26 000 €.
    # Logarithmic mean L = 26 000 / ln(1.65) = 51 919.5 €; customers L·ln(1.2) = 9 466 €,
    # frequency L·ln(1.25) = 11 586 €, basket L·ln(1.1) = 4 948 €.
    found = bridge.bridge(bridge.REVENUE, BEFORE, AFTER)
    assert found.drivers == pytest.approx({"active_customers": 9466.04, "orders_per_customer": 11585.50,
                                           "avg_basket": 4948.46}, abs=0.01)
    assert found.origins == {"new_customer_revenue": 11000, "returning_customer_revenue": 15000}
    assert found.table("fr").to_dict("list") == {
        "kpi": ["Clients actifs", "Commandes par client", "Panier moyen", "CA des nouveaux clients",
                "CA des clients existants"],
        "before": ["10", "2,00", "2\u202f000\xa0€", "5\u202f000\xa0€", "35\u202f000\xa0€"],
        "after": ["12", "2,50", "2\u202f200\xa0€", "16\u202f000\xa0€", "50\u202f000\xa0€"],
        "change": ["+20,0\u202f%", "+25,0\u202f%", "+10,0\u202f%", "+220,0\u202f%", "+42,9\u202f%"],
        "effect": ["+9\u202f466\xa0€", "+11\u202f586\xa0€", "+4\u202f948\xa0€", "+11\u202f000\xa0€",
                   "+15\u202f000\xa0€"],
    }


def test_same_revenue_and_unchanged_drivers_explain_nothing():
    found = bridge.bridge(bridge.REVENUE, BEFORE, BEFORE)
    assert found.drivers == {"active_customers": 0, "orders_per_customer": 0, "avg_basket": 0}


def test_a_period_without_customers_has_origins_but_no_drivers():
    empty = {"revenue": 0, "active_customers": 0, "orders_per_customer": None, "avg_basket": None,
             "new_customer_revenue": None, "returning_customer_revenue": None}
    found = bridge.bridge(bridge.REVENUE, empty, AFTER)
    assert found.drivers is None
    assert found.origins == {"new_customer_revenue": 16000, "returning_customer_revenue": 50000}
    assert bridge.bridge(bridge.REVENUE, {"revenue": None}, AFTER) is None


positive = st.floats(min_value=0.01, max_value=1e6, allow_nan=False)


@given(customers=st.tuples(st.integers(1, 500), st.integers(1, 500)), frequency=st.tuples(positive, positive),
       basket=st.tuples(positive, positive))
def test_drivers_add_up_to_the_change(customers, frequency, basket):
    before, after = ({"revenue": c * f * b, "active_customers": c, "orders_per_customer": f, "avg_basket": b}
                     for c, f, b in zip(customers, frequency, basket))
    found = bridge.bridge(bridge.REVENUE, before, after)
    assert math.isclose(sum(found.drivers.values()), after["revenue"] - before["revenue"],
                        rel_tol=1e-9, abs_tol=1e-6 * max(before["revenue"], after["revenue"]))


def test_new_and_returning_customers_split_the_revenue_in_sql(make_session):
    session = make_session(orders=orders_frame([
        ("F1", "C1", "2025-05-10", 1000.0),  # C1 is known before June
        ("F2", "C1", "2025-06-05", 700.0),
        ("F3", "C2", "2025-06-06", 400.0),  # C2's first order: new in June
        ("F4", "C2", "2025-06-20", 100.0),
        ("A1", "C3", "2025-06-21", -50.0),  # a credit note from a customer with no order: not new
    ]))
    selection = Selection(Granularity.MONTH, parse_period("2025-06"))
    result = Analysis(session, selection).scorecard(list(bridge.REVENUE.kpis))
    values = {k: r.value for k, r in result.items()}
    assert values == pytest.approx({"revenue": 1150, "active_customers": 2, "orders_per_customer": 1.5,
                                    "avg_basket": 1150 / 3, "new_customer_revenue": 500,
                                    "returning_customer_revenue": 650, "anonymous_revenue": 0})
    assert result["new_customer_revenue"].previous == 1000  # May: C1 was new


def test_the_waterfall_runs_from_one_period_to_the_other():
    figure = charts.waterfall(("sept.", 40000), [("Clients", 9466), ("Panier", -1200)], ("oct.", 48266), "fr")
    trace = figure.data[0]
    assert list(trace.measure) == ["absolute", "relative", "relative", "total"]
    assert list(trace.text) == ["40\u202f000\xa0€", "+9\u202f466\xa0€", "-1\u202f200\xa0€", "48\u202f266\xa0€"]


def test_revenue_page_shows_the_bridge_against_september(sample_orders):  # noqa: F811
    at = app()
    at.switch_page("views/revenue.py").run()
    assert not at.exception
    months = {m: sample_orders[sample_orders["order_date"].dt.strftime("%Y-%m") == m] for m in ("2026-09", "2026-10")}
    drivers = {}
    for month, rows in months.items():
        sales = rows[rows["total"] > 0]
        customers, count, revenue = sales["customer_id"].nunique(), sales["order_id"].nunique(), rows["amount"].sum()
        drivers[month] = (revenue, customers, count / customers, revenue / count)
    (r0, *before), (r1, *after) = drivers["2026-09"], drivers["2026-10"]
    weight = (r1 - r0) / math.log(r1 / r0)
    expected = [bridge.signed_euros(weight * math.log(b / a), "fr") for a, b in zip(before, after)]
    firsts = sample_orders[sample_orders["total"] > 0].groupby("customer_id")["order_date"].min()
    new = {m: rows[rows["customer_id"].map(firsts).dt.strftime("%Y-%m") == m]["amount"].sum()
           for m, rows in months.items()}
    expected.append(bridge.signed_euros(new["2026-10"] - new["2026-09"], "fr"))
    expected.append(bridge.signed_euros((r1 - new["2026-10"]) - (r0 - new["2026-09"]), "fr"))
    table = next(frame.value for frame in at.dataframe if "Effet sur le CA" in frame.value.columns)
    assert table["Effet sur le CA"].tolist() == expected
    assert list(table.columns) == ["Facteur", "sept. 2026", "oct. 2026", "Évolution", "Effet sur le CA"]
    assert table["oct. 2026"].iloc[0] == format_value(drivers["2026-10"][1], "count", "fr")

    at.segmented_control(key="bridge_against").set_value("last_year").run()
    table = next(frame.value for frame in at.dataframe if "Effet sur le CA" in frame.value.columns)
    assert list(table.columns)[1:3] == ["oct. 2025", "oct. 2026"]
    october_2025 = sample_orders[sample_orders["order_date"].dt.strftime("%Y-%m") == "2025-10"]
    assert table["oct. 2025"].iloc[0] == format_value(
        october_2025.loc[october_2025["total"] > 0, "customer_id"].nunique(), "count", "fr")



def test_revenue_without_a_customer_is_its_own_origin_and_withholds_the_drivers(make_session):
    orders = orders_frame([("F1", "C1", "2025-05-10", 100.0), ("F2", None, "2025-05-12", 400.0),
                           ("F3", "C1", "2025-06-03", 200.0), ("F4", None, "2025-06-04", 300.0),
                           ("F5", "C2", "2025-06-25", 600.0)])
    analysis = Analysis(make_session(orders=orders), Selection(Granularity.MONTH, parse_period("2025-06")))
    results = analysis.scorecard(list(bridge.REVENUE.kpis))
    found = bridge.bridge(bridge.REVENUE, {k: r.previous for k, r in results.items()},
                                  {k: r.value for k, r in results.items()})
    assert found.drivers is None  # 2 customers × 1 order × 366.67 € basket is not the 1 100 € of revenue
    assert found.origins == {"new_customer_revenue": 500, "returning_customer_revenue": 200, "anonymous_revenue": -100}
    assert sum(found.origins.values()) == found.after - found.before
