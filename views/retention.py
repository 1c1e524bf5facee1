"""Retention: the rate against its thresholds, cohorts, and the customers to call."""

import streamlit as st

from kpi_core import catalog, charts, diagnostics, revenue_retention
from kpi_core.analysis import AT_RISK_SPAN
from kpi_core.diagnostics import AT_RISK_COLUMNS
from kpi_core.export import displayed
from kpi_core.formatting import format_table
from kpi_core.i18n import t
from ui import downloads, layout, sections, state, tables
from ui.cards import diagnostic_box, kpi_card

KPIS = ("retention_rate", "retained_customers", "retention_base", "active_customers")

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
retention = catalog.get("retention_rate")
st.plotly_chart(charts.trend(trend, retention, lang), key="retention_trend")
downloads.buttons(displayed(trend, {"period": (t("column.period", lang), None),
                                    "retention_rate": (retention.label[lang], retention.unit, retention.decimals)}),
                  f"retention_{analysis.period.key}_trend", lang, "retention_trend_download")

st.subheader(t("retention.revenue", lang))
st.caption(t("retention.revenue_intro", lang))
moves = sections.cards(analysis, list(revenue_retention.CARDS), lang, "revenue_retention", per_row=5,
                       also=revenue_retention.KPIS)
figure = revenue_retention.waterfall(moves, lang)
if figure is not None:
    st.plotly_chart(figure, key="revenue_retention_waterfall")

st.subheader(t("retention.cohorts", lang))
cohorts = analysis.cohorts()
if len(cohorts):
    customers, revenue = st.columns(2)
    customers.plotly_chart(charts.cohorts(cohorts, lang, title=t("retention.cohorts_customers", lang)),
                           key="cohorts")
    revenue.plotly_chart(charts.cohorts(cohorts, lang, value="revenue_share",
                                        title=t("retention.cohorts_revenue", lang)), key="cohorts_revenue")
    downloads.buttons(displayed(cohorts, {"cohort": (t("column.cohort", lang), None),
                                          "age": (t("column.age", lang), "count"),
                                          "share": (t("column.active_share", lang), "percent", 0),
                                          "revenue": (t("column.revenue", lang), "currency", 0),
                                          "revenue_share": (t("column.revenue_share", lang), "percent", 0)}),
                      f"cohorts_{analysis.period.key}", lang, "cohorts_download")

st.subheader(t("retention.at_risk", lang), help=t("retention.at_risk_help", lang, span=AT_RISK_SPAN))
at_risk = diagnostics.with_reasons(analysis.at_risk_customers(), lang)
if len(at_risk):
    columns = {name: (t(key, lang), *rest) for name, (key, *rest) in AT_RISK_COLUMNS.items()}
    tables.show(format_table(at_risk, columns, lang))
    downloads.buttons(displayed(at_risk, columns),
                      f"at_risk_{analysis.period.key}", lang, "at_risk_download")
else:
    st.info(t("retention.none_at_risk", lang))
