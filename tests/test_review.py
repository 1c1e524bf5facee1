"""The monthly report: the figures the app shows, in the PDF's text (pdftotext) and the HTML; sections only for the
data loaded; no network; the CLI's html and pdf."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from kpi_core import review, review_html, review_pdf
from kpi_core.analysis import Analysis, Selection
from kpi_core.families import CORE
from kpi_core.formatting import format_value, period_label
from kpi_core.i18n import t
from kpi_core.ingest import prepare_file
from kpi_core.mapping import Mapping
from kpi_core.periods import Granularity, parse_period
from kpi_core.reader import read_path
from kpi_core.session import Session
from tests.conftest import SAMPLE

ALL = ("orders", "deals", "activities", "leads", "spend", "targets")


def pdf_text(content: bytes, tmp_path) -> str:
    """The PDF's text as a reader copying it would get (poppler's pdftotext, installed by `make test`)."""
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: `make test` installs poppler-utils")
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return _plain(subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                                 check=True).stdout)


def _plain(text: str) -> str:
    return re.sub(r"[\u00a0\u202f]", " ", text)


@pytest.fixture(scope="module")
def sessions():
    opened = {}

    def session(datasets: tuple[str, ...]) -> Session:
        if datasets not in opened:
            opened[datasets] = Session()
            for dataset in datasets:
                opened[datasets].load(dataset, prepare_file(read_path(SAMPLE / f"{dataset}.csv"), Mapping(),
                                                            dataset).accepted)
        return opened[datasets]
    yield session
    for session in opened.values():
        session.close()


CASES = [  # datasets, granularity, period, filters, language
    (ALL, Granularity.MONTH, "2026-08", {}, "fr"),
    (ALL, Granularity.QUARTER, "2026-Q3", {"region": ("Paris",)}, "en"),
    (("orders",), Granularity.MONTH, "2026-08", {}, "en"),
    (ALL, Granularity.MONTH, "2026-06", {"segment": ("PME",)}, "fr"),
]


@pytest.mark.parametrize(("datasets", "granularity", "period", "filters", "lang"), CASES)
def test_the_report_holds_the_figures_the_app_shows(sessions, tmp_path, datasets, granularity, period, filters,
                                                    lang):
    analysis = Analysis(sessions(datasets), Selection(granularity, parse_period(period, granularity), filters))
    document = review.build(analysis, "exports.csv", lang)
    text, html = pdf_text(review_pdf.render(document), tmp_path), _plain(review_html.render(document))
    cards = analysis.scorecard([kpi_id for kpi_id in CORE if analysis.available(kpi_id)])
    shown = {kpi_id: _plain(format_value(result.value, result.kpi.unit, lang, decimals=result.kpi.decimals))
             for kpi_id, result in cards.items()}
    for kpi_id, value in shown.items():  # as the cards of the home page write them
        line = next(line for line in text.splitlines() if line.strip().startswith(cards[kpi_id].kpi.label[lang]))
        assert value in line, (kpi_id, value, line)
        assert f">{value}<" in html, (kpi_id, value)
    title = _plain(f"{t('review.title', lang)} — {period_label(analysis.period, lang)}")
    assert title in text and f"<title>{title}</title>" in html
    assert "exports.csv" in text
    for dimension, values in filters.items():
        assert f"{t(f'dimension.{dimension}', lang)} = {', '.join(values)}" in text
    pages = text.count("\f")  # pdftotext ends each page with a form feed
    assert _plain(t("review.page", lang, page=pages, pages=pages)) in text
    has_deals = "deals" in datasets
    for key, expected in [("review.funnel", has_deals), ("page.team", has_deals), ("page.targets", has_deals),
                          ("review.at_risk", True), ("review.methods", True)]:
        assert (_plain(t(key, lang)) in text) is expected, key


def test_the_acceptance_figures_of_august_2026(sessions, tmp_path):
    """The issue's own numbers: revenue 317 867 € and retention 59,2 % for 2026-08, in both formats."""
    analysis = Analysis(sessions(ALL), Selection(Granularity.MONTH, parse_period("2026-08")))
    document = review.build(analysis, "sample", "fr")
    for text in (pdf_text(review_pdf.render(document), tmp_path), _plain(review_html.render(document))):
        assert "317 867 €" in text and "59,2 %" in text


class _Loads(HTMLParser):
    """Every address a page would fetch by itself: src, href of links and stylesheets, CSS url()."""

    def __init__(self):
        super().__init__()
        self.addresses, self.in_script = [], False

    def handle_starttag(self, tag, attrs):
        self.in_script = tag == "script"
        for name, value in attrs:
            if name in ("src", "href", "data", "poster") and value:
                self.addresses.append(value)

    def handle_data(self, data):
        if not self.in_script:
            self.addresses += re.findall(r"url\(([^)]*)\)|@import\s+['\"]([^'\"]+)", data)


def test_the_html_report_is_one_file_that_fetches_nothing(sessions):
    analysis = Analysis(sessions(ALL), Selection(Granularity.MONTH, parse_period("2026-08")))
    html = review_html.render(review.build(analysis, "sample", "fr"))
    parser = _Loads()
    parser.feed(html)
    assert parser.addresses == []
    assert html.count("Plotly.newPlot") == sum(isinstance(block, review.Figure) for section in
                                               review.build(analysis, "sample", "fr").sections
                                               for block in section.blocks)
    assert html.count("<script type=\"text/javascript\">/**\n* plotly.js") == 1  # plotly.js embedded once


def test_a_report_without_data_says_so(tmp_path):
    empty = Session()
    try:
        document = review.build(Analysis(empty), "—", "en")
        assert t("review.no_data", "en") in pdf_text(review_pdf.render(document), tmp_path)
    finally:
        empty.close()


@pytest.mark.parametrize("fmt", ["pdf", "html"])
def test_the_command_line_writes_the_report(tmp_path, fmt):
    from kpi_core.cli import main

    output = tmp_path / f"report.{fmt}"
    files = [argument for dataset in ALL for argument in (f"--{dataset}", str(SAMPLE / f"{dataset}.csv"))]
    assert main(["report", *files, "--period", "2026-08", "--format", fmt, "--output", str(output),
                 "--lang", "fr"]) == 0
    text = pdf_text(output.read_bytes(), tmp_path) if fmt == "pdf" else _plain(output.read_text(encoding="utf-8"))
    assert "317 867 €" in text and "59,2 %" in text
    assert "orders.csv" in text


def test_under_a_region_filter_the_comparison_is_on_a_dimension_left_free(sessions):
    """Filtered on Paris, "Paris against the rest" would compare Paris with nothing: the report compares the
    segments inside Paris instead, with a revenue on both sides."""
    analysis = Analysis(sessions(ALL), Selection(Granularity.MONTH, parse_period("2026-08"),
                                                 {"region": ("Paris",)}))
    section = next(s for s in review.build(analysis, "sample", "en").sections if s.title == t("review.compare", "en"))
    intro = section.blocks[0].text
    assert "(segment)" in intro and "Paris" not in intro
    table = next(block.frame for block in section.blocks if isinstance(block, review.Table))
    revenue = table.iloc[0]
    assert revenue.iloc[0] == "Revenue" and "—" not in (revenue.iloc[1], revenue.iloc[2])
