"""Hostile and broken inputs, generated (no megabytes committed): each case with its exact expected outcome — a
refusal (one sentence's key) or a load whose counts add up to the rows the file holds.

A case is a file (its bytes built on demand), optionally a saved mapping JSON applied to it, and what must come
out of the core path, the CLI and the upload page."""

from __future__ import annotations

import gzip
import io
import json
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq

ORDERS_HEADER = "Facture;Client;Date;Montant;Région"


@dataclass(frozen=True)
class Refused:
    """The file (or its mapping) is refused with the sentence `key`."""

    key: str


@dataclass(frozen=True)
class Loaded:
    """The file is read: `read` rows = `accepted` + `rejected`, with these (field, check) problems, notes and
    missing required fields; `rows` are the row numbers of the problems, as the file or sheet shows them."""

    dataset: str
    read: int
    accepted: int
    rejected: int
    checks: frozenset = frozenset()
    notes: frozenset = frozenset()
    missing: tuple = ()
    rows: tuple | None = None


@dataclass(frozen=True)
class Case:
    name: str  # the file's name: its extension is part of the case
    build: Callable[[], bytes]
    expected: Refused | Loaded
    mapping: dict | str | bytes | None = None  # a saved mapping file (its JSON) applied to the file
    family: str = ""
    extra: dict = field(default_factory=dict)


def orders(*lines: str, header: str = ORDERS_HEADER, encoding: str = "utf-8") -> Callable[[], bytes]:
    return lambda: ("\n".join((header, *lines)) + "\n").encode(encoding)


def workbook(sheets: dict[str, list[list]]) -> bytes:
    """A workbook with these sheets, each a list of rows placed at their own row numbers (None = a blank row)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row or [], start=1):
                sheet.cell(row=number, column=column, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _inflatingworkbook(rows: int) -> bytes:
    """A small upload whose one sheet holds `rows` identical rows (an XML that compresses ~1000:1)."""
    template = workbook({"Ventes": [["Facture", "Client", "Date", "Montant"]]})
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(template)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            if not entry.filename.endswith("sheet1.xml"):
                target.writestr(entry, source.read(entry))
                continue
            with target.open(entry.filename, "w", force_zip64=True) as sheet:
                sheet.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.'
                            b'org/spreadsheetml/2006/main"><sheetData>')
                # Rows without their `r` number follow each other: one chunk written again and again.
                chunk = b'<row><c t="inlineStr"><is><t>F</t></is></c></row>' * 10_000
                for _ in range(rows // 10_000):
                    sheet.write(chunk)
                sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def _zip_of_size(inflated: int) -> bytes:
    """A `.xlsx` that unpacks to `inflated` bytes of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = b"\0" * 1_000_000
            for _ in range(inflated // len(chunk) + 1):
                sheet.write(chunk)
    return out.getvalue()


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def _parquet(columns: dict[str, list]) -> bytes:
    out = io.BytesIO()
    pq.write_table(pa.table(columns), out)
    return out.getvalue()


def _mapping(**entry) -> dict:
    return {"version": 1, "files": [{"dataset": "orders", **entry}]}


def _custom(**definition) -> dict:
    return {"version": 1, "custom_kpis": [{"name": "Mon KPI", "dataset": "orders", "aggregation": "count",
                                           **definition}]}


def _deep(levels: int) -> str:
    return '{"files": ' + "[" * levels + "]" * levels + "}"


GOOD_ORDER = "F1;A;01/06/2026;10;Paris"
_OK = Loaded("orders", 1, 1, 0)

CASES: list[Case] = [
    # Security: cells and names that would act in a spreadsheet, in Markdown or in a browser.
    Case("cr_formula.csv", orders("F1;A;01/06/2026;10;\"Paris\r=cmd|' /C calc'!A0\"", "F2;B;01/06/2026;12,5;Lyon"),
         Loaded("orders", 2, 2, 0), family="security"),
    # Unquoted, the bare CR ends the record: its tail is a row of its own, rejected, and exported neutralised.
    Case("cr_formula_unquoted.csv", orders("F1;A;01/06/2026;10;Paris\r=cmd|' /C calc'!A0", "F2;B;01/06/2026;12;Lyon"),
         Loaded("orders", 3, 2, 1, frozenset({("order_date", "check.required"), ("amount", "check.required")})),
         family="security"),
    Case("markdown_header.csv", orders(GOOD_ORDER, header=ORDERS_HEADER + ";![x](http://127.0.0.1:9/beacon.png)"),
         Loaded("orders", 1, 1, 0), family="security"),
    Case("markdown_values.csv", orders("F1;A;01/06/2026;10;[clic](http://127.0.0.1:9/l) ![i](http://127.0.0.1:9/i)",
                                       "F2;B;01/06/2026;10;# Titre :red[rouge] $x$"), Loaded("orders", 2, 2, 0),
         family="security"),
    Case("custom_kpi_markdown_name.csv", orders(GOOD_ORDER), _OK,
         mapping=_custom(name="![x](http://127.0.0.1:9/k.png) [clic](http://127.0.0.1:9/)"), family="security"),
    # Saved mapping files: one sentence naming what is wrong.
    Case("mapping_malformed.csv", orders(GOOD_ORDER), Refused("mapping.error.json"), mapping='{"files": [',
         family="mapping"),
    Case("mapping_deep.csv", orders(GOOD_ORDER), Refused("mapping.error.deep"), mapping=_deep(100_000),
         family="mapping"),
    Case("mapping_files_not_objects.csv", orders(GOOD_ORDER), Refused("mapping.expected.object"),
         mapping={"files": [1, "orders"]}, family="mapping"),
    Case("mapping_values_list.csv", orders(GOOD_ORDER), Refused("mapping.expected.object"),
         mapping=_mapping(values=["won"]), family="mapping"),
    Case("mapping_unknown_preset.csv", orders(GOOD_ORDER), Refused("mapping.expected.one_of"),
         mapping=_mapping(preset="zoho_crm"), family="mapping"),
    Case("mapping_rot13.csv", orders(GOOD_ORDER), Refused("mapping.expected.encoding"),
         mapping=_mapping(encoding="rot13"), family="mapping"),
    Case("mapping_unknown_encoding.csv", orders(GOOD_ORDER), Refused("mapping.expected.encoding"),
         mapping=_mapping(encoding="klingon-8"), family="mapping"),
    Case("mapping_newline_delimiter.csv", orders(GOOD_ORDER), Refused("mapping.expected.one_of"),
         mapping=_mapping(delimiter="\n"), family="mapping"),
    Case("mapping_not_a_list.csv", orders(GOOD_ORDER), Refused("mapping.expected.list"),
         mapping={"files": "orders.csv"}, family="mapping"),
    Case("mapping_one_stage.csv", orders(GOOD_ORDER), Refused("mapping.expected.too_short"),
         mapping={"stages": ["Signé"]}, family="mapping"),
    Case("mapping_unknown_field.csv", orders(GOOD_ORDER), Refused("mapping.expected.field"),
         mapping=_mapping(columns={"chiffre": "Montant"}), family="mapping"),
    Case("mapping_not_utf8.csv", orders(GOOD_ORDER), Refused("mapping.error.encoding"),
         mapping='{"stages": ["Entrée", "Signé"]}'.encode("cp1252"), family="mapping"),
    Case("mapping_too_large.csv", orders(GOOD_ORDER), Refused("mapping.error.too_large"),
         mapping={"stages": ["A", "B"], "padding": "x" * 1_100_000}, family="mapping"),
    Case("mapping_custom_values_number.csv", orders(GOOD_ORDER), Refused("mapping.expected.list"),
         mapping=_custom(conditions=[{"field": "region", "operator": "in", "values": 75}]), family="mapping"),
    Case("mapping_custom_conditions_strings.csv", orders(GOOD_ORDER), Refused("mapping.expected.object"),
         mapping=_custom(conditions=["region in Paris"]), family="mapping"),
    Case("mapping_custom_denominator_list.csv", orders(GOOD_ORDER), Refused("mapping.expected.text"),
         mapping=_custom(denominator=["revenue"]), family="mapping"),
    # A saved quantity × unit price of columns this file lacks: the amount is missing, every row rejected.
    Case("amount_product_absent.csv", orders("F1;A;01/06/2026;10;Paris", "F2;B;01/06/2026;12;Lyon"),
         Loaded("orders", 2, 0, 2, missing=("amount",)),
         mapping=_mapping(columns={"order_id": "Facture", "customer_id": "Client", "order_date": "Date"},
                          amount_product=["Quantité", "Prix unitaire"], header=ORDERS_HEADER.split(";")),
         family="mapping"),
    # A "none of" filter longer than the limit: the KPI is set aside with a sentence, never cut.
    Case("custom_filter_250_values.csv", orders(GOOD_ORDER), _OK, family="mapping",
         mapping=_custom(conditions=[{"field": "region", "operator": "not_in",
                                      "values": [f"Ville {n}" for n in range(250)]}]),
         extra={"custom_problem": "custom.error.too_many_values"}),
    # Numbers the engine cannot hold.
    Case("amount_1e308.csv", orders("F1;A;01/06/2026;1e308;Paris", GOOD_ORDER.replace("F1", "F2")),
         Loaded("orders", 2, 1, 1, frozenset({("amount", "check.absurd")}), rows=(2,)), family="numbers"),
    Case("amount_inf.csv", orders("F1;A;01/06/2026;inf;Paris", "F2;A;01/06/2026;-inf;Paris",
                                  "F3;A;01/06/2026;nan;Paris", GOOD_ORDER.replace("F1", "F4")),
         Loaded("orders", 4, 1, 3, frozenset({("amount", "check.number")}), rows=(2, 3, 4)), family="numbers"),
    Case("amount_1e309.csv", orders("F1;A;01/06/2026;1e309;Paris", GOOD_ORDER.replace("F1", "F2")),
         Loaded("orders", 2, 1, 1, frozenset({("amount", "check.number")})), family="numbers"),
    Case("order_lines_near_the_bound.csv", orders("F1;A;01/06/2026;900000000000;Paris",
                                                  "F1;A;01/06/2026;900000000000;Paris"),
         Loaded("orders", 2, 2, 0), family="numbers"),
    Case("amount_absurd_negative.csv", orders("F1;A;01/06/2026;-5e13;Paris", GOOD_ORDER.replace("F1", "F2")),
         Loaded("orders", 2, 1, 1, frozenset({("amount", "check.absurd")})), family="numbers"),
    # Timestamps with mixed UTC offsets in one column: normalised, said.
    Case("leads_mixed_offsets.csv", lambda: (b"Lead ID,Created At,Source\nL1,2026-06-01T10:00:00Z,web\n"
                                             b"L2,2026-06-01T10:00:00+02:00,web\nL3,2026-06-01 10:00:00,salon\n"
                                             b"L4,2026-06-30T23:30:00-05:00,web\n"),
         Loaded("leads", 4, 4, 0), family="dates"),
    # Placeholder dates never become the data's last day.
    Case("order_date_2099.csv", orders("F1;A;31/12/2099;10;Paris", GOOD_ORDER.replace("F1", "F2")),
         Loaded("orders", 2, 1, 1, frozenset({("order_date", "check.future")}), rows=(2,)), family="dates"),
    Case("deals_close_dates.csv", lambda: (b"Deal ID,Create Date,Deal Stage,Close Date\n"
                                           b"D1,2026-06-01,Proposition,2027-03-01\n"
                                           b"D2,2026-06-01,Proposition,2099-12-31\n"
                                           b"D3,2026-06-01,Closed Won,2027-03-01\n"
                                           b"D4,2026-06-01,Closed Won,2026-06-20\n"),
         Loaded("deals", 4, 2, 2, frozenset({("closed_date", "check.far_future"), ("closed_date", "check.future")}),
                rows=(3, 4)), family="dates"),
    # Limits, refused before heavy work.
    Case("header_200000_columns.csv", lambda: (";".join(f"c{n}" for n in range(200_000)) + "\n1\n").encode(),
         Refused("file.too_many_columns"), family="limits"),
    Case("single_line_3mb.csv", lambda: b"Facture;Client;Date;Montant\n" + b"x" * 3_000_000 + b"\n",
         Refused("file.line_too_long"), family="limits"),
    Case("one_good_row_in_100000.csv",
         orders(*(f"F{n};C{n % 500};32/13/2025;abc;Paris" for n in range(99_999)), "F0;A;01/06/2026;10;Paris"),
         Loaded("orders", 100_000, 1, 99_999, frozenset({("order_date", "check.date"), ("amount", "check.number")})),
         family="limits"),
    Case("cell_40000_characters.csv", orders("F1;" + "A" * 40_000 + ";01/06/2026;10;Paris",
                                             GOOD_ORDER.replace("F1", "F2")),
         Loaded("orders", 2, 1, 1, frozenset({("customer_id", "check.too_long")})), family="limits"),
    Case("workbook_2000000_rows.xlsx", lambda: _inflatingworkbook(2_000_000), Refused("file.too_many_rows"),
         family="limits"),
    Case("workbook_inflates_260mb.xlsx", lambda: _zip_of_size(260_000_000), Refused("file.inflates"),
         family="limits"),
    Case("workbook_2000_columns.xlsx", lambda: workbook({"Ventes": [[f"c{n}" for n in range(2000)], [1]]}),
         Refused("file.too_many_columns"), family="limits"),
    # Workbooks: every sheet of one kind read, row numbers as Excel shows them.
    Case("orders_on_two_sheets.xlsx", lambda: workbook({
        "Juin": [["Facture", "Client", "Date", "Montant"], *[[f"J{n}", "A", "01/06/2026", 10] for n in range(10)]],
        "Juillet": [["Facture", "Client", "Date", "Montant"], *[[f"K{n}", "B", "01/07/2026", 20] for n in range(15)]],
    }), Loaded("orders", 25, 25, 0, notes=frozenset({"file.sheets_read"})), family="workbooks"),
    Case("sheet_with_blank_rows.xlsx", lambda: workbook({"Ventes": [
        None, ["Facture", "Client", "Date", "Montant"], ["F1", "A", "01/06/2026", 10], None, None,
        ["F2", "B", "01/06/2026", "abc"], ["F3", "C", "01/06/2026", 5]]}),
         Loaded("orders", 3, 2, 1, frozenset({("amount", "check.number")}), rows=(6,)), family="workbooks"),
    Case("two_sheets_two_kinds.xlsx", lambda: workbook({
        "Ventes": [["Facture", "Client", "Date", "Montant"], ["F1", "A", "01/06/2026", 10]],
        "Objectifs": [["Mois", "Objectif"], ["2026-06", 1000]],
    }), Loaded("orders", 1, 1, 0, notes=frozenset({"file.sheet_left_out"})), family="workbooks"),
    Case("empty_workbook.xlsx", lambda: workbook({"Feuil1": []}), Refused("file.empty"), family="workbooks"),
    Case("truncated_workbook.xlsx", lambda: workbook({"V": [["a"]]})[:300], Refused("file.bad_workbook"),
         family="workbooks"),
    Case("ventes[2026]*.csv", orders(GOOD_ORDER, "F2;B;32/13/2025;10;Lyon"),
         Loaded("orders", 2, 1, 1, frozenset({("order_date", "check.date")})), family="workbooks"),
    # Row numbers and decoding.
    Case("bad_row_after_blank_lines.csv", lambda: (b"Facture;Client;Date;Montant\nF1;A;01/06/2026;10\n"
                                                   b"F2;A;01/06/2026;10\n\nF3;A;01/06/2026;10\nF4;A;01/06/2026;10\n"
                                                   b"\nF5;A;01/06/2026;10\nF6;A;01/06/2026;abc\n"),
         Loaded("orders", 6, 5, 1, frozenset({("amount", "check.number")}), rows=(9,)), family="rows"),
    Case("leading_blank_lines.csv", lambda: b"\n\nFacture;Client;Date;Montant\nF1;A;01/06/2026;abc\n",
         Loaded("orders", 1, 0, 1, frozenset({("amount", "check.number")}), rows=(4,)), family="rows"),
    Case("quoted_line_break_then_bad_row.csv", lambda: (b'Facture;Client;Date;Montant\r\nF1;"Dupont\r\nSARL";'
                                                        b'01/06/2026;10\r\nF2;B;01/06/2026;abc\r\n'),
         Loaded("orders", 2, 1, 1, frozenset({("amount", "check.number")}), rows=(4,)), family="rows"),
    Case("bom_then_cp1252.csv", lambda: b"\xef\xbb\xbf" + "Facture;Client;Date;Montant;Région\nF1;Société Générale;"
                                                          "01/06/2026;10;Île-de-France\n".encode("cp1252"),
         Loaded("orders", 1, 1, 0), family="decoding", extra={"region": "Île-de-France"}),
    Case("utf8_with_one_bad_byte.csv", lambda: ("Facture;Client;Date;Montant;Région\n"
                                                "F1;Société;01/06/2026;10;Île-de-France\n"
                                                "F2;Crèmerie;01/06/2026;10;Rhône\n").encode()
         + b"F3;Caf\xe9;01/06/2026;10;Paris\n",
         Loaded("orders", 3, 3, 0, notes=frozenset({"file.replaced"})), family="decoding",
         extra={"region": "Île-de-France"}),
    # Archives: one CSV inside is read (bounded like a workbook), anything else is one sentence.
    Case("gzip_named_csv.csv", lambda: gzip.compress(orders(GOOD_ORDER)()),
         Loaded("orders", 1, 1, 0, notes=frozenset({"file.unpacked"})), family="archives"),
    Case("ventes.csv.gz", lambda: gzip.compress(orders(GOOD_ORDER, "F2;B;01/06/2026;abc;Lyon")(), mtime=0),
         Loaded("orders", 2, 1, 1, frozenset({("amount", "check.number")}), frozenset({"file.unpacked"}), rows=(3,)),
         family="archives"),
    Case("gzip_bomb.csv.gz", lambda: gzip.compress(b"Facture;Client;Date;Montant\n" + b"\n" * 260_000_000,
                                                   compresslevel=1), Refused("file.inflates"), family="archives"),
    Case("gzip_twice.csv.gz", lambda: gzip.compress(gzip.compress(orders(GOOD_ORDER)())), Refused("file.bad_archive"),
         family="archives"),
    Case("truncated.csv.gz", lambda: gzip.compress(orders(GOOD_ORDER)())[:20], Refused("file.bad_archive"),
         family="archives"),
    Case("ventes.zip", lambda: _zip({"export/ventes.csv": orders(GOOD_ORDER)()}),
         Loaded("orders", 1, 1, 0, notes=frozenset({"file.unpacked"})), family="archives"),
    Case("two_files.zip", lambda: _zip({"a.csv": orders(GOOD_ORDER)(), "b.csv": orders(GOOD_ORDER)()}),
         Refused("file.zip_contents"), family="archives"),
    Case("ventes.parquet", lambda: _parquet({"Facture": ["F1", "F2"], "Client": ["A", "B"],
                                             "Date": ["01/06/2026", "31/12/2099"], "Montant": [10.5, 20.0]}),
         Loaded("orders", 2, 1, 1, frozenset({("order_date", "check.future")}), rows=(2,)), family="archives"),
    Case("broken.parquet", lambda: _parquet({"a": [1]})[:-30] + b"PAR1", Refused("file.bad_parquet"),
         family="archives"),
    Case("utf16_without_bom.csv", lambda: orders(GOOD_ORDER)().decode().encode("utf-16-le"), Refused("file.binary"),
         family="decoding"),
    Case("nul_bytes.csv", lambda: b"Facture;Client\x00;Date;Montant\nF1;A;01/06/2026;10\n", Refused("file.binary"),
         family="decoding"),
    Case("random_binary.csv", lambda: random.Random(12).randbytes(4096),
         Refused("file.binary"), family="decoding"),
    Case("web_page.csv", lambda: b"<!DOCTYPE html><html><body><table><tr><td>1</td></tr></table></body></html>",
         Refused("file.html"), family="decoding"),
]


def mapping_text(case: Case) -> str | bytes | None:
    """The case's mapping file as saved on disk."""
    if case.mapping is None or isinstance(case.mapping, str | bytes):
        return case.mapping
    return json.dumps(case.mapping, ensure_ascii=False)
