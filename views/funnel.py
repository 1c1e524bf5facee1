"""Funnel: how many deals reach each stage, where the funnel leaks, by rep, region or segment."""

import streamlit as st

from kpi_core import charts, diagnostics
from kpi_core.bridge import VELOCITY
from kpi_core.export import displayed
from kpi_core.formatting import funnel_table
from kpi_core.i18n import t
from ui import bridge, downloads, layout, sections, state, tables
from ui.cards import diagnostic_box, kpi_card

LOOKBACK = 6  # periods searched back for one whose rates name the weakest stage

lang = state.lang()
layout.require(("deals",), lang)
analysis = state.analysis()
layout.period_title("funnel.title", analysis, lang, ("deals",))
st.caption(t("funnel.intro", lang))
st.caption(t("funnel.true_entries" if analysis.has_stage_entries else "funnel.derived", lang))
st.caption(diagnostics.funnel_method(lang))

if not analysis.has_status:
    st.caption(t("funnel.no_status", lang))
results = analysis.scorecard(["deals_created", "deals_open", "overall_conversion", "win_rate"])
for column, result in zip(st.columns(len(results)), results.values()):
    with column:
        kpi_card(result, lang)
downloads.cards(results.values(), f"funnel_{analysis.period.key}_kpis", lang, "funnel_cards")
for diagnostic in diagnostics.immature_funnel(results):
    diagnostic_box(diagnostic, lang)

stages = analysis.funnel()
if stages.empty:
    st.info(t("funnel.no_deals", lang))
else:
    chart, explanation = st.columns([3, 2])
    chart.plotly_chart(charts.funnel(stages, lang), key="funnel_chart")
    with explanation:
        sections.heading("weakest_stage", lang)
        found = diagnostics.weakest_stage(analysis.weakest_stage(lookback=LOOKBACK), len(analysis.session.stages))
        for diagnostic in found:
            diagnostic_box(diagnostic, lang)
        if not found:
            st.info(t("funnel.no_weakest", lang, lookback=LOOKBACK + 1))
    shown = funnel_table(stages, lang)
    tables.show(shown)
    downloads.buttons(shown, f"funnel_{analysis.period.key}", lang, "funnel_download")

dimensions = analysis.dimensions("deals_created")
if dimensions and not stages.empty:
    dimension = st.segmented_control(t("funnel.breakdown", lang), dimensions, default=dimensions[0],
                                     key="funnel_by", format_func=lambda d: t(f"dimension.{d}", lang), required=True)
    matrix = analysis.funnel(by=dimension)
    st.plotly_chart(charts.conversion_matrix(matrix, dimension, lang), key="funnel_matrix")
    downloads.buttons(displayed(matrix, {dimension: (t(f"dimension.{dimension}", lang), None),
                                         "stage": (t("column.stage", lang), None),
                                         "reached": (t("column.reached", lang), "count"),
                                         "conversion_from_previous": (t("column.conversion", lang), "percent", 1),
                                         "decided_from_previous": (t("column.decided", lang), "count")}),
                      f"funnel_{dimension}_{analysis.period.key}", lang, "funnel_matrix_download")

st.subheader(t("funnel.health", lang))
sections.cards(analysis, ["sales_cycle_days", "open_pipeline", "pipeline_coverage", "win_rate_contacted",
                          "sales_velocity"], lang, "funnel_health")
stage_times, lost = analysis.time_in_stage(), analysis.lost_reasons(lang)
left, right = st.columns(2)
if not stage_times.empty:
    sections.heading("time_in_stage", lang, left)
    left.plotly_chart(charts.time_in_stage(stage_times, lang), key="time_in_stage")
    with left:
        downloads.buttons(displayed(stage_times, {"stage": (t("column.stage", lang), None),
                                                  "deals": (t("column.deals", lang), "count"),
                                                  "median_days": (t("funnel.median_days", lang), "days", 0)}),
                          f"time_in_stage_{analysis.period.key}", lang, "time_in_stage_download")
if not lost.empty:
    sections.heading("lost_reasons", lang, right)
    right.plotly_chart(charts.lost_reasons(lost, lang), key="lost_reasons")
    with right:
        downloads.buttons(displayed(lost, {"reason": (t("column.reason", lang), None),
                                           "deals": (t("column.deals", lang), "count"),
                                           "amount": (t("column.amount", lang), "currency", 0)}),
                          f"lost_reasons_{analysis.period.key}", lang, "lost_reasons_download")

bridge.section(analysis, lang, VELOCITY)
