"""A corpus of malformed and hostile files (tests/data/bad/): each gets its expected outcome — one clear
sentence when it cannot be read, otherwise every row accounted for (read = accepted + rejected)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kpi_core import reader
from kpi_core.export import csv_bytes, neutralise
from kpi_core.i18n import t
from kpi_core.ingest import prepare_file
from kpi_core.mapping import Mapping
from kpi_core.reader import UnreadableFile, read_path
from kpi_core.validation import rejected_with_reasons

BAD = Path(__file__).parent / "data" / "bad"

UNREADABLE = [
    ("empty.csv", "file.empty"),
    ("blank_lines.csv", "file.empty"),
    ("binary.csv", "file.binary"),
    ("image_renamed.csv", "file.binary"),
    ("not_a_workbook.xlsx", "file.bad_workbook"),
    ("word_document.xlsx", "file.bad_workbook"),
    ("old_excel.xls", "file.old_excel"),
    ("web_page.xls", "file.html"),
    ("unterminated_quote.csv", "file.unclosed_quote"),
    ("line_of_10000_columns.csv", "file.too_many_fields"),
    ("pdf_text.csv", "file.unknown_dataset"),
    ("unknown_columns.csv", "file.unknown_dataset"),
]

# file → (dataset, rows read, accepted, rejected, {(field, check)}, missing required fields)
PREPARED = [
    ("header_only.csv", "orders", 0, 0, 0, set(), []),
    ("missing_amount_column.csv", "orders", 1, 0, 1, set(), ["amount"]),
    # A row without a customer is kept (a guest checkout), the others are not.
    ("missing_required_values.csv", "orders", 5, 2, 3,
     {("order_id", "check.required"), ("order_date", "check.required"), ("amount", "check.required")}, []),
    # `F2,B,…` in a `;` file is one cell: its row lacks the other fields and says so.
    ("mixed_delimiters.csv", "orders", 3, 2, 1,
     {("order_date", "check.required"), ("amount", "check.required")}, []),
    ("text_in_amounts.csv", "orders", 4, 1, 3, {("amount", "check.number")}, []),
    # 1850 is before any plausible export; 2150 is after tomorrow (an event cannot lie ahead).
    ("impossible_dates.csv", "orders", 7, 1, 6,
     {("order_date", "check.date"), ("order_date", "check.date_range"), ("order_date", "check.future")}, []),
    ("duplicate_deal_ids.csv", "deals", 4, 2, 2, {("deal_id", "check.unique")}, []),
    ("negative_deal_amount.csv", "deals", 2, 1, 1, {("amount", "check.min")}, []),
    ("unknown_status_and_stage.csv", "deals", 3, 1, 2,
     {("status", "check.unknown_value"), ("stage", "check.unknown_value")}, []),
    ("formula_cells.csv", "orders", 4, 3, 1, {("amount", "check.number")}, []),
    ("quoted_newlines.csv", "orders", 2, 2, 0, set(), []),
    # A 300 000-character customer: longer than any spreadsheet cell, the row is set aside.
    ("huge_cell.csv", "orders", 2, 1, 1, {("customer_id", "check.too_long")}, []),
    ("undefined_cp1252_bytes.csv", "orders", 1, 1, 0, set(), []),
    ("utf16_unicode_text.txt", "orders", 1, 1, 0, set(), []),
]


def test_the_corpus_is_complete():
    names = {path.name for path in BAD.iterdir()}
    listed = {name for name, *_ in UNREADABLE + PREPARED}
    assert names == listed and len(names) >= 20


def _outcome(name: str):
    try:
        return prepare_file(read_path(BAD / name), Mapping())
    except UnreadableFile as error:
        return error


@pytest.mark.parametrize("name, reason", UNREADABLE)
def test_unreadable_files_get_one_sentence(name, reason):
    outcome = _outcome(name)
    assert isinstance(outcome, UnreadableFile) and outcome.reason == reason
    for lang in ("fr", "en"):
        sentence = t(outcome.reason, lang, **outcome.details)
        assert sentence.endswith(".") and "Traceback" not in sentence and "\n" not in sentence


@pytest.mark.parametrize("name, dataset, read, accepted, rejected, checks, missing", PREPARED)
def test_every_row_is_accounted_for(name, dataset, read, accepted, rejected, checks, missing):
    outcome = _outcome(name)
    assert not isinstance(outcome, UnreadableFile), t(outcome.reason, "en", **outcome.details)
    assert (outcome.dataset, outcome.rows_read, len(outcome.accepted), len(outcome.rejected)) == (
        dataset, read, accepted, rejected)
    assert outcome.rows_read == len(outcome.accepted) + len(outcome.rejected)
    assert {(problem.column, problem.check) for problem in outcome.problems} == checks
    assert outcome.missing_columns == missing
    assert outcome.usable == (accepted > 0 and not missing)


def test_line_numbers_in_messages_are_the_file_lines():
    error = _outcome("line_of_10000_columns.csv")
    assert error.details == {"line": 3, "expected": 4, "saw": 10_000}
    assert _outcome("unterminated_quote.csv").details == {"line": 2}


def test_over_the_size_limit(monkeypatch, tmp_path):
    monkeypatch.setattr(reader, "MAX_BYTES", 2 * reader.MB)
    path = tmp_path / "big.csv"
    path.write_text("Facture;Client;Date;Montant\n" + "F1;A;01/06/2025;10\n" * 200_000)
    for read in (lambda: read_path(path), lambda: reader.read_table(path.read_bytes())):
        with pytest.raises(UnreadableFile) as error:
            read()
        assert t(error.value.reason, "fr", **error.value.details) == (
            "Le fichier dépasse 2 Mo : compressez-le (.csv.gz ou .zip), exportez-le en Parquet, ou filtrez l'export.")


def test_formula_cells_are_kept_as_text_and_neutralised_on_download():
    prepared = _outcome("formula_cells.csv")
    assert prepared.accepted["customer_id"].tolist() == [
        '=HYPERLINK("http://evil.example";"clic")', "@SUM(1+1)", "+33 1 23 45 67 89"]
    download = csv_bytes(rejected_with_reasons(prepared, "fr"), "fr").decode("utf-8-sig")
    assert "'-cmd|' /C calc'!A0" in download
    assert "\n-cmd" not in download and ";-cmd" not in download


@pytest.mark.parametrize("cell, expected", [
    ("=1+1", "'=1+1"), ("+cmd", "'+cmd"), ("@SUM(A1)", "'@SUM(A1)"), ("-2+3", "'-2+3"), ("\t=x", "'\t=x"),
    ("-150,50 €", "-150,50 €"), ("+33", "+33"), ("Dupont", "Dupont"), (12.5, 12.5),
])
def test_neutralise(cell, expected):
    assert neutralise(cell) == expected


def test_quoted_newlines_keep_their_text():
    prepared = _outcome("quoted_newlines.csv")
    assert prepared.accepted["customer_id"].tolist() == ["Dupont\nSARL", 'Martin, "le grand"']
    assert pd.api.types.is_float_dtype(prepared.accepted["amount"])
