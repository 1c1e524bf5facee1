"""The view in the URL: stable keys and values (`?lang=en&granularity=quarter&period=2026-Q2&filter_region=Paris`,
and on the comparison page `by=region&a=Paris&rank=avg_basket`), so a copied link reopens the same view in any
language, and the browser's Back and Forward buttons move between the views the user had."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from kpi_core.formatting import LANGUAGES
from kpi_core.i18n import language_from_locale
from kpi_core.periods import Granularity, parse_period
from ui import compare
from ui.state import FILTER_DIMENSIONS

FILTER_KEYS = tuple(f"filter_{dimension}" for dimension in FILTER_DIMENSIONS)
PERIOD_KEYS = tuple(f"period_{granularity.value}" for granularity in Granularity)


def defaults() -> dict:
    return {"lang": language_from_locale(st.context.locale), "granularity": Granularity.MONTH.value,
            "retention_window": 1, "fiscal_start": 1}


def _valid(key: str, text: str):
    """The widget value a URL parameter stands for, or None when it is not a valid one."""
    if key == "lang":
        return text if text in LANGUAGES else None
    if key == "granularity":
        return text if text in {g.value for g in Granularity} else None
    if key == "period":  # read in the fiscal year the URL gives (restored before it)
        try:
            return parse_period(text, fiscal_start=st.session_state.get("fiscal_start") or 1).key
        except ValueError:
            return None
    if key == "fiscal_start":
        return int(text) if text.isdigit() and 1 <= int(text) <= 12 else None
    if key == "retention_window":
        return int(text) if text.isdigit() and 1 <= int(text) <= 12 else None
    return None


def _params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def restore() -> str | None:
    """Before any widget exists, the view a URL stands for → widget state: on opening ("opened"); when the browser
    went Back or Forward (its URL is not the one this session last wrote; the URL the app opened on stands for the
    view it first wrote) or when Streamlit dropped the sidebar's values (a page switch made in code does) —
    "restored". None on any other run."""
    current = _params()
    if not st.session_state.get("url_restored"):
        st.session_state["url_restored"] = True
        st.session_state["url_opened"] = current
        for key, default in defaults().items():
            st.session_state.setdefault(key, default)
        _apply(current, reset=False)
        return "opened"
    context = get_script_run_ctx()
    history = bool(context and context.is_history_navigation)
    lost = any(st.session_state.get(key) is None for key in defaults())
    if not lost and (not history or current == st.session_state.get("url_written")):
        return None
    if history and current == st.session_state["url_opened"]:
        current = st.session_state.get("url_first", current)
    _apply(current, reset=True)
    return "restored"


def _apply(params: dict[str, list[str]], *, reset: bool) -> None:
    """`params` → widget state; with `reset`, what they leave out goes back to its default (no filter, the
    latest period)."""
    for key, default in defaults().items():
        value = _valid(key, (params.get(key) or [""])[0])
        if value is not None or reset:
            st.session_state[key] = default if value is None else value
    period = _valid("period", (params.get("period") or [""])[0])
    if reset:  # each granularity's period widget starts again from the period shown (layout._carry_period)
        for key in PERIOD_KEYS:
            st.session_state.pop(key, None)
        st.session_state.pop("shown_period", None)
    if period is not None:
        st.session_state["shown_period"] = period
    for key in FILTER_KEYS:
        if params.get(key) or reset:
            st.session_state[key] = list(params.get(key, []))
    compare.restore_url(params)


def here(*, period: bool = True) -> list[tuple[str, str]]:
    """The current view's URL parameters, for a link or a page switch that keeps the view (without `period`, the
    next page opens on the latest one: after loading new data)."""
    return [(key, value) for key, values in st.session_state.get("url_written", {}).items() for value in values
            if period or key != "period"]


def save(page: str) -> None:
    """Widget state → URL, leaving out what is at its default so links stay short; a page's own choices
    only while it is shown. Each change is a new entry in the browser's history (`url_written` is the view's URL
    even while the address bar still shows the one the app opened on)."""
    wanted = {key: [str(st.session_state[key])] for key, default in defaults().items()
              if st.session_state.get(key) not in (None, default)}
    if st.session_state.get("shown_period"):
        wanted["period"] = [st.session_state["shown_period"]]
    wanted |= {key: list(st.session_state[key]) for key in FILTER_KEYS if st.session_state.get(key)}
    if page == "compare":
        wanted |= compare.url_state()
    first = st.session_state.setdefault("url_first", wanted)
    current = _params()
    # The URL the app opened on stands for the view it first showed: rewriting it would add a history entry that
    # a first Back would only return to, with nothing changing on screen.
    if current != wanted and not (current == st.session_state["url_opened"] and wanted == first):
        st.query_params.from_dict(wanted)
    st.session_state["url_written"] = wanted
