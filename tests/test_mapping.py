"""Presets for real exports, stage-entry dates, value mapping, saved mappings: a newcomer's file reaches
correct KPIs without renaming a column by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from kpi_core.formatting import describe_convention
from kpi_core.ingest import combine, prepare, prepare_file
from kpi_core.mapping import DEFAULT_STAGES, DatasetMapping, Mapping, recognise_preset, suggest_stage_dates
from kpi_core.parsing import DateFormat, NumberFormat, parse_dates
from kpi_core.reader import read_table
from kpi_core.recognition import read_with
from kpi_core.value_choices import value_choices

HUBSPOT = (
    'Record ID,Deal Name,Deal Stage,Close Date,Deal owner,Amount,Create Date,Pipeline,'
    '"Date entered ""Appointment Scheduled (Sales Pipeline)""","Date entered ""Qualified To Buy (Sales Pipeline)""",'
    '"Date entered ""Presentation Scheduled (Sales Pipeline)""","Date entered ""Contract Sent (Sales Pipeline)""",'
    '"Date entered ""Closed Won (Sales Pipeline)""","Date entered ""Closed Lost (Sales Pipeline)"""\n'
    # won after every stage
    "101,Alpha,Closed Won,2025-06-20 10:00,Alice,12000,2025-06-01 09:00,Sales Pipeline,"
    "2025-06-02 09:00,2025-06-05 09:00,2025-06-08 09:00,2025-06-15 09:00,2025-06-20 10:00,\n"
    # lost after a presentation: the stage column only says Closed Lost
    "102,Beta,Closed Lost,2025-06-25 10:00,Bob,8000,2025-06-03 09:00,Sales Pipeline,"
    "2025-06-04 09:00,,2025-06-10 09:00,,,2025-06-25 10:00\n"
    # still open at the appointment stage
    "103,Gamma,Appointment Scheduled,,Alice,5000,2025-06-04 09:00,Sales Pipeline,2025-06-05 09:00,,,,,\n"
    # lost without any stage date
    "104,Delta,Closed Lost,2025-06-06 10:00,Bob,,2025-06-05 09:00,Sales Pipeline,,,,,,2025-06-06 10:00\n"
)
PIPEDRIVE = (
    "Deal - ID,Deal - Title,Deal - Value,Deal - Currency of Value,Deal - Owner,Deal - Stage,Deal - Status,"
    "Deal - Deal created,Deal - Expected close date,Deal - Deal closed on,Deal - Lost reason\n"
    "1,Alpha,1500,EUR,Alice,Proposal Made,won,2025-06-01 10:00:00,2025-07-01,2025-06-20 10:00:00,\n"
    "2,Beta,900,EUR,Bob,Contact Made,lost,2025-06-02 10:00:00,2025-07-01,2025-06-10 10:00:00,Price\n"
    "3,Gamma,300,EUR,Bob,Negotiations Started,open,2025-06-03 10:00:00,2025-07-30,,\n"
)
SALESFORCE = (
    "Opportunity Owner,Account Name,Opportunity Name,Stage,Fiscal Period,Amount,Probability (%),Age,Close Date,"
    "Created Date,Next Step,Lead Source,Type\n"
    "Alice,Acme,Acme - renewal,Closed Won,Q2-2025,\"12,000.00\",100,20,6/20/2025,6/1/2025,,Web,Existing Business\n"
    "Bob,Globex,Globex - new,Closed Lost,Q2-2025,\"4,500.00\",0,15,6/18/2025,6/3/2025,,Partner,New Business\n"
    "Bob,Initech,Initech - new,Proposal/Price Quote,Q3-2025,\"7,250.50\",75,10,7/30/2025,6/13/2025,,Web,New Business\n"
)
FRENCH_INVOICES = (
    "N° facture;Date;Client;Désignation;Quantité;Prix unitaire HT;TVA;Total TTC;Commercial;Code postal\n"
    "FA-1;02/06/2025;Dupont;Audit;2;1 250,00;500,00;3 000,00;Alice;75011\n"
    "FA-1;02/06/2025;Dupont;Formation;1;450,50;90,10;540,60;Alice;75011\n"
    "FA-2;13/06/2025;Martin;Audit;1;1 250,00;250,00;1 500,00;Bob;69003\n"
).encode("cp1252")


@pytest.mark.parametrize("data, preset, dataset", [
    (HUBSPOT.encode(), "hubspot_deals", "deals"),
    (PIPEDRIVE.encode(), "pipedrive_deals", "deals"),
    (SALESFORCE.encode(), "salesforce_opportunities", "deals"),
    (FRENCH_INVOICES, "french_invoices", "orders"),
])
def test_presets_are_recognised(data, preset, dataset):
    header = list(read_table(data).frame.columns)
    assert recognise_preset(header).id == preset
    suggested = DatasetMapping.suggest(header)
    assert (suggested.dataset, suggested.preset) == (dataset, preset)


def test_hubspot_export_uses_true_stage_entries():
    prepared = prepare_file(read_table(HUBSPOT.encode()), Mapping())
    assert prepared.rows_read == len(prepared.accepted) == 4
    frame = prepared.accepted.set_index("deal_id")
    # Beta was lost after the presentation: it reached "Proposition", not just the first stage.
    assert frame["stage"].to_dict() == {"101": "Signé", "102": "Proposition", "103": "Rendez-vous",
                                        "104": "Prospect contacté"}
    assert frame["status"].to_dict() == {"101": "won", "102": "lost", "103": "open", "104": "lost"}
    assert frame.loc["101", "rep"] == "Alice" and frame.loc["101", "amount"] == 12000


def test_stage_date_columns_are_found_and_matched_to_stages():
    header = list(read_table(HUBSPOT.encode()).frame.columns)
    found = suggest_stage_dates(header, DEFAULT_STAGES)
    # HubSpot's appointment and qualification stages both are "Rendez-vous" in the default pipeline.
    assert sorted(found.values()) == ["Négociation", "Proposition", "Rendez-vous", "Rendez-vous", "Signé"]
    assert not any("Closed Lost" in column for column in found)  # lost is a status, not a stage


def test_pipedrive_export():
    prepared = prepare_file(read_table(PIPEDRIVE.encode()), Mapping())
    frame = prepared.accepted.set_index("deal_id")
    assert frame["stage"].tolist() == ["Proposition", "Rendez-vous", "Négociation"]
    assert frame["status"].tolist() == ["won", "lost", "open"]
    assert frame["closed_date"].dt.strftime("%Y-%m-%d").tolist()[:2] == ["2025-06-20", "2025-06-10"]
    assert frame.loc["2", "lost_reason"] == "Price"


def test_salesforce_report_month_first_dates_and_comma_thousands():
    prepared = prepare_file(read_table(SALESFORCE.encode()), Mapping())
    frame = prepared.accepted.set_index("deal_id")
    assert frame["amount"].tolist() == [12000.0, 4500.0, 7250.5]
    assert frame["created_date"].dt.strftime("%Y-%m-%d").tolist() == ["2025-06-01", "2025-06-03", "2025-06-13"]
    assert frame["status"].tolist() == ["won", "lost", "open"]
    assert frame["stage"].tolist() == ["Signé", "Prospect contacté", "Proposition"]
    assert frame["segment"].tolist() == ["Existing Business", "New Business", "New Business"]


def test_french_invoices_amount_is_quantity_times_unit_price():
    prepared = prepare_file(read_table(FRENCH_INVOICES), Mapping())
    assert prepared.mapping.amount_product == ("Quantité", "Prix unitaire HT")
    assert prepared.accepted["amount"].tolist() == [2500.0, 450.5, 1250.0]  # excl. tax, not Total TTC
    assert prepared.accepted["order_id"].tolist() == ["FA-1", "FA-1", "FA-2"]


def test_user_value_mapping_wins_over_recognition():
    text = "Deal ID,Create Date,Phase,Won\nD1,2025-06-01,Étape 2,X\nD2,2025-06-02,Terminé OK,\nD3,2025-06-03,KO,\n"
    raw = read_table(text.encode())
    mapping = DatasetMapping("deals", {"deal_id": "Deal ID", "created_date": "Create Date", "stage": "Phase"},
                             values={"stage": {"Étape 2": "Rendez-vous", "Terminé OK": "Signé"},
                                     "status": {"Terminé OK": "won", "KO": "lost"}})
    prepared = prepare(raw, mapping, DEFAULT_STAGES)
    assert prepared.accepted[["stage", "status"]].values.tolist() == [
        ["Rendez-vous", "open"], ["Signé", "won"], ["Prospect contacté", "lost"]]
    choices = {choice.field: choice for choice in value_choices(raw, mapping, DEFAULT_STAGES)}
    assert choices["stage"].values == {"Étape 2": "Rendez-vous", "Terminé OK": "Signé", "KO": None}
    assert choices["status"].source == "Phase"  # no status column: the stage column gives it
    assert choices["status"].values == {"Étape 2": "open", "Terminé OK": "won", "KO": "lost"}


def test_yes_no_values_of_the_users_own():
    raw = read_table("Date;Commercial;Type;RDV\n01/06/2025;A;Appel;Obtenu\n02/06/2025;A;Visite;Refusé\n".encode())
    mapping = DatasetMapping("activities", {"activity_date": "Date", "rep": "Commercial", "activity_type": "Type",
                                            "meeting_set": "RDV"},
                             values={"meeting_set": {"Obtenu": "true", "Refusé": "false"}})
    prepared = prepare(raw, mapping, DEFAULT_STAGES)
    assert prepared.accepted["meeting_set"].tolist() == [True, False]
    assert prepared.accepted["activity_type"].tolist() == ["call", "meeting"]


def test_saved_mapping_round_trip_and_dialect_correction():
    # The user forced Latin-1 on this file: its saved header only appears when it is read their way again.
    data = "Réf|Qui|Quand|Combien\nX|Y|01/06/2025|5\n".encode()
    corrected = read_table(data, encoding="latin-1")
    assert list(corrected.frame.columns)[0] == "RÃ©f"
    saved = DatasetMapping("orders", {"order_id": "RÃ©f", "customer_id": "Qui", "order_date": "Quand",
                                      "amount": "Combien"}, header=tuple(corrected.frame.columns), encoding="latin-1",
                           values={"is_recurring": {"A": "true"}}, stage_dates={"x": "Signé"}, day_first=False)
    mapping = Mapping.from_json(Mapping([saved], ("A", "B", "C")).to_json())
    assert mapping.files == [saved] and mapping.stages == ("A", "B", "C")
    assert list(read_table(data).frame.columns)[0] == "Réf"  # detection alone reads UTF-8
    raw, found = read_with(data, "next_month.csv", mapping)
    assert found == saved and list(raw.frame.columns) == list(saved.header)
    accepted = prepare_file(raw, mapping).accepted
    assert accepted["order_date"].dt.strftime("%Y-%m-%d").tolist() == ["2025-01-06"]  # saved: month first


@pytest.mark.parametrize("text", ["[]", '{"files": "nope"}', '{"files": [{"dataset": "invoices"}]}', "not json"])
def test_invalid_mapping_files_are_refused(text):
    with pytest.raises(ValueError):
        Mapping.from_json(text)


def test_monthly_exports_add_up_and_repeated_ids_are_reported():
    header = "Deal ID,Create Date,Deal Stage\n"
    june = prepare_file(read_table((header + "D1,2025-06-01,Proposition\nD2,2025-06-02,Won\n").encode(), "juin.csv"),
                        Mapping())
    july = prepare_file(read_table((header + "D2,2025-07-01,Won\nD3,2025-07-02,Lost\n").encode(), "juillet.csv"),
                        Mapping())
    frame, left_out = combine([june, july])
    assert frame["deal_id"].tolist() == ["D1", "D2", "D3"]
    assert [(p.row, p.value, p.source, p.check) for p in left_out] == [(2, "D2", "juillet.csv", "check.unique")]


@pytest.mark.parametrize("cells, day_first, pattern, ambiguous", [
    (["01/02/2025", "03/04/2025"], True, "%d/%m/%Y", True),
    (["13/02/2025", "03/04/2025"], True, "%d/%m/%Y", False),
    (["02/13/2025", "03/04/2025"], True, "%m/%d/%Y", False),
    (["2025-06-30"], True, "%Y-%m-%d", False),
    (["30/06/2025 14:05"], True, "%d/%m/%Y %H:%M", False),
])
def test_date_format_detection(cells, day_first, pattern, ambiguous):
    detected = parse_dates(pd.Series(cells, dtype=object), day_first=day_first).detected
    assert detected == DateFormat(pattern, ambiguous)


@pytest.mark.parametrize("detected, lang, text", [
    (DateFormat("%d/%m/%Y %H:%M"), "fr", "JJ/MM/AAAA hh:mm"),
    (DateFormat("%m/%d/%Y"), "en", "MM/DD/YYYY"),
    (NumberFormat(",", "."), "fr", "virgule décimale (1 234,56)"),
    (NumberFormat(".", ","), "en", "decimal point (1,234.56)"),
])
def test_detected_conventions_in_words(detected, lang, text):
    assert describe_convention(detected, lang) == text
