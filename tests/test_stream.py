"""Large files read in batches (kpi_core.stream): the same cells, line numbers, notes and figures as read whole."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from kpi_core import stream
from kpi_core.cli import load_file, main
from kpi_core.ingest import prepare_batches, prepare_file
from kpi_core.mapping import Mapping
from kpi_core.reader import UnreadableFile, read_table
from kpi_core.session import Session


@pytest.fixture
def streamed(monkeypatch):
    """Every file read in batches, in 64 kB blocks (a large file's path on small ones)."""
    monkeypatch.setattr(stream, "STREAM_BYTES", 0)
    monkeypatch.setattr(stream, "_CHUNK", 64 * 1024)
    monkeypatch.setattr(stream, "_BLOCK", 64 * 1024)


def _batches(path, rows: int) -> list:
    return list(stream.read_batches(path, batch_rows=rows))


ORDERS = "".join(f"F{n // 2:05d};C{n % 97:03d};{1 + n % 28:02d}/0{1 + n % 9}/2025;{n % 500},{n % 100:02d} €;"
                 f"{('Île-de-France', 'Bretagne', 'Occitanie')[n % 3]}\r\n" for n in range(6000))


@pytest.mark.parametrize("name, data", [
    ("blank lines", b"a,b\n1,2\n\n3,4\n5,6\n"),
    ("leading blank lines, CRLF", b"\n\na;b\r\n1;2\r\n\r\n3;4\r\n\r\n"),
    ("line breaks in cells", b'a,b\n"x\ny",2\n3,4\n\n5,"p\n\nq"\n6,7\n'),
    ("spaces after delimiters", b"  a, b\n 1,  2\n3,4\n"),
    ("Windows-1252", "nom;montant\nCrème;1,5\nÉté;2\n€uro;3\n".encode("cp1252")),
    ("stray byte in UTF-8", "nom;v\nCrème;1\n".encode() + b"caf\xe9;2\n" + "Été;3\n".encode()),
    ("character cut at the end", "nom;v\nCrème;1\ncafé;2\nx;".encode() + "Été".encode()[:1]),
    ("UTF-16", "a\tb\nÉ\t1\n2\t3\n".encode("utf-16")),
    ("byte-order mark", b"\xef\xbb\xbfa,b\n1,2\n"),
    ("old Mac line ends", b"a,b\r1,2\r3,4\r"),
    ("header only", b"a,b\n"),
    ("many batches", ("N° facture;Client;Date;Montant;Région\r\n" + ORDERS).encode("cp1252")),
])
def test_batches_read_as_the_whole_file(streamed, tmp_path, name, data):
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    whole = read_table(data, path.name)
    parts = _batches(path, 1000)
    assert len(parts) > 1 if name == "many batches" else len(parts) == 1
    assert pd.concat([part.frame for part in parts], ignore_index=True).equals(whole.frame)
    assert [row for part in parts for row in part.row_numbers] == whole.row_numbers.tolist()
    assert {part.dialect for part in parts} == {whole.dialect}
    assert [note for part in parts for note in part.notes] == whole.notes


def test_row_numbers_follow_cells_that_span_lines_in_a_later_batch(streamed, tmp_path):
    lines = [f"D{n},{n}" for n in range(3000)]
    lines[2500] = 'D2500,"two\n\nlines"'
    path = tmp_path / "deals.csv"
    path.write_text("id,value\n" + "\n".join(lines) + "\n\nD3000,1\n")
    parts = _batches(path, 1000)
    rows = [row for part in parts for row in part.row_numbers]
    assert rows[:3] == [2, 3, 4] and rows[2500:2502] == [2502, 2505] and rows[-1] == 3005
    assert rows == read_table(path.read_bytes(), path.name).row_numbers.tolist()


def test_a_broken_record_far_into_the_file_is_one_sentence(streamed, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("a;b\n" + "1;2\n" * 20000 + "1;2;3\n")
    with pytest.raises(UnreadableFile) as refused:
        _batches(path, 1000)
    assert refused.value.reason == "file.malformed" and "Expected 2 columns, got 3" in refused.value.details["detail"]


def test_prepared_in_batches_as_prepared_whole(streamed, tmp_path):
    """The first batch's conventions hold for all; the same rows are accepted and rejected, with the same lines."""
    text = "N° facture;Client;Date;Montant;Région\r\n" + ORDERS
    text = text.replace("F02750;C068;13/02/2025;", "F02750;C068;32/02/2025;")  # one unreadable date, far in
    path = tmp_path / "factures.csv"
    path.write_bytes(text.encode("cp1252"))
    whole = prepare_file(read_table(path.read_bytes(), path.name), Mapping(), "orders")
    parts = prepare_batches(iter(_batches(path, 1000)), Mapping(), "orders")
    assert (parts.rows_read, parts.accepted.num_rows, len(parts.rejected)) == (6000, 5999, 1)
    assert parts.problems == whole.problems and parts.detected == whole.detected
    assert parts.accepted.to_pandas().equals(whole.accepted)


def test_an_id_repeated_in_a_later_batch_is_left_out_there(streamed, tmp_path):
    rows = [f"A{n};Rendez-vous;En cours;03/06/2025;;1 000" for n in range(2500)] + ["A7;Signé;Gagné;05/06/2025;"
                                                                                      "25/06/2025;3 000"]
    path = tmp_path / "deals.csv"
    path.write_text("Affaire;Étape;Statut;Date de création;Date de clôture;Montant\n" + "\n".join(rows) + "\n")
    prepared = prepare_batches(iter(_batches(path, 1000)), Mapping(), "deals")
    assert (prepared.rows_read, prepared.accepted.num_rows, len(prepared.rejected)) == (2501, 2500, 1)
    assert [(p.row, p.check, p.value) for p in prepared.problems] == [(2502, "check.unique", "A7")]


def test_the_command_line_reports_a_streamed_file_as_a_whole_one(streamed, tmp_path, capsys, monkeypatch):
    path = tmp_path / "factures.csv"
    path.write_bytes(("N° facture;Client;Date;Montant;Région\r\n" + ORDERS).encode("cp1252"))
    arguments = ["report", "--orders", str(path), "--period", "2025-06", "--by", "region", "--format", "json"]
    monkeypatch.setattr(stream, "BATCH_ROWS", 1000)
    assert main(arguments) == 0
    in_batches = json.loads(capsys.readouterr().out)
    monkeypatch.setattr(stream, "STREAM_BYTES", 10**12)
    assert main(arguments) == 0
    assert json.loads(capsys.readouterr().out) == in_batches
    assert in_batches["kpis"]["revenue"] > 0


def test_a_quote_after_spaces_in_a_streamed_file_is_one_sentence(streamed, tmp_path):
    """Read whole, pandas takes ` "a;b"` as a quoted cell; in batches Arrow cannot, so the file is refused, not
    read differently."""
    path = tmp_path / "orders.csv"
    path.write_text("a;b\n" + "1;2\n" * 3000 + '3; "x;y"\n')
    with pytest.raises(UnreadableFile) as refused:
        _batches(path, 1000)
    assert refused.value.reason in ("file.quote_after_spaces", "file.malformed")
    path.write_text("a;b\n" + "1;2\n" * 3000 + '3; "xy"\n')
    with pytest.raises(UnreadableFile) as refused:
        _batches(path, 1000)
    assert refused.value.reason == "file.quote_after_spaces"
    assert read_table(path.read_bytes(), path.name).frame["b"].iloc[-1] == "xy"


def test_the_command_line_stages_batches_in_the_database_instead_of_keeping_them(streamed, tmp_path, monkeypatch):
    path = tmp_path / "factures.csv"
    path.write_bytes(("N° facture;Client;Date;Montant;Région\r\n" + ORDERS).encode("cp1252"))
    monkeypatch.setattr(stream, "BATCH_ROWS", 1000)
    staged = []
    session = Session(compress=True)
    monkeypatch.setattr(session, "stage", lambda dataset, table: staged.append(table.num_rows) or Session.stage(
        session, dataset, table))
    prepared = load_file(str(path), "orders", Mapping(), "fr", session)
    assert (prepared.accepted.num_rows, prepared.accepted_rows, sum(staged)) == (0, 6000, 6000) and len(staged) > 3
    session.load("orders")
    whole = Session()
    whole.load("orders", prepare_file(read_table(path.read_bytes(), path.name), Mapping(), "orders").accepted)
    totals = "SELECT COUNT(*) AS n, SUM(amount) AS a, SUM(order_total) AS t, MIN(order_date) AS d FROM orders"
    # Sums of cents over rows in no set order (DuckDB adds them on two threads) agree to the last few bits only.
    pd.testing.assert_frame_equal(session.query(totals), whole.query(totals), check_exact=False, rtol=1e-12)
    assert session.datasets["orders"] == 6000
    assert session.provided == whole.provided
