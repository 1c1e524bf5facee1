"""The view in the URL: stable keys and values (`?lang=en&granularity=quarter&period=2026-Q2&filter_region=Paris`,
and on the comparison page `by=region&a=Paris&rank=avg_basket`), so a copied link reopens the same view in any
language."""

from __future__ import annotations

import streamlit as st

from kpi_core.formatting import LANGUAGES
from kpi_core.i18n import language_from_locale
from kpi_core.periods import Granularity, parse_period
from ui import compare
from ui.state import FILTER_DIMENSIONS

FILTER_KEYS = tuple(f"filter_{dimension}" for dimension in FILTER_DIMENSIONS)


def defaults() -> dict:
    return {"lang": language_from_locale(st.context.locale), "granularity": Granularity.MONTH.value,
            "retention_window": 1}


def _valid(key: str, text: str):
    """The widget value a URL parameter stands for, or None when it is not a valid one."""
    if key == "lang":
        return text if text in LANGUAGES else None
    if key == "granularity":
        return text if text in {g.value for g in Granularity} else None
    if key == "period":
        try:
            return parse_period(text).key
        except ValueError:
            return None
    if key == "retention_window":
        return int(text) if text.isdigit() and 1 <= int(text) <= 12 else None
    return None


def restore() -> None:
    """Once per browser session, before any widget exists: URL parameters (or defaults) → widget state."""
    if st.session_state.get("url_restored"):
        return
    st.session_state["url_restored"] = True
    for key, default in defaults().items():
        st.session_state.setdefault(key, default)
    for key in ("lang", "granularity", "retention_window"):
        value = _valid(key, st.query_params.get(key, ""))
        if value is not None:
            st.session_state[key] = value
    period = _valid("period", st.query_params.get("period", ""))
    if period is not None:
        st.session_state["shown_period"] = period
    for key in FILTER_KEYS:
        if values := st.query_params.get_all(key):
            st.session_state[key] = values
    compare.restore_url(st.query_params)


def save(page: str) -> None:
    """Widget state → URL, leaving out what is at its default so links stay short; a page's own choices
    only while it is shown."""
    wanted = {key: [str(st.session_state[key])] for key, default in defaults().items()
              if st.session_state.get(key) not in (None, default)}
    if st.session_state.get("shown_period"):
        wanted["period"] = [st.session_state["shown_period"]]
    wanted |= {key: list(st.session_state[key]) for key in FILTER_KEYS if st.session_state.get(key)}
    if page == "compare":
        wanted |= compare.url_state()
    if {key: st.query_params.get_all(key) for key in st.query_params} != wanted:
        st.query_params.from_dict(wanted)
