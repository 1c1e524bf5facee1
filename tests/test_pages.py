"""Every page through Streamlit's AppTest, checking displayed values against plain pandas."""

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from kpi_core.formatting import format_change, format_value
from tests.conftest import ROOT, SAMPLE, app_on, deals_frame, funnel_deals, session_of

TIMEOUT = 120


@pytest.fixture(scope="module")
def sample_orders() -> pd.DataFrame:
    orders = pd.read_csv(SAMPLE / "orders.csv", parse_dates=["order_date"])
    orders["total"] = orders.groupby("order_id")["amount"].transform("sum")
    return orders


def expected_month(orders: pd.DataFrame, month: str) -> dict:
    """The core order KPIs of one month, computed with pandas only."""
    rows = orders[orders["order_date"].dt.strftime("%Y-%m") == month]
    sales = rows[rows["total"] > 0]
    revenue, count = rows["amount"].sum(), sales["order_id"].nunique()
    return {"revenue": revenue, "sales_count": count, "avg_basket": revenue / count,
            "active_customers": sales["customer_id"].nunique()}


def metrics(at: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def choose(at: AppTest, **values) -> AppTest:
    """Set sidebar widgets by key and rerun.

    AppTest drops sidebar elements from its tree after the first rerun of an `st.navigation` app
    (seen with Streamlit 1.67), so widgets are set through session state, as the browser test clicks them.
    """
    for key, value in values.items():
        at.session_state[key] = value
    return at.run()


def app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    return at.run()


def test_home_shows_the_latest_month_of_the_sample(sample_orders):
    at = app()
    assert not at.exception
    expected = expected_month(sample_orders, "2026-10")
    shown = metrics(at)
    assert shown["Chiffre d'affaires"] == format_value(expected["revenue"], "currency", "fr", decimals=0)
    assert shown["Nombre de ventes"] == format_value(expected["sales_count"], "count", "fr")
    assert shown["Panier moyen"] == format_value(expected["avg_basket"], "currency", "fr", decimals=0)
    assert shown["Clients actifs"] == format_value(expected["active_customers"], "count", "fr")
    assert "octobre 2026" in at.title[0].value
    assert any("données d'exemple" in info.value for info in at.info)
    diagnostics = [box.value for box in (*at.error, *at.warning, *at.info, *at.success)]
    assert any("encore ouvertes" in text for text in diagnostics)  # October's deals are still young
    assert shown["Conversion globale"] == "—"  # not "0,0 %": most of October's deals have not decided yet
    # The weakest stage rests on the latest month whose steps have settled, and says so; never on a young step.
    weakest = [text for text in diagnostics if "maillon faible" in text]
    assert len(weakest) == 1 and "créées en juin 2026, dernière période aux taux établis" in weakest[0]
    assert "« Prospect contacté → Rendez-vous »" in weakest[0]
    assert not any("Négociation → Signé" in text for text in diagnostics)
    choose(at, period_month="2026-06")
    weakest = [box.value for box in (*at.warning, *at.error) if "maillon faible" in box.value]
    assert len(weakest) == 1 and weakest[0].startswith("Sur les affaires créées en juin 2026 (")


def test_changes_are_against_the_previous_month(sample_orders):
    at = app()
    october, september = (expected_month(sample_orders, m)["revenue"] for m in ("2026-10", "2026-09"))
    revenue = next(m for m in at.metric if m.label == "Chiffre d'affaires")
    assert revenue.delta == format_change(october - september, october / september - 1, "currency", "fr")
    assert revenue.delta.startswith("-" if october < september else "+")


def test_period_language_and_filter_change_what_is_shown(sample_orders):
    at = app()
    choose(at, period_month="2026-06")
    june = expected_month(sample_orders, "2026-06")
    assert metrics(at)["Chiffre d'affaires"] == format_value(june["revenue"], "currency", "fr", decimals=0)

    choose(at, period_month="2026-06", lang="en")
    assert metrics(at)["Revenue"] == format_value(june["revenue"], "currency", "en", decimals=0)
    assert "June 2026" in at.title[0].value

    choose(at, period_month="2026-06", lang="en", filter_region=["Paris"])
    paris = expected_month(sample_orders[sample_orders["region"] == "Paris"], "2026-06")
    assert metrics(at)["Revenue"] == format_value(paris["revenue"], "currency", "en", decimals=0)


def test_quarter_view_shows_the_quarter(sample_orders):
    """Q2 2026 revenue is April + May + June. (Switching from May to quarters landing on Q2 is proven
    in the real browser: tests/test_browser.py::test_switching_granularity_keeps_the_period_in_view.)"""
    at = choose(app(), granularity="quarter", period_quarter="2026-Q2")
    assert "T2 2026" in at.title[0].value
    quarter = sum(expected_month(sample_orders, m)["revenue"] for m in ("2026-04", "2026-05", "2026-06"))
    assert metrics(at)["Chiffre d'affaires"] == format_value(quarter, "currency", "fr", decimals=0)


def test_funnel_page():
    at = app()
    at.switch_page("views/funnel.py").run()
    assert not at.exception
    deals = pd.read_csv(SAMPLE / "deals.csv", parse_dates=["created_date"])
    october = deals[deals["created_date"].dt.strftime("%Y-%m") == "2026-10"]
    assert metrics(at)["Affaires créées"] == format_value(len(october), "count", "fr")
    table = at.dataframe[0].value
    stages = ["Prospect contacté", "Rendez-vous", "Proposition", "Négociation", "Signé"]
    reached = [int((october["stage"].map(stages.index) >= rank).sum()) for rank in range(5)]
    assert table["Étape"].tolist() == stages
    assert table["Affaires ayant atteint l'étape"].tolist() == [format_value(r, "count", "fr") for r in reached]
    assert any("maillon faible" in w.value for w in at.warning)
    assert any("encore ouvertes" in i.value for i in at.info)


def test_revenue_page(sample_orders):
    at = app()
    at.switch_page("views/revenue.py").run()
    assert not at.exception
    expected = expected_month(sample_orders, "2026-10")
    assert metrics(at)["Panier moyen"] == format_value(expected["avg_basket"], "currency", "fr", decimals=0)
    table = next(frame.value for frame in at.dataframe if "Région" in frame.value.columns)
    october = sample_orders[sample_orders["order_date"].dt.strftime("%Y-%m") == "2026-10"]
    by_region = october.groupby("region")["amount"].sum()
    assert dict(zip(table["Région"], table["Chiffre d'affaires"])) == {
        region: format_value(value, "currency", "fr", decimals=0) for region, value in by_region.items()}


def test_retention_page(sample_orders):
    at = app()
    at.switch_page("views/retention.py").run()
    assert not at.exception
    positive = sample_orders[sample_orders["total"] > 0]
    active = {m: set(positive.loc[positive["order_date"].dt.strftime("%Y-%m") == m, "customer_id"])
              for m in ("2026-09", "2026-10")}
    rate = len(active["2026-09"] & active["2026-10"]) / len(active["2026-09"])
    assert metrics(at)["Taux de rétention"] == format_value(rate, "percent", "fr")
    at_risk = at.dataframe[0].value
    assert len(at_risk) > 0 and "Client" in at_risk.columns
    assert at_risk["Dernière commande"].str.fullmatch(r"\d{1,2} \w+\.? 2026").all()  # dates in French
    assert at_risk["Pourquoi"].str.contains("panier|commandes|sans commande").all()  # each says why
    assert at_risk["Commercial"].notna().all()
    # Revenue fell for every one of them (pandas: the last 3 months against the 3 before), most at risk first.
    sales = sample_orders.assign(month=sample_orders["order_date"].dt.strftime("%Y-%m"))
    recent = sales[sales["month"].between("2026-08", "2026-10")].groupby("customer_id")["amount"].sum()
    before = sales[sales["month"].between("2026-05", "2026-07")].groupby("customer_id")["amount"].sum()
    for customer in at_risk["Client"]:
        assert recent.get(customer, 0) < before[customer], customer
    labels = [button.proto.id.rsplit("-", 1)[-1] for button in at.get("download_button")]
    assert "at_risk_download_csv" in labels and "at_risk_download_xlsx" in labels


def test_data_page_lists_the_datasets():
    at = app()
    at.switch_page("views/data.py").run()
    assert not at.exception
    orders_rows = len(pd.read_csv(SAMPLE / "orders.csv"))
    assert any(format_value(orders_rows, "count", "fr") in md.value for md in at.markdown)


def test_a_page_without_its_data_says_so_kindly():
    at = app_on(session_of({"deals": deals_frame(funnel_deals([10, 5, 2, 1, 1]))}))
    at.switch_page("views/revenue.py").run()
    assert not at.exception
    assert any("Ventes / factures" in info.value for info in at.info)
    at.switch_page("views/funnel.py").run()
    assert metrics(at)["Affaires créées"] == "10"


TO_DATE = ("Période en cours : 6 jours sur 7 écoulés (données jusqu'au 31 oct. 2026), comparée à date aux 6 "
           "premiers jours de chaque période.")


@pytest.mark.parametrize("page, note", [
    ("views/home.py", TO_DATE),
    ("views/revenue.py", TO_DATE),
    ("views/funnel.py", TO_DATE),
    ("views/retention.py", TO_DATE),
    ("views/compare.py", "Période en cours : ses 6 premiers jours, les mêmes pour les deux groupes."),
])
def test_a_period_in_progress_says_it_is_compared_to_date(page, note):
    """The sample ends on Saturday 31 October 2026: its last week has 6 days, compared with 6 days of the others."""
    at = choose(app(), granularity="week", period_week="2026-W44")
    at.switch_page(page).run()
    assert not at.exception
    assert at.title[0].value.endswith("S44 2026")
    assert note in [caption.value for caption in at.caption]


def test_a_finished_period_has_no_to_date_note():
    at = app()
    assert "octobre 2026" in at.title[0].value
    assert not any(caption.value.startswith("Période en cours") for caption in at.caption)


def _october(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    return frame[(frame[column] >= "2026-10-01") & (frame[column] < "2026-11-01")]


def test_pages_open_on_the_granularity_they_are_named_for():
    """Weekly activity opens on the latest week, quarterly economics on the quarter, the team on the month; a
    choice made on the page stays while there."""
    activities = pd.read_csv(SAMPLE / "activities.csv", parse_dates=["activity_date"])
    week = activities[activities["activity_date"].between("2026-10-26", "2026-11-01")
                      & activities["activity_type"].isin(["call", "email"])]
    at = app()
    at.switch_page("views/activity.py").run()
    assert at.title[0].value.endswith("S44 2026") and at.session_state["granularity"] == "week"
    assert metrics(at)["Prises de contact"] == format_value(len(week), "count", "fr")
    at.switch_page("views/economics.py").run()
    assert at.title[0].value.endswith("T4 2026")
    at.switch_page("views/team.py").run()
    assert at.title[0].value.endswith("octobre 2026")
    at.switch_page("views/home.py").run()
    assert at.session_state["granularity"] == "month"


def test_activity_page_counts_contacts_and_meetings_of_the_month():
    activities = _october(pd.read_csv(SAMPLE / "activities.csv", parse_dates=["activity_date"]), "activity_date")
    contacts = activities[activities["activity_type"].isin(["call", "email"])]
    at = app()
    at.switch_page("views/activity.py").run()
    at = choose(at, granularity="month")  # chosen on the page: it stays
    assert not at.exception and at.title[0].value.endswith("octobre 2026")
    shown = metrics(at)
    assert shown["Prises de contact"] == format_value(len(contacts), "count", "fr")
    assert shown["Taux de prise de rendez-vous"] == format_value(contacts["meeting_set"].mean(), "percent", "fr")
    leads = _october(pd.read_csv(SAMPLE / "leads.csv", parse_dates=["created_at", "first_response_at"]),
                     "created_at")
    hours = (leads["first_response_at"] - leads["created_at"]).dt.total_seconds() / 3600
    assert shown["Délai médian de réponse aux leads"] == format_value(hours.median(), "hours", "fr", decimals=1)


def test_team_page_shows_both_win_rates():
    deals = pd.read_csv(SAMPLE / "deals.csv", parse_dates=["created_date", "closed_date"])
    closed = _october(deals, "closed_date")
    won = int((closed["status"] == "won").sum())
    at = app()
    at.switch_page("views/team.py").run()
    assert not at.exception
    shown = metrics(at)
    assert shown["Taux de signature"] == format_value(won / int(closed["status"].isin(["won", "lost"]).sum()),
                                                      "percent", "fr")
    # October's deals are mostly open: the rate on contacted prospects waits for them, and says why.
    assert shown["Taux de signature (sur contactés)"] == "—"
    assert any("de ces affaires sont encore ouvertes" in caption.value for caption in at.caption)
    june = deals[deals["created_date"].dt.strftime("%Y-%m") == "2026-06"]
    choose(at, period_month="2026-06")
    assert metrics(at)["Taux de signature (sur contactés)"] == format_value(
        (june["status"] == "won").sum() / len(june), "percent", "fr")
    leads = _october(pd.read_csv(SAMPLE / "leads.csv", parse_dates=["created_at"]), "created_at")
    assert shown["Leads marketing qualifiés (MQL)"] == format_value(int(leads["is_mql"].sum()), "count", "fr")


def test_economics_page_in_the_quarter(sample_orders):
    firsts = sample_orders[sample_orders["total"] > 0].groupby("customer_id")["order_date"].min()
    new = int(((firsts >= "2026-07-01") & (firsts < "2026-10-01")).sum())
    spend = pd.read_csv(SAMPLE / "spend.csv", parse_dates=["month"])
    quarter_spend = spend[(spend["month"] >= "2026-07-01") & (spend["month"] < "2026-10-01")]["amount"].sum()
    at = choose(app(), granularity="quarter", period_quarter="2026-Q3")
    at.switch_page("views/economics.py").run()
    assert not at.exception
    shown = metrics(at)
    assert shown["Nouveaux clients"] == format_value(new, "count", "fr")
    assert shown["Coût d'acquisition client (CAC)"] == format_value(quarter_spend / new, "currency", "fr", decimals=0)
    quarter = sample_orders[sample_orders["order_date"].between("2026-07-01", "2026-09-30")]
    recurring = quarter[quarter["abonnement"] == "oui"]["amount"].sum()
    assert shown["Revenu récurrent annualisé (ARR)"] == format_value(4 * recurring, "currency", "fr", decimals=0)


def test_targets_page_in_a_month_the_target_was_missed(sample_orders):
    targets = pd.read_csv(SAMPLE / "targets.csv", parse_dates=["period"])
    target = targets[targets["period"] == "2026-08-01"]["target"].sum()
    revenue = expected_month(sample_orders, "2026-08")["revenue"]
    at = choose(app(), period_month="2026-08")
    at.switch_page("views/targets.py").run()
    assert not at.exception
    shown = metrics(at)
    assert shown["Atteinte de l'objectif"] == format_value(revenue / target, "percent", "fr")
    assert shown["Reste à faire"] == format_value(target - revenue, "currency", "fr", decimals=0)
    assert shown["Couverture du pipeline"] != "—"


def test_funnel_page_shows_pipeline_health_and_lost_reasons():
    at = app()
    at.switch_page("views/funnel.py").run()
    assert not at.exception
    assert "Cycle de vente (médiane)" in metrics(at)
    titles = [json.loads(chart.proto.spec)["layout"].get("title", {}).get("text") for chart in at.get("plotly_chart")]
    assert "Affaires perdues sur la période, par raison" in titles


def test_pipeline_coverage_on_the_funnel_page_in_the_quarter(sample_orders):
    """Q4 2026 to date: deals open on 1 November ÷ what is left of the quarter's target after October."""
    deals = pd.read_csv(SAMPLE / "deals.csv", parse_dates=["created_date", "closed_date"])
    open_then = deals[(deals["created_date"] < "2026-11-01")
                      & ((deals["status"] == "open") | (deals["closed_date"] >= "2026-11-01"))]["amount"].sum()
    targets = pd.read_csv(SAMPLE / "targets.csv", parse_dates=["period"])
    remaining = (targets[targets["period"].between("2026-10-01", "2026-12-01")]["target"].sum()
                 - expected_month(sample_orders, "2026-10")["revenue"])
    at = choose(app(), granularity="quarter")
    at.switch_page("views/funnel.py").run()
    assert not at.exception
    assert metrics(at)["Couverture du pipeline"] == format_value(open_then / remaining, "ratio", "fr", decimals=1)


def test_pages_show_their_filters_and_withhold_what_a_filter_cannot_reach(sample_orders):
    """Targets are set per rep, spend for the company, activities have no region: filtered on Paris, the target
    pages and the economics page do not divide Paris figures by company-wide ones, and say which filter a figure
    could not apply."""
    at = choose(app(), filter_region=["Paris"])
    at.switch_page("views/targets.py").run()
    assert not at.exception
    captions = [caption.value for caption in at.caption]
    assert "Région = Paris" in [button.label for button in at.button]  # the filter's chip
    shown = metrics(at)
    paris = sample_orders[(sample_orders["order_date"].dt.strftime("%Y-%m") == "2026-10")
                          & (sample_orders["region"] == "Paris")]
    assert shown["Chiffre d'affaires"] == format_value(paris["amount"].sum(), "currency", "fr", decimals=0)
    assert shown["Atteinte de l'objectif"] == shown["Reste à faire"] == "—"
    assert any(caption.startswith("— « Objectifs » sans colonne « Région »") for caption in captions)
    assert any("sans le filtre Région" in caption for caption in captions)  # the target card itself
    at.switch_page("views/economics.py").run()
    assert metrics(at)["Coût d'acquisition client (CAC)"] == "—"
    at.switch_page("views/activity.py").run()
    assert any("sans le filtre Région" in caption.value for caption in at.caption)  # calls: no region in the data
    at = choose(at, filter_region=[], filter_product=["Conseil"])
    at.switch_page("views/funnel.py").run()
    assert ("Filtres actifs : Produit = Conseil (non appliqué ici : absent des données Opportunités)"
            in [caption.value for caption in at.caption])


def test_every_figure_page_shows_its_view_as_chips_each_filter_removed_in_one_click():
    """The period and granularity, one chip per filter (its cross removes it), "Effacer les filtres" for all."""
    from ui.layout import PAGES

    at = choose(app(), filter_region=["Paris", "Occitanie"], filter_segment=["PME"])
    for path in [path for _, pages in PAGES for path, _, url, _ in pages if url not in ("upload", "data")]:
        at.switch_page(path).run()
        assert not at.exception, path
        badges = [m.value for m in at.markdown if m.value.startswith(":gray-badge[")]  # st.badge, in AppTest
        assert len(badges) == 1, path
        period, granularity = badges[0].removeprefix(":gray-badge[:material/calendar_month: ").rstrip("]").split(" · ")
        assert period in at.title[0].value and granularity in ("Semaine", "Mois", "Trimestre"), path
        labels = [button.label for button in at.button if button.key and button.key.startswith("chip_")]
        assert labels == ["Région = Paris, Occitanie", "Segment = PME", "Effacer les filtres"], path
    revenue = metrics(at.switch_page("views/revenue.py").run())["Chiffre d'affaires"]
    at.button(key="chip_region").click().run()
    assert at.session_state["filter_region"] == [] and at.session_state["filter_segment"] == ["PME"]
    assert metrics(at)["Chiffre d'affaires"] != revenue
    assert [button.label for button in at.button if button.key and button.key.startswith("chip_")] == [
        "Segment = PME", "Effacer les filtres"]
    at.button(key="chip_clear").click().run()
    assert not at.session_state["filter_segment"]
    assert [button.key for button in at.button if button.key and button.key.startswith("chip_")] == []
    assert metrics(at)["Chiffre d'affaires"] == metrics(app().switch_page("views/revenue.py").run())[
        "Chiffre d'affaires"]
