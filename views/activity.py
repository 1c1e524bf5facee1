"""Weekly activity: contacts made, meetings set, and how fast leads get an answer — per rep."""

import streamlit as st

from kpi_core.i18n import t
from ui import layout, sections, state

KPIS = ["contacts_volume", "calls_count", "meetings_set", "meeting_rate", "leads_created", "lead_response_time",
        "lead_response_time_p90"]

lang = state.lang()
layout.require(("activities",), lang)
analysis = state.analysis()
layout.period_title("activity.title", analysis, lang)
st.caption(t("activity.intro", lang))
sections.cards(analysis, KPIS, lang)
sections.trends(analysis, ["contacts_volume", "meeting_rate", "lead_response_time"], lang, "activity")
sections.by_dimension(analysis, KPIS[:4], lang, "activity", chart_kpi="contacts_volume", default="rep")
