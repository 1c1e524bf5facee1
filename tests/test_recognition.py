"""Real export shapes recognised without a mapping file (issue 14): the corpus under tests/data/exports/."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from kpi_core import currency
from kpi_core.cli import main
from kpi_core.ingest import prepare_file
from kpi_core.mapping import DatasetMapping, Mapping
from kpi_core.reader import read_path, read_table
from kpi_core.recognition import complete, confidences, mapping_for

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
    said = capsys.readouterr().out
    assert "Amount excl. tax ← Quantity × UnitPrice (sure)" in said
    # No symbol in the file: amounts are shown in euros unless the user says otherwise.
    assert f"{len(guests)} row(s) without a customer (€{guests['amount'].sum():,.2f})" in said
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
    # Pipedrive's English export: `Deal - …` columns, a status column of its own; no date column is a place.
    ("pipedrive_deals.csv", "deals", {"deal_id": "Deal - ID", "created_date": "Deal - Deal created",
                                      "stage": "Deal - Stage", "status": "Deal - Status", "amount": "Deal - Value",
                                      "closed_date": "Deal - Deal closed on", "rep": "Deal - Owner",
                                      "lost_reason": "Deal - Lost reason"}),
    # Salesforce's opportunities report: `Closed Won` in the stage column, the billing region, the opportunity type.
    ("salesforce_opportunities.csv", "deals", {"deal_id": "Opportunity ID", "created_date": "Created Date",
                                               "stage": "Stage", "amount": "Amount", "closed_date": "Close Date",
                                               "rep": "Opportunity Owner", "region": "Billing State/Province",
                                               "segment": "Type", "source": "Lead Source"}),
    # HubSpot's English export, with a stage-entry date column (a stage date, not a region).
    ("hubspot_deals_en.csv", "deals", {"deal_id": "Record ID", "created_date": "Create Date", "stage": "Deal Stage",
                                       "amount": "Amount", "closed_date": "Close Date", "rep": "Deal owner",
                                       "segment": "Deal Type", "source": "Original Source Type",
                                       "lost_reason": "Closed Lost Reason"}),
    # A French CRM whose stage column is called `Statut`: its values are stage names, so it is the stage.
    ("crm_affaires_fr.csv", "deals", {"deal_id": "Affaire", "created_date": "Créée le", "stage": "Statut",
                                      "amount": "Montant", "closed_date": "Clôturée le", "rep": "Commercial",
                                      "region": "Ville"}),
])
def test_crm_and_invoicing_tool_headers_are_recognised(name, dataset, columns):
    raw = read_path(EXPORTS / name)
    chosen = mapping_for(raw, Mapping())
    assert (chosen.dataset, chosen.columns) == (dataset, columns)
    assert prepare_file(raw, Mapping()).rejected.empty
    assert {found.confidence for found in confidences(raw, chosen) if found.field in ("order_id", "deal_id")} == {
        "high"}


def test_the_vendor_exports_day_month_order_and_stage_dates_are_read():
    assert mapping_for(read_path(EXPORTS / "salesforce_opportunities.csv"), Mapping()).day_first is False
    hubspot = mapping_for(read_path(EXPORTS / "hubspot_deals_en.csv"), Mapping())
    assert hubspot.stage_dates == {'Date entered "Contract Sent (Sales Pipeline)"': "Négociation"}
    raw = read_path(EXPORTS / "crm_affaires_fr.csv")
    found = {item.field: item.confidence for item in confidences(raw, mapping_for(raw, Mapping()))}
    assert found["stage"] == "medium"  # a `Statut` header, stage names in it: likely, said, not asked


def _deal_figures(created: pd.Series, closed: pd.Series, outcome: pd.Series, amount: pd.Series,
                  start: str, end: str) -> dict:
    """A period's deal KPIs computed by hand: created by creation date, closed (won or lost) by close date."""
    closed_in = closed.between(start, end, inclusive="left") & outcome.isin(["won", "lost"])
    won = closed_in & outcome.eq("won")
    return {"deals_created": int(created.between(start, end, inclusive="left").sum()),
            "deals_closed": int(closed_in.sum()), "deals_won": int(won.sum()),
            "won_amount": pytest.approx(float(amount[won].sum())),
            "win_rate": pytest.approx(won.sum() / closed_in.sum())}


def _pipedrive():
    deals = pd.read_csv(EXPORTS / "pipedrive_deals.csv", parse_dates=["Deal - Deal created", "Deal - Deal closed on"])
    return (deals["Deal - Deal created"], deals["Deal - Deal closed on"], deals["Deal - Status"],
            deals["Deal - Value"])


def _salesforce():
    deals = pd.read_csv(EXPORTS / "salesforce_opportunities.csv")
    outcome = deals["Stage"].map({"Closed Won": "won", "Closed Lost": "lost"}).fillna("open")
    return (pd.to_datetime(deals["Created Date"], format="%m/%d/%Y"),
            pd.to_datetime(deals["Close Date"], format="%m/%d/%Y"), outcome, deals["Amount"])


def _hubspot():
    deals = pd.read_csv(EXPORTS / "hubspot_deals_en.csv", parse_dates=["Create Date", "Close Date"])
    outcome = deals["Deal Stage"].map({"Closed Won": "won", "Closed Lost": "lost"}).fillna("open")
    return deals["Create Date"], deals["Close Date"], outcome, deals["Amount"]


def _affaires():
    deals = pd.read_csv(EXPORTS / "crm_affaires_fr.csv", sep=";", dtype=str)
    outcome = deals["Statut"].map({"Gagné": "won", "Perdu": "lost"}).fillna("open")
    created, closed = (pd.to_datetime(deals[name], format="%d/%m/%Y") for name in ("Créée le", "Clôturée le"))
    return created, closed, outcome, _french_amounts(deals["Montant"])


@pytest.mark.parametrize(("name", "read", "currency_code"), [
    ("pipedrive_deals.csv", _pipedrive, "USD"),  # from the `Deal - Currency` column
    ("salesforce_opportunities.csv", _salesforce, "EUR"),
    ("hubspot_deals_en.csv", _hubspot, "EUR"),
    ("crm_affaires_fr.csv", _affaires, "EUR"),
])
def test_crm_exports_give_the_right_deal_figures_with_no_mapping_file(name, read, currency_code, capsys):
    assert main(["report", "--deals", str(EXPORTS / name), "--period", "2026-Q2", "--granularity", "quarter",
                 "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    expected = _deal_figures(*read(), "2026-04-01", "2026-07-01")
    assert expected["deals_closed"] and expected["deals_won"]  # the period has something to check
    assert {name: report["kpis"][name] for name in expected} == expected
    assert report["currency"] == currency_code


def test_an_article_list_gives_order_lines_their_product_names(capsys):
    arguments = ["report", "--orders", str(EXPORTS / "lignes_commande.csv"), "--lookup", str(EXPORTS / "articles.csv"),
                 "--period", "2026-05", "--by", "product", "--format", "json"]
    assert main(arguments) == 0
    out, err = capsys.readouterr()
    lines = pd.read_csv(EXPORTS / "lignes_commande.csv", sep=";", dtype=str)
    articles = pd.read_csv(EXPORTS / "articles.csv", sep=";", dtype=str)
    lines["amount"] = lines["Quantité"].astype(int) * _french_amounts(lines["Prix unitaire HT"])
    lines = lines.merge(articles, on="Réf article", how="left")
    may = lines[lines["Date"].str.endswith("/05/2026")]
    unknown = lines["Désignation"].isna()
    found = len(lines) - unknown.sum()
    assert f"{found} ligne(s) sur {len(lines)} trouvées, {unknown.sum()} sans correspondance" in err
    by_product = {row["value"]: row["revenue"] for row in json.loads(out)["breakdowns"]["product"]}
    expected = may.groupby(may["Désignation"].fillna("—"), dropna=False)["amount"].sum()
    assert {value or "—": revenue for value, revenue in by_product.items()} == pytest.approx(expected.to_dict())


@pytest.mark.parametrize(("dataset", "cells", "found"), [
    # A column of stage names is the stage, whatever its header; a Won/Lost among them is still a stage column.
    ("deals", {"Avancement": ["Proposition", "Gagné", "Rendez-vous", "Perdu"]}, {"stage": "Avancement"}),
    ("deals", {"Où en est-on": ["Closed Won", "Prospecting", "Negotiation"]}, {"stage": "Où en est-on"}),
    # Only outcomes: the status, not a stage.
    ("deals", {"Étape": ["Demo", "Proposal", "Demo"], "Issue": ["Gagné", "Perdu", "En cours"]},
     {"stage": "Étape", "status": "Issue"}),
    # Activity types from their names.
    ("activities", {"Quoi": ["Appel", "Email", "RDV", "Appel"]}, {"activity_type": "Quoi"}),
    # Not a vocabulary: one known value among unknown ones, or a single meaning.
    ("deals", {"Pipeline": ["Standard", "Partenaires", "Standard", "Proposition"]}, {}),
    ("deals", {"Ville": ["Lyon", "Paris", "Lille", "Nantes"]}, {"region": "Ville"}),
    ("deals", {"Issue": ["Gagné", "Gagné"]}, {}),
])
def test_stage_status_and_activity_columns_are_found_from_their_values(dataset, cells, found):
    raw = read_table(pd.DataFrame(cells).to_csv(index=False).encode(), "file.csv")
    completed = complete(raw, DatasetMapping(dataset, {}))
    assert {name: column for name, column in completed.columns.items() if column in cells} == found


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
