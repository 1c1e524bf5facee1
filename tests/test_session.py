"""Each user's data stays in their own locked-down database."""

import re
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kpi_core.session import Session, quote
from tests.conftest import ROOT, orders_frame


def test_sessions_do_not_see_each_other(make_session):
    alice = make_session(orders=orders_frame([("A1", "alice-customer", "2025-06-01", 111.0)]))
    bob = make_session(orders=orders_frame([("B1", "bob-customer", "2025-06-01", 222.0)]))
    assert alice.query("SELECT customer_id FROM orders")["customer_id"].tolist() == ["alice-customer"]
    assert bob.query("SELECT customer_id FROM orders")["customer_id"].tolist() == ["bob-customer"]


@pytest.mark.parametrize("statement", [
    "SELECT * FROM read_csv('/etc/passwd')",
    "COPY (SELECT 1) TO '/tmp/boussole-leak.csv'",
    "SET enable_external_access = true",
    "SET memory_limit = '100GB'",
    "INSTALL httpfs",
])
def test_external_access_and_configuration_are_locked(statement):
    session = Session()
    try:
        with pytest.raises(Exception, match=r"(?i)permission|disabled|locked|external"):
            session.query(statement)
    finally:
        session.close()
    assert not Path("/tmp/boussole-leak.csv").exists()


def test_memory_limit_and_threads_are_set():
    session = Session(memory_limit="256MB", threads=1)
    try:
        settings = session.query("SELECT name, value FROM duckdb_settings() WHERE name IN ('memory_limit', 'threads')")
        values = dict(zip(settings["name"], settings["value"]))
        assert values["threads"] == "1"
        assert values["memory_limit"].startswith(("244", "256"))  # DuckDB shows MiB
    finally:
        session.close()


@pytest.mark.parametrize("identifier", ["region", "orders", "amount"])
def test_quote_accepts_canonical_identifiers(identifier):
    assert quote(identifier) == f'"{identifier}"'


@pytest.mark.parametrize("identifier", ['region"; DROP TABLE orders; --', "Montant HT", "", "sqlite_master"])
def test_quote_refuses_anything_else(identifier):
    with pytest.raises(ValueError):
        quote(identifier)


def test_only_the_session_module_imports_duckdb():
    """In the product; bench/ imports bare DuckDB on purpose, as the baseline it is measured against."""
    folders = ("kpi_core", "ui", "pages")
    product = [ROOT / "app.py", *(path for folder in folders for path in (ROOT / folder).glob("*.py"))]
    importers = [path.relative_to(ROOT).as_posix() for path in product
                 if re.search(r"^\s*(import|from) duckdb", path.read_text(), re.M)]
    assert importers == ["kpi_core/session.py"]


def test_core_never_imports_streamlit():
    offenders = [path.name for path in (ROOT / "kpi_core").glob("*.py")
                 if re.search(r"^\s*(import|from) streamlit", path.read_text(), re.M)]
    assert offenders == []


def test_data_facts_are_remembered_until_the_next_load(make_session):
    session = make_session(orders=orders_frame([("A1", "C1", "2025-06-01", 1.0, "Paris")]))
    assert session.dimension_values("orders", "region") == ["Paris"]
    assert session.date_range()[1].isoformat() == "2025-06-01"
    session.load("orders", orders_frame([("B1", "C2", "2025-07-09", 2.0, "Lyon")]))
    assert session.dimension_values("orders", "region") == ["Lyon"]
    assert session.date_range()[1].isoformat() == "2025-07-09"


def test_the_apps_compressed_tables_answer_the_same_in_less_memory():
    lines = 200_000
    frame = pd.DataFrame({
        "order_id": [f"FA{n // 2:07d}" for n in range(lines)], "customer_id": [f"C{n % 900:04d}" for n in range(lines)],
        "order_date": pd.Timestamp("2025-01-01") + pd.to_timedelta(np.arange(lines) % 500, unit="D"),
        "amount": (np.arange(lines) % 977) * 1.25, "region": np.array(["Paris", "Bretagne", "Occitanie"])[
            np.arange(lines) % 3]})
    plain, compressed = Session(), Session(compress=True)
    used = []
    for session in (plain, compressed):
        session.load("orders", frame)
        used.append(session.query("SELECT SUM(memory_usage_bytes) AS used FROM duckdb_memory()")["used"].iloc[0])
    total = "SELECT region, SUM(amount) AS revenue, MAX(order_total) AS top FROM orders GROUP BY 1 ORDER BY 1"
    assert plain.query(total).equals(compressed.query(total))
    assert used[1] < used[0] / 2


def test_beyond_its_memory_limit_a_session_spills_to_its_own_folder_removed_on_close():
    lines = 1_000_000
    frame = pd.DataFrame({"order_id": pd.Series(np.arange(lines) // 2).map("FA{:08d}".format),
                          "customer_id": pd.Series(np.arange(lines) % 7919).map("C{:05d}".format),
                          "order_date": pd.Timestamp("2025-01-01") + pd.to_timedelta(np.arange(lines) % 400, unit="D"),
                          "amount": np.ones(lines)})
    session = Session(memory_limit="50MB")  # under what a million order lines take (~71 MB)
    session.load("orders", frame)
    totals = session.query("SELECT COUNT(*) AS n, SUM(order_total) AS t FROM orders").iloc[0].tolist()
    assert totals == [lines, 2 * lines]
    folder = Path(session._spill)
    assert folder.is_dir() and folder.parent == Path(tempfile.gettempdir())
    session.close()
    assert not folder.exists()
