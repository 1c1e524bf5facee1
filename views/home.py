"""Home: the monthly scorecard of the core indicators, and what they mean."""

import streamlit as st

from kpi_core import diagnostics
from kpi_core.families import CORE
from kpi_core.i18n import t
from ui import downloads, layout, state
from ui.cards import diagnostic_box, kpi_card

lang = state.lang()
analysis = state.analysis()
layout.period_title("home.title", analysis, lang, ("orders", "deals"))
st.caption(t("home.intro", lang))
if not analysis.has_data:
    layout.require(("orders",), lang)

kpis = [kpi_id for kpi_id in CORE if analysis.available(kpi_id)]
results = analysis.scorecard([*CORE, "deals_created", "deals_open"])
trend = analysis.trend(kpis)
shown = [results[kpi_id] for kpi_id in CORE]
if analysis.session.has("targets"):  # the forecast is set against the target
    shown.append(analysis.forecast_result())
for start in range(0, len(shown), 4):
    for column, result in zip(st.columns(4), shown[start:start + 4]):
        with column:
            kpi_id = result.kpi.id
            kpi_card(result, lang, sparkline=trend[kpi_id].tolist() if kpi_id in trend else None)
downloads.cards(shown, f"home_{analysis.period.key}", lang, "home_cards")

found = diagnostics.diagnose(results, weakest=analysis.weakest_stage(), stage_count=len(analysis.session.stages),
                             basket_trend=trend["avg_basket"].tolist() if "avg_basket" in trend else [])
st.subheader(t("home.diagnostics", lang))
for diagnostic in found:
    diagnostic_box(diagnostic, lang)
