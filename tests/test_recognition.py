"""Real export shapes recognised without a mapping file (issue 14): the corpus under tests/data/exports/."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from kpi_core import currency
from kpi_core.cli import main
from kpi_core.ingest import prepare_file
from kpi_core.mapping import Mapping
from kpi_core.reader import read_path
from kpi_core.recognition import confidences, mapping_for

EXPORTS = Path(__file__).parent / "data" / "exports"
SAMPLE = Path(__file__).parent.parent / "sample_data"


@pytest.mark.parametrize(("name", "dataset", "columns", "day_first"), [
    # A US retailer's order lines: `Sales` is the amount, `Region` (not `City`, left of it) the region, and
    # `11/8/2018` is read month-first, so the day/month setting starts unticked.
    ("us_order_lines.csv", "orders", {"order_id": "Order ID", "customer_id": "Customer ID",
                                      "order_date": "Order Date", "amount": "Sales", "region": "Region",
                                      "segment": "Segment"}, False),
    # A CRM's opportunities: deals, not orders; the agent is the rep, the engage date the creation date.
    ("crm_opportunities.csv", "deals", {"deal_id": "opportunity_id", "created_date": "engage_date",
                                        "stage": "deal_stage", "amount": "close_value", "closed_date": "close_date",
                                        "rep": "sales_agent"}, True),
])
def test_an_export_is_recognised_from_its_header_and_values(name, dataset, columns, day_first):
    chosen = mapping_for(read_path(EXPORTS / name), Mapping())
    assert chosen.dataset == dataset
    assert {field: chosen.columns.get(field) for field in columns} == columns
    assert chosen.day_first is day_first


def test_online_retail_invoice_lines_multiply_quantity_by_unit_price():
    chosen = mapping_for(read_path(EXPORTS / "online_retail_invoices.csv"), Mapping())
    assert (chosen.dataset, chosen.amount_product, chosen.day_first) == ("orders", ("Quantity", "UnitPrice"), False)
    assert chosen.columns == {"order_id": "InvoiceNo", "customer_id": "CustomerID", "order_date": "InvoiceDate",
                              "region": "Country", "product": "Description"}


def _invoice_lines() -> pd.DataFrame:
    """The online retailer's lines read independently: month-first dates with a time, amount = quantity × price,
    cancellations (`C…`, negative quantities) as credit notes."""
    lines = pd.read_csv(EXPORTS / "online_retail_invoices.csv", dtype={"CustomerID": "string"})
    lines["day"] = pd.to_datetime(lines["InvoiceDate"], format="%m/%d/%Y %H:%M").dt.normalize()
    lines["amount"] = lines["Quantity"] * lines["UnitPrice"]
    return lines.assign(total=lines.groupby("InvoiceNo")["amount"].transform("sum"))


def _month(lines: pd.DataFrame, month: str) -> pd.DataFrame:
    start = pd.Timestamp(month + "-01")
    return lines[(lines["day"] >= start) & (lines["day"] < start + pd.offsets.MonthBegin(1))]


def test_online_retail_figures_keep_guest_checkouts_out_of_customer_kpis(capsys):
    path = str(EXPORTS / "online_retail_invoices.csv")
    assert main(["--lang", "en", "validate", path]) == 0
    lines = _invoice_lines()
    guests = lines[lines["CustomerID"].isna()]
    # No symbol in the file: amounts are shown in euros unless the user says otherwise.
    assert f"{len(guests)} row(s) without a customer (€{guests['amount'].sum():,.2f})" in capsys.readouterr().out
    assert main(["report", "--orders", path, "--period", "2011-01", "--format", "json"]) == 0
    kpis = json.loads(capsys.readouterr().out)["kpis"]
    january, december = _month(lines, "2011-01"), _month(lines, "2010-12")
    sales = january[january["total"] > 0]
    customers = set(sales["CustomerID"].dropna())
    before = set(december.loc[december["total"] > 0, "CustomerID"].dropna())
    assert kpis["revenue"] == pytest.approx(january["amount"].sum())
    assert kpis["sales_count"] == sales["InvoiceNo"].nunique()
    assert kpis["anonymous_revenue"] == pytest.approx(january.loc[january["CustomerID"].isna(), "amount"].sum())
    assert kpis["active_customers"] == len(customers)
    assert kpis["orders_per_customer"] == pytest.approx(
        sales.dropna(subset=["CustomerID"])["InvoiceNo"].nunique() / len(customers))
    assert kpis["retention_base"] == len(before)
    assert kpis["retention_rate"] == pytest.approx(len(before & customers) / len(before))


def test_french_dates_keep_the_day_first():
    assert mapping_for(read_path(SAMPLE / "orders.csv"), Mapping(), "orders").day_first is True


def test_the_us_order_lines_give_the_right_figures_with_no_mapping_file(capsys):
    arguments = ["report", "--orders", str(EXPORTS / "us_order_lines.csv"), "--period", "2018-03", "--by", "region",
                 "--format", "json"]
    assert main(arguments) == 0
    report = json.loads(capsys.readouterr().out)
    # Independently: the month's lines, read month-first, summed per region.
    lines = pd.read_csv(EXPORTS / "us_order_lines.csv")
    lines["day"] = pd.to_datetime(lines["Order Date"], format="%m/%d/%Y")
    month = lines[(lines["day"] >= "2018-03-01") & (lines["day"] < "2018-04-01")]
    assert report["kpis"]["revenue"] == pytest.approx(month["Sales"].sum())
    assert report["kpis"]["sales_count"] == month["Order ID"].nunique()
    by_region = {row["value"]: row["revenue"] for row in report["breakdowns"]["region"]}
    expected = month.groupby("Region")["Sales"].sum()
    assert set(expected.index) <= set(by_region)
    assert by_region == pytest.approx({region: expected.get(region, 0) for region in by_region})


def _crm_deals() -> pd.DataFrame:
    """The CRM's opportunities joined by hand with pandas to the teams (the agent's office) and accounts (sector)."""
    deals = pd.read_csv(EXPORTS / "crm_opportunities.csv", parse_dates=["engage_date", "close_date"])
    teams = pd.read_csv(EXPORTS / "sales_teams.csv")
    accounts = pd.read_csv(EXPORTS / "accounts.csv")
    return deals.merge(teams, on="sales_agent", how="left").merge(accounts, on="account", how="left")


def test_crm_opportunities_take_their_region_and_sector_from_the_lookup_files(capsys, tmp_path):
    lookups = ["--lookup", str(EXPORTS / "sales_teams.csv"), "--lookup", str(EXPORTS / "accounts.csv")]
    saved = tmp_path / "mapping.json"
    arguments = ["report", "--deals", str(EXPORTS / "crm_opportunities.csv"), *lookups, "--period", "2017-Q2",
                 "--granularity", "quarter", "--by", "region", "--format", "json"]
    assert main([*arguments, "--save-mapping", str(saved)]) == 0
    out, err = capsys.readouterr()
    report = json.loads(out)
    deals = _crm_deals()
    dated = deals.dropna(subset=["engage_date"])  # a prospect without an engage date has no creation date
    assert "accounts.csv joint sur « account »" in err
    assert f"{deals['sector'].notna().sum()} ligne(s) sur {len(deals)} trouvées" in err
    quarter = ("2017-04-01" <= dated["engage_date"]) & (dated["engage_date"] < "2017-07-01")
    closed = deals[("2017-04-01" <= deals["close_date"]) & (deals["close_date"] < "2017-07-01")]
    won = closed[closed["deal_stage"] == "Won"]
    kpis = report["kpis"]
    assert kpis["deals_created"] == quarter.sum()
    assert kpis["deals_won"] == len(won)
    assert kpis["win_rate"] == pytest.approx(len(won) / closed["deal_stage"].isin(["Won", "Lost"]).sum())
    assert kpis["won_amount"] == pytest.approx(won["close_value"].sum())
    by_region = {row["value"]: row["deals_won"] for row in report["breakdowns"]["region"]}
    assert by_region == {office: count for office, count in won["regional_office"].value_counts().items()} | {
        office: 0 for office in set(by_region) - set(won["regional_office"])}
    # The saved mapping names the joins and the columns from them: the next run is explicit and gives the same.
    mapping = json.loads(saved.read_text())
    assert {(join["key"], join["on"]) for join in mapping["lookups"]} == {("sales_agent", "sales_agent"),
                                                                           ("account", "account")}
    assert mapping["files"][0]["columns"]["region"] == "regional_office"
    assert mapping["files"][0]["columns"]["segment"] == "sector"
    assert main([*arguments, "--mapping", str(saved)]) == 0
    assert json.loads(capsys.readouterr().out)["kpis"] == kpis


def test_a_lost_deal_counts_at_the_furthest_stage_its_dates_show():
    prepared = prepare_file(read_path(EXPORTS / "crm_opportunities.csv"), Mapping())
    deals = _crm_deals()
    lost = deals[(deals["deal_stage"] == "Lost") & deals["engage_date"].notna()]
    assert prepared.mapping.stage_dates == {"engage_date": "Rendez-vous"}
    assert prepared.lost_at == {"Rendez-vous": len(lost)}
    stages = prepared.accepted.set_index("deal_id")["stage"]
    assert set(stages[lost["opportunity_id"]]) == {"Rendez-vous"}
    chosen = prepared.mapping
    chosen.lost_stage = "Proposition"
    assert prepare_file(read_path(EXPORTS / "crm_opportunities.csv"), Mapping([chosen])).lost_at == {
        "Proposition": len(lost)}


@pytest.mark.parametrize(("header", "cells", "found"), [
    ("Montant HT (€)", ["1 234,50", "12"], {"EUR"}),
    ("Sales", ["$1,234.50", "$12.00"], {"USD"}),
    ("Amount USD", ["1234.5"], {"USD"}),
    ("Total", ["£12.40", "£3"], {"GBP"}),
    ("Montant", ["12 EUR", "3 euros"], {"EUR"}),
    ("Montant", ["12 €", "$3"], {"EUR", "USD"}),
    ("Sales", ["1234.5", "12"], set()),
    ("Euromarket revenue", ["12"], set()),  # a word containing a code is not the code
])
def test_the_currency_is_read_from_the_header_and_the_amounts(header, cells, found):
    assert currency.found_in(pd.Series(cells), header) == found


def test_amounts_are_shown_in_the_files_currency_and_a_mix_is_refused(capsys, tmp_path):
    dollars = tmp_path / "orders.csv"
    dollars.write_text("Order ID,Customer ID,Order Date,Sales\nA1,C1,2025-06-02,\"$1,200.75\"\nA2,C2,2025-06-03,$300\n")
    report = ["--lang", "en", "report", "--orders", str(dollars), "--period", "2025-06"]
    assert main([*report, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["currency"] == "USD"
    assert main([*report, "--format", "markdown"]) == 0
    assert "| Revenue | US$1,501 |" in capsys.readouterr().out
    invoices = str(EXPORTS / "online_retail_invoices.csv")  # no symbol: the user says pounds
    assert main(["report", "--orders", invoices, "--period", "2011-01", "--format", "markdown",
                 "--currency", "GBP"]) == 0
    assert "£GB" in capsys.readouterr().out  # French spelling of the pound sterling
    euros = tmp_path / "deals.csv"
    euros.write_text("Deal ID,Create Date,Deal Stage,Amount\nD1,2025-06-01,Won,1000 €\n")
    assert main(["--lang", "en", "report", "--orders", str(dollars), "--deals", str(euros), "--period", "2025-06"]) == 1
    assert "These files are not in the same currency (EUR, USD): load one at a time." in capsys.readouterr().err
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("Order ID,Customer ID,Order Date,Amount\nA1,C1,2025-06-02,12 €\nA2,C2,2025-06-03,$3\n")
    assert main(["--lang", "en", "validate", str(mixed)]) == 1
    assert "Amounts in several currencies (EUR, USD)" in capsys.readouterr().out


@pytest.mark.parametrize(("name", "dataset", "columns"), [
    # HubSpot's French interface: its own labels, its French stage names (`Conclu gagné`, `Contrat envoyé`).
    ("hubspot_deals_fr.csv", "deals", {"deal_id": "ID de fiche d'informations", "created_date": "Date de création",
                                       "stage": "Phase de la transaction", "amount": "Montant",
                                       "closed_date": "Date de fermeture", "rep": "Propriétaire de la transaction"}),
    # Sellsy's invoices: `Numéro`, `Montant HT` beside `Montant TTC`, a `Devise` column, a blank customer.
    ("sellsy_factures.csv", "orders", {"order_id": "Numéro", "customer_id": "Client", "order_date": "Date",
                                       "amount": "Montant HT", "rep": "Commercial"}),
    # Axonaut's: `Référence`, `Entreprise`, `Date de facturation`, postcodes as the place.
    ("axonaut_factures.csv", "orders", {"order_id": "Référence", "customer_id": "Entreprise",
                                        "order_date": "Date de facturation", "amount": "Total HT",
                                        "region": "Code postal", "rep": "Commercial"}),
])
def test_crm_and_invoicing_tool_headers_in_french_are_recognised(name, dataset, columns):
    raw = read_path(EXPORTS / name)
    chosen = mapping_for(raw, Mapping())
    assert (chosen.dataset, chosen.columns) == (dataset, columns)
    assert prepare_file(raw, Mapping()).rejected.empty
    assert {found.confidence for found in confidences(raw, chosen) if found.field in ("order_id", "deal_id")} == {
        "high"}


def _french_amounts(cells: pd.Series) -> pd.Series:
    return cells.str.replace(" ", "").str.replace(",", ".").astype(float)


def test_french_tool_exports_give_the_right_figures_with_no_mapping_file(capsys):
    deals = pd.read_csv(EXPORTS / "hubspot_deals_fr.csv", parse_dates=["Date de fermeture"])
    closed = deals[(deals["Date de fermeture"] >= "2026-04-01") & (deals["Date de fermeture"] < "2026-05-01")
                   & deals["Phase de la transaction"].str.startswith("Conclu")]
    won = closed[closed["Phase de la transaction"] == "Conclu gagné"]
    invoices = pd.read_csv(EXPORTS / "sellsy_factures.csv", sep=";", dtype=str)
    invoices["amount"] = _french_amounts(invoices["Montant HT"])
    april = invoices[invoices["Date"].str.endswith("/04/2026")]
    assert main(["report", "--deals", str(EXPORTS / "hubspot_deals_fr.csv"), "--orders",
                 str(EXPORTS / "sellsy_factures.csv"), "--period", "2026-04", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    kpis = report["kpis"]
    assert report["currency"] == "EUR"  # from the `Devise` column
    assert kpis["deals_won"] == len(won) and kpis["deals_closed"] == len(closed)
    assert kpis["won_amount"] == pytest.approx(won["Montant"].sum())
    assert kpis["revenue"] == pytest.approx(april["amount"].sum())
    assert kpis["active_customers"] == april.loc[april["amount"] > 0, "Client"].nunique()  # the blank one is no one
    assert kpis["anonymous_revenue"] == pytest.approx(april.loc[april["Client"].isna(), "amount"].sum())


UNNAMED = ("Pièce;Tiers;Jour;Net;Ville\nP-1;Dupont;03/02/2026;1 200,50;Lyon\nP-2;Martin;04/02/2026;99,90;Paris\n"
           "P-3;Dupont;17/02/2026;450,00;Lyon\nP-4;Leroy;20/02/2026;75,25;Toulouse\n")


def test_columns_no_header_names_are_found_from_their_values_and_left_to_check(tmp_path, capsys):
    path = tmp_path / "pieces.csv"
    path.write_text(UNNAMED, encoding="utf-8")
    raw = read_path(path)
    chosen = mapping_for(raw, Mapping(), "orders")
    # A unique text column is the id, the one of dates the date, numbers with cents the amount, French cities a place.
    assert chosen.columns == {"order_id": "Pièce", "customer_id": "Tiers", "order_date": "Jour", "amount": "Net",
                              "region": "Ville"}
    sure = {found.field: found.confidence for found in confidences(raw, chosen)}
    assert sure == {"order_id": "low", "customer_id": "high", "order_date": "low", "amount": "low",
                    "region": "high"}
    assert main(["validate", str(path), "--dataset", "orders"]) == 0
    assert "Date de commande ← Jour (à vérifier)" in capsys.readouterr().out
