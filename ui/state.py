"""Per-browser-session state: the user's own DuckDB session and the sidebar's selection."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from kpi_core import custom, periods, sample
from kpi_core.analysis import Analysis, Selection
from kpi_core.i18n import language_from_locale
from kpi_core.ingest import Prepared, Problem, combine, prepare_file
from kpi_core.mapping import Mapping
from kpi_core.periods import Granularity, parse_period
from kpi_core.reader import read_path
from kpi_core.schemas import DATASETS
from kpi_core.session import Session

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
FILTER_DIMENSIONS = ("region", "segment", "rep", "product")
# Cloud gives an app 0.7–2.7 GB for every session together.
SESSION_MEMORY_LIMIT = "512MB"


@st.cache_data(show_spinner=False)
def _validated_sample() -> dict[str, pd.DataFrame]:
    """The bundled sample company as committed, validated once per process (public data, the same for everyone)."""
    frames = {}
    for dataset in DATASETS:
        path = SAMPLE_DIR / f"{dataset}.csv"
        if path.is_file():
            frames[dataset] = prepare_file(read_path(path), Mapping(), dataset).accepted
    return frames


@st.cache_data(show_spinner=False)
def sample_frames(day: date) -> dict[str, pd.DataFrame]:
    """The sample company as of `day`: its last day in the week before, so its current period is in progress."""
    return sample.shift_to(_validated_sample(), day)


def load_sample(session: Session) -> None:
    for dataset, frame in sample_frames(periods.today()).items():
        session.load(dataset, frame, stages=Mapping().stages)
    st.session_state["data_source"] = "sample"


def restore_sample() -> None:
    """Back to the sample company in a fresh database (the user's tables go with the old one)."""
    new = Session(memory_limit=SESSION_MEMORY_LIMIT)
    load_sample(new)
    old = st.session_state.get("kpi_session")
    st.session_state["kpi_session"] = new
    if old is not None:
        old.close()


def load_files(parts: list[Prepared], stages: tuple[str, ...]) -> list[Problem]:
    """The user's validated files replace everything in this session (a fresh database, nothing of the
    sample left); several files of one dataset add up. Returns the rows left out as cross-file duplicates."""
    new = Session(memory_limit=SESSION_MEMORY_LIMIT)
    left_out = []
    for dataset in DATASETS:
        frame, duplicates = combine([part for part in parts if part.dataset == dataset])
        if len(frame):
            new.load(dataset, frame, stages=stages)
        left_out += duplicates
    old = st.session_state.get("kpi_session")
    st.session_state["kpi_session"] = new
    st.session_state["data_source"] = "upload"
    if old is not None:
        old.close()
    mapping = saved_mapping()
    for part in parts:
        mapping.remember(part.mapping)
    mapping.stages = stages
    return left_out


def saved_mapping() -> Mapping:
    """This session's mappings: uploaded as JSON, or remembered from the files loaded."""
    return st.session_state.setdefault("mapping", Mapping())


def flash(kind: str, text: str) -> None:
    """A message for the next page shown (kind: success, warning)."""
    st.session_state.setdefault("flash", []).append((kind, text))


def session() -> Session:
    """This browser session's database; nothing in it is shared with another session."""
    if "kpi_session" not in st.session_state:
        new = Session(memory_limit=SESSION_MEMORY_LIMIT)
        load_sample(new)
        st.session_state["kpi_session"] = new
    return st.session_state["kpi_session"]


def using_sample() -> bool:
    return st.session_state.get("data_source", "sample") == "sample"


def lang() -> str:
    return st.session_state.get("lang") or language_from_locale(st.context.locale)


def granularity() -> Granularity:
    return Granularity(st.session_state.get("granularity") or Granularity.MONTH)


def period_key() -> str:
    """The period widget of the current granularity (one per granularity: see layout._carry_period)."""
    return f"period_{granularity().value}"


def selection() -> Selection:
    """What the sidebar says: granularity, period, filters, retention window (and the targets page's
    public-holidays switch)."""
    key = st.session_state.get(period_key())
    period = parse_period(key, granularity()) if key else None
    filters = {d: tuple(st.session_state.get(f"filter_{d}") or ()) for d in FILTER_DIMENSIONS}
    return Selection(granularity(), period, {d: v for d, v in filters.items() if v},
                     int(st.session_state.get("retention_window") or 1),
                     bool(st.session_state.get("exclude_holidays", True)))


def custom_kpis() -> custom.Compiled:
    """The user's own KPIs, saved with the mapping, compiled (cheap: a few dataclasses)."""
    return custom.compile_all(saved_mapping().custom_kpis)


def analysis() -> Analysis:
    return Analysis(session(), selection(), custom=custom_kpis().kpis)


def available_periods():
    """Periods the loaded data covers at the chosen granularity, newest first."""
    return Analysis(session(), Selection(granularity())).periods()
