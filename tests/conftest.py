"""Shared fixtures: small canonical frames loaded into a fresh session."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from kpi_core.session import Session

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
# The app keeps its sample current (kpi_core.sample): pinned to the day after the committed files end, it shows them
# as they are, so pages can be checked against the CSV files (the app started by the browser tests inherits it).
TODAY = "2026-11-01"
os.environ["BOUSSOLE_TODAY"] = TODAY


def sample_frames(*datasets: str) -> dict[str, pd.DataFrame]:
    """The sample's files of these datasets, read, mapped and validated as the app does."""
    from kpi_core.ingest import prepare_file
    from kpi_core.mapping import Mapping
    from kpi_core.reader import read_path

    return {dataset: prepare_file(read_path(SAMPLE / f"{dataset}.csv"), Mapping(), dataset).accepted
            for dataset in datasets}


def session_of(frames: dict[str, pd.DataFrame]) -> Session:
    """A session holding these canonical frames (the caller closes it)."""
    session = Session()
    for dataset, frame in frames.items():
        session.load(dataset, frame)
    return session


def app_on(session: Session, **query: str):
    """The app run through Streamlit's AppTest on the user's own data (`session`, as an upload leaves it), opened on
    the URL parameters `query`."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["kpi_session"] = session
    at.session_state["data_source"] = "upload"
    at.query_params.update(query)
    return at.run()


def orders_frame(rows: list[tuple]) -> pd.DataFrame:
    """(order_id, customer_id, 'YYYY-MM-DD', amount[, region]) → a canonical orders frame."""
    frame = pd.DataFrame([row + (None,) * (5 - len(row)) for row in rows],
                         columns=["order_id", "customer_id", "order_date", "amount", "region"])
    frame["order_date"] = pd.to_datetime(frame["order_date"])
    return frame if frame["region"].notna().any() else frame.drop(columns="region")


def deals_frame(rows: list[tuple]) -> pd.DataFrame:
    """(deal_id, 'created', stage, status, 'closed' or None[, region]) → a canonical deals frame."""
    frame = pd.DataFrame([row + (None,) * (6 - len(row)) for row in rows],
                         columns=["deal_id", "created_date", "stage", "status", "closed_date", "region"])
    for column in ("created_date", "closed_date"):
        frame[column] = pd.to_datetime(frame[column])
    return frame if frame["region"].notna().any() else frame.drop(columns="region")


@pytest.fixture
def make_session():
    """Build sessions from frames; every one is closed at the end of the test."""
    sessions = []

    def build(**frames: pd.DataFrame) -> Session:
        session = Session()
        for dataset, frame in frames.items():
            session.load(dataset, frame)
        sessions.append(session)
        return session

    yield build
    for session in sessions:
        session.close()


def funnel_deals(counts: list[int], created: str = "2025-06-10", region: str | None = None,
                 prefix: str = "D") -> list[tuple]:
    """Deals whose furthest stage gives `counts` deals reaching each of the default stages."""
    from kpi_core.mapping import DEFAULT_STAGES

    rows, number = [], 0
    for rank, reached in enumerate(counts, start=1):
        beyond = counts[rank] if rank < len(counts) else 0
        for _ in range(reached - beyond):
            number += 1
            status = "won" if rank == len(DEFAULT_STAGES) else "lost"
            rows.append((f"{prefix}{number}", created, DEFAULT_STAGES[rank - 1], status, created, region))
    return rows
