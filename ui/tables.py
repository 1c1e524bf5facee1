"""Tables as the user reads them: every header and value whole (Streamlit's grid cuts a header to its column's
content), figures aligned right so their digits line up."""

from __future__ import annotations

import re

import streamlit as st

# The grid's 14 px font: about 8 px per character, plus the cell's padding and the header's sort arrow.
CHARACTER_PX, PADDING_PX, WIDEST_PX = 8, 34, 420
# A figure as the catalog writes it: "639 276 €", "€639,276", "-$1,062", "+2,2 %", "25,0 % (58 / 232)", "12 j", "—".
FIGURE = re.compile(r"^(—|[-+−]?([€$£¥]|[A-Z]{3}\s)?\d[\d\s.,\u202f\u00a0]*(\s?[^\s\d]{1,4})?(\s\(.*\))?)$")


def show(frame) -> None:
    """`frame` (display text, from `format_table`) as a table without its index."""
    st.dataframe(frame, hide_index=True, column_config={
        column: st.column_config.Column(width=width(frame, column),
                                        alignment="right" if _figures(frame[column]) else None)
        for column in frame.columns})


def width(frame, column) -> int:
    """Pixels for the whole header, or for the column's longest value (first 500 rows) up to a cap."""
    longest = max([0, *(len(str(value)) for value in frame[column].head(500))])
    return max(CHARACTER_PX * len(str(column)), min(WIDEST_PX - PADDING_PX, CHARACTER_PX * longest)) + PADDING_PX


def _figures(values) -> bool:
    texts = [str(value) for value in values.head(500) if value is not None and str(value) != ""]
    return bool(texts) and all(FIGURE.match(text) for text in texts)
