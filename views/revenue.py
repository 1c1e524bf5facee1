"""Revenue & basket: the trend, the basket alert, what moved revenue (the bridge), and where it comes from."""

import streamlit as st

from kpi_core import catalog, charts, diagnostics
from kpi_core.export import displayed
from kpi_core.formatting import format_table
from kpi_core.i18n import t
from ui import bridge, clicks, downloads, layout, state, tables
from ui.cards import diagnostic_box, kpi_card

KPIS = ("revenue", "sales_count", "avg_basket", "active_customers")

lang = state.lang()
layout.require(("orders",), lang)
analysis = state.analysis()
layout.period_title("revenue.title", analysis, lang, ("orders",))
st.caption(t("revenue.intro", lang))

results = analysis.scorecard(list(KPIS))
trend = analysis.trend(list(KPIS))
for column, kpi_id in zip(st.columns(len(KPIS)), KPIS):
    with column:
        kpi_card(results[kpi_id], lang, sparkline=trend[kpi_id].tolist())
downloads.cards(results.values(), f"revenue_{analysis.period.key}_kpis", lang, "revenue_cards")
for diagnostic in diagnostics.basket_decline(trend["avg_basket"].tolist()):
    diagnostic_box(diagnostic, lang)

left, right = st.columns(2)
left.plotly_chart(charts.trend(trend, catalog.get("revenue"), lang, bars=True), key="revenue_trend")
right.plotly_chart(charts.trend(trend, catalog.get("avg_basket"), lang), key="basket_trend")
downloads.buttons(displayed(trend, {"period": (t("column.period", lang), None)} | catalog.table_columns(
    ["revenue", "avg_basket"], lang)), f"revenue_{analysis.period.key}_trend", lang, "revenue_trend_download")
bridge.section(analysis, lang)

dimensions = analysis.dimensions("revenue")
if dimensions:
    dimension = st.segmented_control(t("revenue.by", lang), dimensions, default=dimensions[0],
                                     key="revenue_by", format_func=lambda d: t(f"dimension.{d}", lang), required=True)
    table = analysis.breakdown(list(KPIS), dimension)
    left, right = st.columns(2)
    for column, kpi_id in ((left, "revenue"), (right, "avg_basket")):
        column.plotly_chart(charts.breakdown(table, dimension, catalog.get(kpi_id), lang), key=f"{kpi_id}_breakdown",
                            on_select=clicks.to_filter(f"{kpi_id}_breakdown", dimension), selection_mode="points")
    if clicks.filters(dimension):
        st.caption(t("breakdown.click", lang))
    columns = {dimension: (t(f"dimension.{dimension}", lang), None)} | catalog.table_columns(KPIS, lang)
    tables.show(format_table(table, columns, lang))
    downloads.buttons(displayed(table, columns), f"revenue_{dimension}_{analysis.period.key}", lang,
                      "revenue_by_download")
