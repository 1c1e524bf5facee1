"""A representative part of the hostile corpus through the real upload page (AppTest): one sentence or counts that
add up, never an exception; what a hostile file loads opens every page."""

from __future__ import annotations

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from kpi_core.formatting import escaped, format_value
from kpi_core.i18n import t
from tests.conftest import ROOT
from tests.data.hostile import CASES, Loaded, Refused, mapping_text
from tests.test_hostile import outcome
from ui.layout import PAGES

VIEWS = [path for _, pages in PAGES for path, *_ in pages]
SUBSET = ["gzip_named_csv.csv", "header_200000_columns.csv", "workbook_2000000_rows.xlsx", "amount_1e308.csv",
          "orders_on_two_sheets.xlsx", "utf8_with_one_bad_byte.csv", "markdown_values.csv", "order_date_2099.csv",
          "mapping_rot13.csv", "mapping_deep.csv", "mapping_custom_denominator_list.csv"]


def _case(name: str):
    return next(case for case in CASES if case.name == name)


def upload_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    return at.switch_page("views/upload.py").run()


def _upload(at: AppTest, case) -> AppTest:
    text = mapping_text(case)
    if text is not None:
        at.file_uploader(key="mapping_file").set_value(
            ("mapping.json", text if isinstance(text, bytes) else text.encode(), "application/json"))
        at.run()
    at.file_uploader(key="uploads").set_value([(case.name, case.build(), "text/csv")])
    return at.run()


@pytest.mark.parametrize("name", SUBSET)
def test_the_upload_page_answers_every_case(name):
    case = _case(name)
    at = _upload(upload_page(), case)
    assert not at.exception, [e.value for e in at.exception]
    _, result = outcome(case)
    if isinstance(case.expected, Refused):
        # The page writes Markdown: what came from the file is escaped (`custom\_kpis`).
        assert t(result.reason, "fr", **escaped(result.details)) in [error.value for error in at.error]
        return
    raw, prepared = result
    expected: Loaded = case.expected
    count = [format_value(n, "count", "fr") for n in (expected.read, expected.accepted, expected.rejected)]
    assert [metric.value for metric in at.metric] == count
    warnings = [warning.value for warning in at.warning]
    for note, details in raw.notes:
        assert t(note, "fr", **escaped(details)) in warnings


def test_markdown_in_a_value_or_a_file_name_is_shown_as_text():
    case = _case("markdown_values.csv")
    at = upload_page()
    at.file_uploader(key="uploads").set_value([("![x](http:__127.0.0.1:9_f.png).csv", case.build(), "text/csv")])
    at.run()
    assert not at.exception
    assert at.main.subheader[0].value == "!\\[x\\](http:\\_\\_127.0.0.1:9\\_f.png).csv"


def test_one_good_row_among_100000_loads_and_every_page_opens():
    at = _upload(upload_page(), _case("one_good_row_in_100000.csv"))
    assert [metric.value for metric in at.metric] == ["100\u202f000", "1", "99\u202f999"]
    next(button for button in at.button if button.key is None and "Charger" in button.label).click()
    at.run()
    assert not at.exception
    for view in VIEWS:
        at.switch_page(view).run()
        assert not at.exception, (view, [e.value for e in at.exception])
        assert at.title or at.info, view  # drawn, or saying which data it needs


def test_files_over_the_limit_are_refused_in_words():
    config.set_option("server.maxUploadSize", 1)
    try:
        at = upload_page()
        big = ("gros.csv", b"Facture;Client;Date;Montant\n" + b"F1;A;01/06/2026;10\n" * 60_000, "text/csv")
        small = [(f"petit{n}.csv", b"Facture;Client;Date;Montant\n" + b"F1;A;01/06/2026;10\n" * 30_000,
                  "text/csv") for n in range(4)]
        at.file_uploader(key="uploads").set_value([big, *small])
        at.run()
    finally:
        config.set_option("server.maxUploadSize", 200)
    errors = [error.value for error in at.error]
    assert errors == ["« gros.csv » dépasse 1 Mo : compressez-le (.csv.gz ou .zip : un export de ventes y tient "
                      "souvent en dix fois moins), exportez-le en Parquet, ou filtrez l'export (une période, les "
                      "colonnes utiles).",
                      "« petit3.csv » n'est pas lu : ensemble, les fichiers dépasseraient 2 Mo ; importez-les en "
                      "plusieurs fois."]
    assert [subheader.value for subheader in at.main.subheader] == ["petit0.csv", "petit1.csv", "petit2.csv"]
