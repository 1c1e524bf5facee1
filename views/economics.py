"""Quarterly economics: acquisition cost, lifetime value (cumulative and predictive), LTV/CAC, magic number."""

import streamlit as st

from kpi_core.i18n import t
from ui import layout, sections, state

KPIS = ["new_customers", "marketing_spend", "cac", "ltv", "ltv_predictive", "ltv_cac_ratio", "churn_rate",
        "magic_number"]

lang = state.lang()
layout.require(("orders",), lang)
analysis = state.analysis()
layout.period_title("economics.title", analysis, lang)
st.caption(t("economics.intro", lang))
sections.cards(analysis, KPIS, lang)
sections.trends(analysis, ["cac", "ltv_cac_ratio", "magic_number"], lang, "economics")
