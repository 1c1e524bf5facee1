"""The hostile corpus (tests/data/hostile.py) through the core path the upload page and the CLI call: every case
ends in one sentence or in a load whose counts add up; what it loads is safe to show, compute and export."""

from __future__ import annotations

import csv
import io
import math
from datetime import date

import openpyxl
import pandas as pd
import pytest

from kpi_core import custom
from kpi_core.analysis import Analysis, Selection
from kpi_core.export import csv_bytes, excel_bytes, file_name
from kpi_core.i18n import t
from kpi_core.ingest import Prepared, prepare_file
from kpi_core.mapping import Mapping
from kpi_core.mapping_file import InvalidMapping
from kpi_core.periods import Granularity, parse_period
from kpi_core.reader import UnreadableFile
from kpi_core.recognition import read_with
from kpi_core.session import Session
from kpi_core.validation import rejected_with_reasons
from tests.data.hostile import CASES, Loaded, Refused, mapping_text, workbook

FAMILIES = {"security", "mapping", "numbers", "dates", "limits", "workbooks", "archives", "rows", "decoding"}


def outcome(case) -> tuple[Mapping | None, object]:
    """(the mapping, the prepared file) or (None, the refusal), as the upload page and the CLI get them."""
    try:
        text = mapping_text(case)
        mapping = Mapping.from_json(text) if text is not None else Mapping()
        raw, _ = read_with(case.build(), case.name, mapping)
        prepared = prepare_file(raw, mapping)
    except (UnreadableFile, InvalidMapping) as refusal:
        return None, refusal
    return mapping, (raw, prepared)


def test_the_corpus_covers_every_family_with_forty_cases():
    assert len(CASES) >= 40 and {case.family for case in CASES} == FAMILIES
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", [c for c in CASES if isinstance(c.expected, Refused)], ids=lambda c: c.name)
def test_refused_with_one_sentence(case):
    _, refusal = outcome(case)
    assert isinstance(refusal, UnreadableFile | InvalidMapping), refusal
    assert refusal.reason == case.expected.key
    for lang in ("fr", "en"):
        sentence = t(refusal.reason, lang, **refusal.details)
        assert sentence.endswith(".") and "\n" not in sentence and "{" not in sentence and len(sentence) < 400


@pytest.mark.parametrize("case", [c for c in CASES if isinstance(c.expected, Loaded)], ids=lambda c: c.name)
def test_loaded_with_every_row_accounted_for(case):
    mapping, result = outcome(case)
    assert mapping is not None, t(result.reason, "en", **result.details)
    raw, prepared = result
    expected: Loaded = case.expected
    assert (prepared.dataset, prepared.rows_read, len(prepared.accepted), len(prepared.rejected)) == (
        expected.dataset, expected.read, expected.accepted, expected.rejected)
    assert prepared.rows_read == len(prepared.accepted) + len(prepared.rejected)
    assert {(problem.column, problem.check) for problem in prepared.problems} == set(expected.checks)
    assert {note for note, _ in raw.notes} == set(expected.notes)
    assert tuple(prepared.missing_columns) == expected.missing
    if expected.rows is not None:
        assert sorted({problem.row for problem in prepared.problems}) == list(expected.rows)
    for problem in prepared.problems:  # a quoted cell is short enough to read in a message
        assert len(problem.value) <= 81
    if "region" in case.extra:
        assert prepared.accepted["region"].iloc[0] == case.extra["region"]
    if "custom_problem" in case.extra:
        compiled = custom.compile_all(mapping.custom_kpis)
        assert not compiled.kpis and [p for p, _ in compiled.unusable[0].problems()] == [case.extra["custom_problem"]]


def _loaded(name: str) -> Prepared:
    return outcome(next(case for case in CASES if case.name == name))[1][1]


def test_notes_name_the_sheets_and_the_replaced_lines():
    case = next(case for case in CASES if case.name == "utf8_with_one_bad_byte.csv")
    raw, _ = outcome(case)[1]
    assert t(*raw.notes[0][:1], "fr", **raw.notes[0][1]) == (
        "Quelques octets ne sont pas du utf-8 valide : ils sont remplacés par « \ufffd » sur 1 ligne(s) (dont 4) ; "
        "vérifiez ces lignes dans l'export.")
    two = outcome(next(case for case in CASES if case.name == "orders_on_two_sheets.xlsx"))[1][1]
    assert two.accepted["source_row"].tolist()[:2] == ["Juin!2", "Juin!3"]
    assert two.accepted["source_row"].tolist()[-1] == "Juillet!16"
    left_out = outcome(next(case for case in CASES if case.name == "two_sheets_two_kinds.xlsx"))[1][0]
    assert t(left_out.notes[0][0], "fr", **left_out.notes[0][1]).startswith("La feuille « Objectifs » (1 lignes)")


def test_a_formula_after_a_bare_carriage_return_is_quoted_and_neutralised():
    rejected = rejected_with_reasons(_loaded("cr_formula_unquoted.csv"), "fr")
    lines = csv_bytes(rejected, "fr").decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(lines, newline=""), delimiter=";"))[1][0] == "'=cmd|' /C calc'!A0"
    prepared = _loaded("cr_formula.csv")
    download = csv_bytes(prepared.accepted, "fr").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(download, newline=""), delimiter=";"))
    assert len(rows) == 3  # the header and two orders: the CR inside the cell starts no row
    assert rows[1][4] == "Paris\r'=cmd|' /C calc'!A0"
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)
    frame = pd.read_csv(io.StringIO(download), sep=";", dtype=str)
    assert len(frame) == 2 and frame["region"].tolist() == ["Paris\r'=cmd|' /C calc'!A0", "Lyon"]
    book = openpyxl.load_workbook(io.BytesIO(excel_bytes(prepared.accepted, "ventes")))
    assert book.active["E2"].value.splitlines() == ["Paris", "'=cmd|' /C calc'!A0"]  # XML reads CR back as LF


def test_a_file_named_with_brackets_downloads_its_rejected_rows():
    prepared = _loaded("ventes[2026]*.csv")
    rejected = rejected_with_reasons(prepared, "fr")
    name = "ventes[2026]*_lignes_rejetees"
    book = openpyxl.load_workbook(io.BytesIO(excel_bytes(rejected, name)))
    assert book.sheetnames == ["ventes-2026--_lignes_rejetees"]
    assert book.active["A2"].value == "F2" and "illisible" in book.active["G2"].value
    assert file_name(name, {}) == "ventes-2026-_lignes_rejetees"


def test_placeholder_dates_never_move_the_analysis_date():
    session = Session()
    session.load("orders", _loaded("order_date_2099.csv").accepted)
    session.load("deals", _loaded("deals_close_dates.csv").accepted)
    assert session.date_range() == (date(2026, 6, 1), date(2026, 6, 20))  # D1's planned close is not an event
    session.close()


def test_order_lines_near_the_bound_add_up_to_a_finite_revenue():
    session = Session()
    session.load("orders", _loaded("order_lines_near_the_bound.csv").accepted)
    analysis = Analysis(session, Selection(Granularity.MONTH, parse_period("2026-06", Granularity.MONTH)))
    revenue = analysis.scorecard(["revenue"])["revenue"].value
    assert math.isfinite(revenue) and revenue == 1.8e12
    session.close()


def test_excel_numbers_used_as_ids_read_as_written():
    """calamine gives every Excel number as a float: an id column, numeric or mixed, still reads `1001`."""
    data = workbook({"V": [["Facture", "Client", "Date", "Montant"], [1001, "A", "01/06/2026", 10],
                            ["F-2", 2002, "01/06/2026", 5]]})
    raw, _ = read_with(data, "ids.xlsx", Mapping())
    accepted = prepare_file(raw, Mapping()).accepted
    assert accepted[["order_id", "customer_id"]].to_numpy().tolist() == [["1001", "A"], ["F-2", "2002"]]
