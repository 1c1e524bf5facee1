"""Funnel: how many deals reach each stage, where the funnel leaks, by rep, region or segment."""

import streamlit as st

from kpi_core import charts, diagnostics
from kpi_core.catalog import MATURITY
from kpi_core.formatting import format_value, funnel_table
from kpi_core.i18n import t
from ui import downloads, layout, sections, state, tables
from ui.cards import diagnostic_box, kpi_card

LOOKBACK = 6  # periods searched back for one whose rates name the weakest stage

lang = state.lang()
layout.require(("deals",), lang)
analysis = state.analysis()
layout.period_title("funnel.title", analysis, lang, ("deals",))
st.caption(t("funnel.intro", lang))
st.caption(t("funnel.true_entries" if analysis.has_stage_entries else "funnel.derived", lang))
st.caption(t("funnel.method", lang, minimum=MATURITY.min_decided, small=MATURITY.small_decided,
             open_max=format_value(MATURITY.max_open_share, "percent", lang, decimals=0),
             open_provisional=format_value(MATURITY.provisional_open_share, "percent", lang, decimals=0)))

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
    st.plotly_chart(charts.conversion_matrix(analysis.funnel(by=dimension), dimension, lang), key="funnel_matrix")

st.subheader(t("funnel.health", lang))
sections.cards(analysis, ["sales_cycle_days", "open_pipeline", "pipeline_coverage", "win_rate_contacted"], lang,
               "funnel_health")
stage_times, lost = analysis.time_in_stage(), analysis.lost_reasons(lang)
left, right = st.columns(2)
if not stage_times.empty:
    sections.heading("time_in_stage", lang, left)
    left.plotly_chart(charts.time_in_stage(stage_times, lang), key="time_in_stage")
if not lost.empty:
    sections.heading("lost_reasons", lang, right)
    right.plotly_chart(charts.lost_reasons(lost, lang), key="lost_reasons")
