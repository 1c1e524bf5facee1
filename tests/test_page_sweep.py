"""Every page, opened with each sidebar filter set to one value, in both languages, raises nothing — and a
deals-only data set still compares regions."""

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from kpi_core.ingest import prepare_file
from kpi_core.mapping import Mapping
from kpi_core.reader import read_path
from kpi_core.session import Session
from tests.conftest import ROOT, SAMPLE, app_on
from ui.layout import PAGES
from ui.tables import CHARACTER_PX, PADDING_PX

VIEWS = [path for _, pages in PAGES for path, *_ in pages]
# One value of each sidebar filter (Paris alone puts a single value on the map of France).
ONE_VALUE = {"region": "Paris", "segment": "Grand compte", "rep": "Léa Moreau", "product": "Conseil"}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("dimension", list(ONE_VALUE))
def test_every_page_opens_filtered_on_one_value(lang, dimension):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = lang
    at.session_state[f"filter_{dimension}"] = [ONE_VALUE[dimension]]
    at.run()
    for view in VIEWS:
        at.switch_page(view).run()
        assert not at.exception, (view, [e.value for e in at.exception])
        assert at.session_state[f"filter_{dimension}"] == [ONE_VALUE[dimension]], view
        assert at.title, view  # the page drew itself, it did not stop on an error


def test_a_deals_only_data_set_compares_regions_on_win_rate_and_conversion():
    session = Session()
    deals = prepare_file(read_path(SAMPLE / "deals.csv"), Mapping(), "deals").accepted
    session.load("deals", deals)
    at = app_on(session, granularity="quarter", period="2026-Q2")
    at.switch_page("views/compare.py").run()
    assert not at.exception
    table = at.dataframe[0].value.set_index("Indicateur")
    assert list(table.index) == ["Conversion globale", "Taux de signature"]
    q2 = deals[(deals["created_date"] >= "2026-04-01") & (deals["created_date"] < "2026-07-01")]
    assert pd.notna(q2["region"]).all() and table.loc["Taux de signature", "A"] != "—"
    assert at.selectbox(key="compare_rank").value in {"overall_conversion", "win_rate"}
    session.close()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_page_says_in_one_sentence_what_question_it_answers(lang):
    from kpi_core.i18n import t
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    for view in VIEWS:
        name = view.removeprefix("views/").removesuffix(".py")
        at.switch_page(view).run()
        shown = [caption.value for caption in at.caption] + [text.value for text in at.markdown]
        assert t(f"{name}.intro", lang) in shown, view
        for table in at.dataframe:  # every header read whole: its column is at least as wide as it
            columns = json.loads(table.proto.columns)
            narrow = [header for header in table.value.columns
                      if columns.get(header, {}).get("width", 0) < CHARACTER_PX * len(header) + PADDING_PX]
            assert narrow == [], (view, narrow)
