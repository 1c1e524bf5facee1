"""Downloads hold the figures as the page shows them: rounded as displayed, in the spreadsheet's number formats."""

import io

import openpyxl
import pandas as pd
import pytest

from kpi_core.export import csv_bytes, displayed, excel_bytes, scorecard

COLUMNS = {"region": ("Région", None), "rate": ("Taux", "percent", 1), "basket": ("Panier", "currency", 0),
           "ratio": ("LTV / CAC", "ratio"), "count": ("Ventes", "count")}
FRAME = pd.DataFrame({"region": ["=Paris", "Lyon"], "rate": [0.240823970, 0.5], "basket": [1062.4567, 999.6],
                      "ratio": [2.4082397003745317, 3.0], "count": [12.0, 7.0], "hidden": [1, 2]})


def test_displayed_rounds_each_figure_as_the_page_shows_it():
    table = displayed(FRAME, COLUMNS)
    assert table.to_dict("list") == {"Région": ["=Paris", "Lyon"], "Taux": [0.241, 0.5], "Panier": [1062, 1000],
                                     "LTV / CAC": [2.4, 3.0], "Ventes": [12, 7]}


@pytest.mark.parametrize(("lang", "expected"), [
    ("fr", ["Région;Taux (%);Panier (€);LTV / CAC;Ventes", "'=Paris;24,1;1062;2,4;12", "Lyon;50,0;1000;3,0;7"]),
    ("en", ["Région,Taux (%),Panier (€),LTV / CAC,Ventes", "'=Paris,24.1,1062,2.4,12", "Lyon,50.0,1000,3.0,7"]),
])
def test_a_csv_writes_rates_in_percent_and_names_the_currency(lang, expected):
    assert csv_bytes(displayed(FRAME, COLUMNS), lang).decode("utf-8-sig").splitlines() == expected


def test_an_excel_file_reads_back_the_displayed_values_in_their_number_formats():
    book = openpyxl.load_workbook(io.BytesIO(excel_bytes(displayed(FRAME, COLUMNS), "régions")))
    sheet = book.active
    assert [cell.value for cell in sheet[2]] == ["'=Paris", 0.241, 1062, 2.4, 12]
    assert [cell.number_format for cell in sheet[2]][1:] == ["0.0%", '#,##0 "€"', "#,##0.0", "#,##0"]


def test_a_pages_cards_download_with_their_comparisons_as_the_cards_say_them():
    """The home page's scorecard as a table: values as shown (a rate in percent), both changes with their reading."""
    from streamlit.testing.v1 import AppTest

    from kpi_core.analysis import Analysis, Selection
    from kpi_core.formatting import format_change
    from kpi_core.periods import Granularity, parse_period
    from tests.conftest import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    analysis = Analysis(at.session_state["kpi_session"], Selection(Granularity.MONTH, parse_period("2026-10")))
    results = analysis.scorecard(["revenue", "retention_rate"])
    table = scorecard(results.values(), "fr").set_index("Indicateur")
    revenue, retention = results["revenue"], results["retention_rate"]
    assert table.loc["Chiffre d'affaires", "Valeur"] == round(revenue.value)
    assert table.loc["Chiffre d'affaires", "Unité"] == "€"
    assert table.loc["Taux de rétention", "Valeur"] == round(retention.value * 100, 1)
    assert table.loc["Taux de rétention", "Unité"] == "%"
    assert table.loc["Chiffre d'affaires", "Évolution"].startswith(
        format_change(*revenue.vs_previous, "currency", "fr"))
    assert table.loc["Taux de rétention", "Évolution vs N-1"].startswith(
        format_change(*retention.vs_last_year, "percent", "fr"))
    assert {"Période précédente", "Même période N-1", "Remarque"} <= set(table.columns)
    assert [button.label for button in at.get("download_button")][:2] == ["CSV", "Excel"]


@pytest.mark.parametrize(("page", "keys"), [
    ("views/home.py", {"home_cards"}),
    ("views/funnel.py", {"funnel_cards", "funnel_download", "funnel_health_cards", "lost_reasons_download",
                         "time_in_stage_download", "funnel_matrix_download"}),
    ("views/revenue.py", {"revenue_cards", "revenue_trend_download", "revenue_by_download"}),
    ("views/retention.py", {"retention_cards", "retention_trend_download", "cohorts_download", "at_risk_download"}),
    ("views/compare.py", {"compare_download", "compare_ranking_download"}),
])
def test_each_page_offers_its_cards_and_tables_to_download(page, keys):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page(page).run()
    assert not at.exception
    offered = {button.proto.id.rsplit("-", 1)[-1].removesuffix("_csv") for button in at.get("download_button")}
    assert keys <= offered, offered
