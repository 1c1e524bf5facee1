"""Targets: attainment, what is left to do, and how much of it the open pipeline covers — per rep or region."""

import streamlit as st

from kpi_core.i18n import t
from ui import layout, sections, state

KPIS = ["target", "revenue", "target_attainment", "remaining_to_target", "open_pipeline", "pipeline_coverage"]

lang = state.lang()
layout.require(("orders", "targets"), lang)
analysis = state.analysis()
layout.period_title("targets.title", analysis, lang)
st.caption(t("targets.intro", lang))
sections.cards(analysis, KPIS, lang, per_row=3)
sections.trends(analysis, ["target_attainment"], lang, "targets")
sections.by_dimension(analysis, KPIS, lang, "targets", chart_kpi="target_attainment", default="rep")
