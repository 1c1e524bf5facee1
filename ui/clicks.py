"""Chart clicks (Streamlit's Plotly selection events) turned into choices: each clickable point carries its
dimension value as `customdata`."""

from __future__ import annotations

import streamlit as st

from kpi_core.formatting import filter_label
from kpi_core.i18n import t
from ui import state
from ui.state import FILTER_DIMENSIONS


def _clicked(chart_key: str) -> list[str]:
    points = st.session_state[chart_key].selection.points
    return list(dict.fromkeys(point["customdata"][0] for point in points if point.get("customdata")))


def to_group_a(chart_key: str, dimension: str, members: dict[str, list[str]] | None = None):
    """An `on_select` callback: the clicked (or box-selected) values become the comparison's group A; a
    clicked area (a department grouping several postcodes) brings all its `members`."""
    def select() -> None:
        clicked = [value for area in _clicked(chart_key) for value in (members or {}).get(area, [area])]
        if clicked:
            st.session_state[f"compare_a_{dimension}"] = clicked
            b_key = f"compare_b_{dimension}"
            if b_key in st.session_state:
                st.session_state[b_key] = [value for value in st.session_state[b_key] if value not in clicked]
    return select


def filters(dimension: str) -> bool:
    """Whether the sidebar filters on `dimension` (so a click on its values can filter)."""
    return dimension in FILTER_DIMENSIONS


def to_filter(chart_key: str, dimension: str):
    """An `on_select` callback setting the sidebar filter of `dimension` to the clicked values; "ignore" for a
    dimension the sidebar does not filter on."""
    if not filters(dimension):
        return "ignore"

    def select() -> None:
        if clicked := _clicked(chart_key):
            st.session_state[f"filter_{dimension}"] = clicked
            lang = state.lang()
            state.flash("info", t("filters.from_chart", lang,
                                  filter=filter_label(dimension, clicked, lang, markdown=True)))
    return select
