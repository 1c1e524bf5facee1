"""Retention: the rate against its thresholds, cohorts, and the customers to call."""

import streamlit as st

from kpi_core import catalog, charts, diagnostics
from kpi_core.analysis import AT_RISK_SPAN
from kpi_core.export import displayed
from kpi_core.formatting import format_table
from kpi_core.i18n import t
from ui import downloads, layout, state, tables
from ui.cards import diagnostic_box, kpi_card

KPIS = ("retention_rate", "retained_customers", "retention_base", "active_customers")
AT_RISK_COLUMNS = {
    "customer_id": ("column.customer", None), "revenue_at_risk": ("column.revenue_at_risk", "currency", 0),
    "why": ("column.why", None), "rep": ("dimension.rep", None), "region": ("dimension.region", None),
    "segment": ("dimension.segment", None), "last_order_date": ("column.last_order", "date"),
    "revenue_before": ("column.revenue_before", "currency", 0),
    "revenue_recent": ("column.revenue_recent", "currency", 0),
}

lang = state.lang()
layout.require(("orders",), lang)
analysis = state.analysis()
layout.period_title("retention.title", analysis, lang, ("orders",))
st.caption(t("retention.intro", lang))

results = analysis.scorecard(list(KPIS))
for column, kpi_id in zip(st.columns(len(KPIS)), KPIS):
    with column:
        kpi_card(results[kpi_id], lang)
downloads.cards(results.values(), f"retention_{analysis.period.key}_kpis", lang, "retention_cards")
for diagnostic in diagnostics.retention(results["retention_rate"]):
    diagnostic_box(diagnostic, lang)

trend = analysis.trend(["retention_rate"])
st.plotly_chart(charts.trend(trend, catalog.get("retention_rate"), lang), key="retention_trend")

st.subheader(t("retention.cohorts", lang))
cohorts = analysis.cohorts()
if len(cohorts):
    st.plotly_chart(charts.cohorts(cohorts, lang), key="cohorts")

st.subheader(t("retention.at_risk", lang), help=t("retention.at_risk_help", lang, span=AT_RISK_SPAN))
at_risk = diagnostics.with_reasons(analysis.at_risk_customers(), lang)
if len(at_risk):
    columns = {name: (t(key, lang), *rest) for name, (key, *rest) in AT_RISK_COLUMNS.items()}
    tables.show(format_table(at_risk, columns, lang))
    downloads.buttons(displayed(at_risk, columns),
                      f"at_risk_{analysis.period.key}", lang, "at_risk_download")
else:
    st.info(t("retention.none_at_risk", lang))
