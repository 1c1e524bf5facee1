"""Downloads hold the figures as the page shows them: rounded as displayed, in the spreadsheet's number formats."""

import io

import openpyxl
import pandas as pd
import pytest

from kpi_core.export import csv_bytes, displayed, excel_bytes

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
