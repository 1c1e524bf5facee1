"""Real export shapes recognised without a mapping file (issue 14): the corpus under tests/data/exports/."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from kpi_core.cli import main
from kpi_core.ingest import mapping_for
from kpi_core.mapping import Mapping
from kpi_core.reader import read_path

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
    assert f"{len(guests)} row(s) without a customer (£{guests['amount'].sum():,.2f})".replace("£", "€") \
        in capsys.readouterr().out
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
