"""Team (monthly): leads, what each role converts, both win rates, per rep."""

import streamlit as st

from kpi_core.i18n import t
from ui import layout, sections, state

KPIS = ["mql_count", "leads_qualified", "bdr_capacity", "ae_capacity", "deals_won", "win_rate", "win_rate_contacted"]

lang = state.lang()
layout.require(("deals",), lang)
analysis = state.analysis()
layout.period_title("team.title", analysis, lang)
st.caption(t("team.intro", lang))
sections.cards(analysis, KPIS, lang)
sections.trends(analysis, ["bdr_capacity", "ae_capacity", "win_rate"], lang, "team")
sections.by_dimension(analysis, KPIS, lang, "team", chart_kpi="win_rate", default="rep")
