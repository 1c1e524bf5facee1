"""Loaded data: what this session holds, row counts, date range and dimensions."""

import streamlit as st

from kpi_core.formatting import format_value
from kpi_core.i18n import t
from kpi_core.schemas import DATASETS
from ui import state

lang = state.lang()
session = state.session()
st.title(t("data.title", lang))
st.caption(t("data.intro", lang))
bounds = session.date_range()
if bounds:
    st.caption(t("data.range", lang, first=format_value(bounds[0], "date", lang),
                 last=format_value(bounds[1], "date", lang)))
for column, dataset in zip(st.columns(3) * 2, DATASETS):
    with column.container(border=True):
        st.markdown(f"**{t(f'dataset.{dataset}', lang)}**")
        if session.has(dataset):
            st.write(t("data.rows", lang, rows=format_value(session.datasets[dataset], "count", lang)))
            st.caption(", ".join(t(f"dimension.{d}", lang) for d in session.dimensions(dataset)))
        else:
            st.caption(t("data.missing", lang))
if not state.using_sample() and st.button(t("sample.restore", lang), icon=":material/science:"):
    state.restore_sample()
    st.rerun()
