"""Custom KPIs ("chiffre magique"): the user's own, shown like the catalog's, and the builder."""

import streamlit as st

from kpi_core.formatting import escape_markdown
from kpi_core.i18n import t
from ui import custom, sections, state

analysis, lang = sections.opening("custom", (), [kpi.id for kpi in state.custom_kpis().kpis])
for unusable in state.custom_kpis().unusable:
    st.warning(t("custom.unusable", lang, name=escape_markdown(unusable.name)))
if analysis.custom_ids:
    trend = analysis.trend(analysis.custom_ids)
    sections.cards(analysis, analysis.custom_ids, lang, "custom", trend=trend)
    sections.trends(analysis, analysis.custom_ids[:4], lang, "custom", table=trend, exported=analysis.custom_ids)
    for kpi_id in analysis.custom_ids:
        custom.definition(analysis, kpi_id, lang)
    sections.by_dimension(analysis, analysis.custom_ids, lang, "custom", chart_kpi=analysis.custom_ids[0])
else:
    st.info(t("custom.none", lang), icon=":material/add_chart:")
custom.builder(analysis, lang)
