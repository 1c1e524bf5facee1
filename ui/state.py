"""Per-browser-session state: the user's own DuckDB session and the sidebar's selection."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import streamlit as st
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from kpi_core import currency, custom, periods, sample
from kpi_core.analysis import Analysis, Selection
from kpi_core.i18n import language_from_locale, t
from kpi_core.ingest import Prepared, Problem, combine, prepare_file
from kpi_core.mapping import Mapping
from kpi_core.memory import release_memory
from kpi_core.periods import Granularity, parse_period
from kpi_core.reader import read_path
from kpi_core.schemas import DATASETS
from kpi_core.session import Session

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
FILTER_DIMENSIONS = ("region", "segment", "rep", "product")
# Cloud gives an app 0.7–2.7 GB for every session together.
SESSION_MEMORY_LIMIT = "512MB"


@st.cache_resource(show_spinner=False, max_entries=2)
def _sample_tables(day: date, digest: str) -> dict[str, pa.Table]:
    """The bundled sample company as of `day`, read and validated once per process and kept as immutable Arrow
    tables that every session's database copies (public data, the same for everyone; `digest` is its content)."""
    frames = {dataset: prepare_file(read_path(SAMPLE_DIR / f"{dataset}.csv"), Mapping(), dataset).accepted
              for dataset in DATASETS if (SAMPLE_DIR / f"{dataset}.csv").is_file()}
    return {dataset: pa.Table.from_pandas(frame, preserve_index=False)
            for dataset, frame in sample.shift_to(frames, day).items()}


def _sample_digest() -> str:
    """The sample files' names, sizes and times: a new sample (`make sample`) is read again."""
    return "|".join(f"{path.name}:{path.stat().st_size}:{path.stat().st_mtime_ns}"
                    for path in sorted(SAMPLE_DIR.glob("*.csv")))


def load_sample(session: Session) -> None:
    for dataset, table in _sample_tables(periods.today(), _sample_digest()).items():
        session.load(dataset, table, stages=Mapping().stages)
    st.session_state["data_source"] = "sample"


class _Databases:
    """The databases a browser session opened; Streamlit releases this when the session disconnects or times out,
    which closes them (their tables go, whatever still refers to the session) and drops the files it uploaded."""

    def __init__(self, session_id: str | None):
        self.open: list[Session] = []
        self.session_id = session_id

    def new(self) -> Session:
        self.open.append(Session(memory_limit=SESSION_MEMORY_LIMIT, compress=True))
        return self.open[-1]

    def replace(self, new: Session) -> None:
        """`new` becomes this browser session's database; the one before is closed."""
        old = st.session_state.get("kpi_session")
        st.session_state["kpi_session"] = new
        if old is not None and old is not new:
            old.close()
            self.open = [database for database in self.open if database is not old]

    def close(self) -> None:
        for database in self.open:
            database.close()
        self.open.clear()
        # Streamlit keeps a disconnected session's uploaded files for its browser to come back, and drops them only
        # when it shuts the session down, which a session that expires unvisited never gets: they would stay in
        # memory for good. Its data being released, a returning browser starts again from the sample anyway.
        if self.session_id and Runtime.exists():
            Runtime.instance().uploaded_file_mgr.remove_session_files(self.session_id)
        release_memory()


@st.cache_resource(scope="session", on_release=_Databases.close, show_spinner=False)
def _databases() -> _Databases:
    context = get_script_run_ctx()
    return _Databases(context.session_id if context else None)


def restore_sample() -> None:
    """Back to the sample company in a fresh database (the user's tables go with the old one)."""
    new = _databases().new()
    load_sample(new)
    _databases().replace(new)


def load_files(parts: list[Prepared], stages: tuple[str, ...], joins=()) -> list[Problem]:
    """The user's validated files replace everything in this session (a fresh database, nothing of the
    sample left); several files of one dataset add up; the mappings and lookup `joins` used are remembered.
    Returns the rows left out as cross-file duplicates."""
    new = _databases().new()
    new.currency = currency.common([part.currency for part in parts])  # the page refuses a mix before
    left_out = []
    for dataset in DATASETS:
        frame, duplicates = combine([part for part in parts if part.dataset == dataset])
        if len(frame):
            new.load(dataset, frame, stages=stages)
        left_out += duplicates
    _databases().replace(new)
    st.session_state["data_source"] = "upload"
    st.session_state["data_names"] = [part.name for part in parts]
    mapping = saved_mapping()
    for part in parts:
        mapping.remember(part.mapping)
    for join in joins:
        mapping.remember_join(join)
    mapping.stages = stages
    return left_out


def saved_mapping() -> Mapping:
    """This session's mappings: uploaded as JSON, or remembered from the files loaded."""
    return st.session_state.setdefault("mapping", Mapping())


def flash(kind: str, text: str) -> None:
    """A message for the next page shown (kind: success, warning, info)."""
    st.session_state.setdefault("flash", []).append((kind, text))


def session() -> Session:
    """This browser session's database; nothing in it is shared with another session."""
    current = st.session_state.get("kpi_session")
    if current is None or current.closed:
        if current is not None and not using_sample():
            # The browser lost its connection long enough for the server to release this session's database.
            flash("warning", t("session.released", lang()))
        new = _databases().new()
        load_sample(new)
        _databases().replace(new)
    return st.session_state["kpi_session"]


def ready() -> bool:
    """Whether this browser session's database is open (else `session()` first reads the sample in)."""
    current = st.session_state.get("kpi_session")
    return current is not None and not current.closed


def using_sample() -> bool:
    return st.session_state.get("data_source", "sample") == "sample"


def data_name(lang: str) -> str:
    """What the loaded data is, for a report's cover: the sample company, or the files' names."""
    if using_sample():
        return t("review.sample_source", lang)
    return ", ".join(dict.fromkeys(st.session_state.get("data_names", [])))


def lang() -> str:
    return st.session_state.get("lang") or language_from_locale(st.context.locale)


def granularity() -> Granularity:
    return Granularity(st.session_state.get("granularity") or Granularity.MONTH)


def fiscal_start() -> int:
    """The month the fiscal year starts in (the sidebar's, kept in the saved mapping)."""
    return int(st.session_state.get("fiscal_start") or saved_mapping().fiscal_year_start)


def period_key() -> str:
    """The period widget of the current granularity (one per granularity: see layout._carry_period)."""
    return f"period_{granularity().value}"


def selection() -> Selection:
    """What the sidebar says: granularity, period, filters, retention window (and the targets page's
    public-holidays switch)."""
    key = st.session_state.get(period_key())
    period = parse_period(key, granularity(), fiscal_start()) if key else None
    filters = {d: tuple(st.session_state.get(f"filter_{d}") or ()) for d in FILTER_DIMENSIONS}
    return Selection(granularity(), period, {d: v for d, v in filters.items() if v},
                     int(st.session_state.get("retention_window") or 1),
                     bool(st.session_state.get("exclude_holidays", True)), fiscal_start())


def custom_kpis() -> custom.Compiled:
    """The user's own KPIs, saved with the mapping, compiled (cheap: a few dataclasses)."""
    return custom.compile_all(saved_mapping().custom_kpis)


def analysis() -> Analysis:
    return Analysis(session(), selection(), custom=custom_kpis().kpis)


def available_periods():
    """Periods the loaded data covers at the chosen granularity, newest first."""
    return Analysis(session(), Selection(granularity(), fiscal_start=fiscal_start())).periods()
