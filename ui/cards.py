"""One card renderer for every KPI, driven by its catalog declaration."""

from __future__ import annotations

import streamlit as st

from kpi_core.analysis import KpiResult
from kpi_core.diagnostics import Diagnostic, reason_text
from kpi_core.formatting import format_change, format_value
from kpi_core.i18n import t


def kpi_card(result: KpiResult, lang: str, *, sparkline: list[float] | None = None) -> None:
    """Value, change vs the previous period (coloured by the KPI's direction), N-1, reason or flags."""
    kpi = result.kpi
    absolute, relative = result.vs_previous
    delta = format_change(absolute, relative, kpi.unit, lang) if absolute is not None else None
    st.metric(
        kpi.markdown_label(lang), format_value(result.value, kpi.unit, lang, decimals=kpi.decimals),
        delta=None if delta in (None, "—") else delta,
        delta_color="normal" if kpi.higher_is_better else "inverse",
        delta_description=t("card.vs_previous", lang) if delta else None,
        help=kpi.definition[lang], border=True,
        chart_data=[v for v in (sparkline or []) if v == v] or None,
    )
    notes = []
    if result.reason:
        notes.append(f"— {reason_text(result, lang, markdown=True)}")
    year_absolute, year_relative = result.vs_last_year
    if year_absolute is not None:
        notes.append(t("card.vs_last_year", lang, change=format_change(year_absolute, year_relative, kpi.unit, lang)))
    if result.status:
        notes.append(t(f"status.{result.status}", lang))
    if result.small_sample:
        notes.append(t("card.small_sample", lang, count=result.observations))
    if result.provisional:
        notes.append(t("card.provisional", lang))
    if result.unfiltered:
        notes.append(t("card.unfiltered", lang, dimensions=", ".join(t(f"dimension.{d}", lang)
                                                                     for d in result.unfiltered)))
    if notes:
        st.caption(" · ".join(notes))


_BOXES = {"problem": st.error, "warning": st.warning, "info": st.info, "good": st.success}


def diagnostic_box(diagnostic: Diagnostic, lang: str) -> None:
    """A diagnostic as a coloured box: red for a problem, amber to watch, blue for context, green for good news."""
    _BOXES[diagnostic.severity](diagnostic.render(lang, markdown=True))
