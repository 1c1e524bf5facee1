"""Reading, mapping and validating source files: French dialects in, nothing silently lost."""

import io

import pandas as pd
import pytest

from kpi_core.ingest import prepare, prepare_file
from kpi_core.mapping import DEFAULT_STAGES, DatasetMapping, Mapping, guess_dataset, normalize, suggest_columns
from kpi_core.reader import UnreadableFile, read_table
from kpi_core.recognition import mapping_for
from kpi_core.validation import problem_summary, rejected_with_reasons

FRENCH_INVOICES = (
    "N° facture;Code client;Date facture;Montant HT (€);Ville\r\n"
    "F-001;C01;30/06/2025;1\u00a0234,50 €;Paris\r\n"
    "F-001;C01;30/06/2025;100,00 €;Paris\r\n"
    "F-002;C02;01/07/2025;2 000 €;Lyon\r\n"
    "AV-001;C02;03/07/2025;-150,5 €;Lyon\r\n"
)


@pytest.mark.parametrize("encoding, delimiter", [
    ("cp1252", ";"), ("utf-8", ";"), ("utf-8-sig", ","), ("utf-8", "\t"), ("latin-1", "|"),
])
def test_dialects_are_detected(encoding, delimiter):
    text = "Société;Montant;Date\nÉlysée Café;12.5;01/02/2025\nCœur d’or;3;02/02/2025\n"
    if encoding == "latin-1":
        text = text.replace("œ", "oe").replace("’", "'")
    raw = read_table(text.replace(";", delimiter).encode(encoding))
    assert raw.dialect.delimiter == delimiter
    assert raw.frame.columns.tolist() == ["Société", "Montant", "Date"]
    assert raw.frame.iloc[0, 0] == "Élysée Café"
    assert raw.dialect.bom == (encoding == "utf-8-sig")


def test_windows_1252_euro_and_apostrophe():
    raw = read_table("Client;Montant\nL’Œuvre;1 000 €\n".encode("cp1252"))
    assert raw.dialect.encoding == "cp1252"
    assert raw.frame.iloc[0].tolist() == ["L’Œuvre", "1 000 €"]


def test_excel_file(tmp_path):
    frame = pd.DataFrame({"Facture": ["F1", "F2"], "Client": ["A", "B"], "Date": pd.to_datetime(["2025-06-30"] * 2),
                          "Montant HT": [1234.5, 99.0]})
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    raw = read_table(buffer.getvalue(), "ventes.xlsx")
    mapping = DatasetMapping.suggest(raw.frame.columns.tolist())
    prepared = prepare(raw, mapping, DEFAULT_STAGES)
    assert mapping.dataset == "orders"
    assert prepared.accepted["amount"].tolist() == [1234.5, 99.0]
    assert prepared.accepted["order_date"].dt.strftime("%Y-%m-%d").tolist() == ["2025-06-30"] * 2


@pytest.mark.parametrize("data, reason", [
    (b"", "file.empty"), (b"   \n\n", "file.empty"), (b"\x00\x01\x02binary\x00", "file.binary"),
    (b"PK\x03\x04not really a workbook", "file.bad_workbook"),
    (b"a,b\n1,2,3\n4,5\n", "file.too_many_fields_somewhere"),  # a row longer than the header would lose a value
])
def test_unreadable_files_say_why(data, reason):
    with pytest.raises(UnreadableFile) as error:
        read_table(data)
    assert error.value.reason == reason


@pytest.mark.parametrize("label, normalized", [
    ("Montant HT (€)", "montant ht"), ("N° facture", "n facture"), ("  Date  de création ", "date de creation"),
    ("dealStage", "deal stage"), ("CHIFFRE D'AFFAIRES", "chiffre d affaires"),
])
def test_normalize(label, normalized):
    assert normalize(label) == normalized


@pytest.mark.parametrize("header, dataset, expected", [
    (["N° facture", "Code client", "Date facture", "Montant HT (€)", "Ville"], "orders",
     {"order_id": "N° facture", "customer_id": "Code client", "order_date": "Date facture",
      "amount": "Montant HT (€)", "region": "Ville"}),
    (["Deal ID", "Create Date", "Deal Stage", "Amount", "Close Date", "Deal owner"], "deals",
     {"deal_id": "Deal ID", "created_date": "Create Date", "stage": "Deal Stage", "amount": "Amount",
      "closed_date": "Close Date", "rep": "Deal owner"}),
    (["Affaire", "Étape", "Statut", "Montant", "Date de création", "Commercial"], "deals",
     {"deal_id": "Affaire", "created_date": "Date de création", "stage": "Étape", "status": "Statut",
      "amount": "Montant", "rep": "Commercial"}),
    (["Invoice", "Customer", "Date", "CA"], "orders",
     {"order_id": "Invoice", "customer_id": "Customer", "order_date": "Date", "amount": "CA"}),
])
def test_column_suggestions(header, dataset, expected):
    assert guess_dataset(header) == dataset
    assert suggest_columns(header, dataset) == expected


def test_unknown_header_guesses_nothing():
    assert guess_dataset(["foo", "bar"]) is None


def test_french_invoices_nothing_lost():
    raw = read_table(FRENCH_INVOICES.encode("cp1252"))
    prepared = prepare_file(raw, Mapping())
    assert prepared.dataset == "orders"
    assert prepared.accepted["amount"].tolist() == [1234.5, 100.0, 2000.0, -150.5]
    assert prepared.rows_read == len(prepared.accepted) + len(prepared.rejected) == 4


def test_rejected_rows_keep_their_file_row_numbers_and_reasons():
    text = ("Facture;Client;Date;Montant\nF1;A;01/06/2025;10\nF2;;02/06/2025;20\nF3;C;31/02/2025;x\n"
            "F4;D;1850-01-01;5\n")
    raw = read_table(text.encode())
    kept = prepare_file(raw, Mapping())  # a row without a customer is kept by default, and said
    assert (len(kept.accepted), kept.blank_rows, kept.blank_amount) == (2, 1, 20.0)
    rejecting = mapping_for(raw, Mapping())
    rejecting.reject_blank = True
    prepared = prepare_file(raw, Mapping([rejecting]))
    assert prepared.rows_read == 4 and len(prepared.accepted) == 1 and len(prepared.rejected) == 3
    summary = problem_summary(prepared.problems)
    assert summary[["column", "check", "count", "rows"]].values.tolist() == [
        ["amount", "check.number", 1, [4]],
        ["customer_id", "check.required", 1, [3]],
        ["order_date", "check.date", 1, [4]],
        ["order_date", "check.date_range", 1, [5]],
    ]
    assert prepared.rejected["source_row"].tolist() == [3, 4, 5]
    reasons = rejected_with_reasons(prepared, "fr")["Motif du rejet"].tolist()
    assert reasons == ["Client: valeur obligatoire manquante",
                       "Montant: nombre illisible (x); Date: date illisible (31/02/2025)",
                       "Date: date trop ancienne ou trop lointaine (1850-01-01)"]


def test_duplicate_deal_ids_are_rejected():
    text = "Deal ID,Create Date,Deal Stage\nD1,2025-06-01,Proposition\nD1,2025-06-02,Rendez-vous\nD2,2025-06-02,Won\n"
    prepared = prepare_file(read_table(text.encode()), Mapping())
    assert prepared.accepted["deal_id"].tolist() == ["D2"]
    assert {p.check for p in prepared.problems} == {"check.unique"}


def test_one_stage_column_gives_stage_and_status():
    text = "Deal ID,Create Date,Deal Stage\nD1,2025-06-01,Proposition\nD2,2025-06-02,Closed Won\nD3,2025-06-02,Lost\n"
    prepared = prepare_file(read_table(text.encode()), Mapping())
    assert prepared.accepted[["stage", "status"]].values.tolist() == [
        ["Proposition", "open"], ["Signé", "won"], ["Prospect contacté", "lost"]]


def test_status_values_in_french():
    text = "Affaire;Étape;Statut;Date de création\nA;Négociation;Perdu;01/06/2025\nB;Signé;Gagné;01/06/2025\n" \
           "C;Rendez-vous;En cours;01/06/2025\nD;Rendez-vous;Bof;01/06/2025\n"
    prepared = prepare_file(read_table(text.encode()), Mapping())
    assert prepared.accepted["status"].tolist() == ["lost", "won", "open"]
    assert [(p.row, p.check, p.value) for p in prepared.problems] == [(5, "check.unknown_value", "Bof")]


def test_missing_required_column_makes_the_file_unusable():
    prepared = prepare_file(read_table(b"Facture,Client,Date\nF1,A,2025-06-01\n"), Mapping(), "orders")
    assert prepared.missing_columns == ["amount"]
    assert not prepared.usable


def test_amount_as_quantity_times_unit_price():
    raw = read_table("Facture;Client;Date;Qté;PU HT\nF1;A;01/06/2025;3;12,50\n".encode())
    mapping = DatasetMapping("orders", {"order_id": "Facture", "customer_id": "Client", "order_date": "Date"},
                             amount_product=("Qté", "PU HT"))
    assert prepare(raw, mapping, DEFAULT_STAGES).accepted["amount"].tolist() == [37.5]


def test_mapping_json_round_trip_and_reuse_for_same_header():
    header = ["Ref", "Who", "When", "How much"]
    saved = Mapping([DatasetMapping("orders", {"order_id": "Ref", "customer_id": "Who",
                                               "order_date": "When", "amount": "How much"},
                                    header=tuple(header), values={"is_recurring": {"Bof": "false"}}, delimiter=",")],
                    stages=("A", "B"))
    again = Mapping.from_json(saved.to_json())
    assert again == saved
    raw = read_table(b"Ref,Who,When,How much\nX,Y,2025-06-01,5\n")
    assert prepare_file(raw, again).accepted["amount"].tolist() == [5.0]
