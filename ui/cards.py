"""One card renderer for every KPI, driven by its catalog declaration."""

from __future__ import annotations

import streamlit as st

from kpi_core.analysis import KpiResult
from kpi_core.diagnostics import Diagnostic, reason_text
from kpi_core.formatting import format_change, format_value
from kpi_core.i18n import t

# How a change reads on a card: its colour (AA-contrast theme colours, .streamlit/config.toml) and its words.
TONE_COLORS = {"good": "green", "bad": "red", "flat": "gray", "neutral": "gray", None: "gray"}


def _judged(text: str, tone: str | None, lang: str) -> str:
    """A change with what it means in words: `+30,9 % · défavorable`."""
    return f"{text} · {t(f'tone.{tone}', lang)}" if tone in ("good", "bad") else text


def kpi_card(result: KpiResult, lang: str, *, sparkline: list[float] | None = None) -> None:
    """Value, change vs the previous period (coloured and said good or bad news for this KPI), N-1 likewise,
    reason or flags."""
    kpi = result.kpi
    absolute, relative = result.vs_previous
    tone = result.tone(result.vs_previous)
    delta = None
    if tone == "flat":
        delta = t("card.no_change", lang)
    elif tone is not None:
        delta = format_change(absolute, relative, kpi.unit, lang)
    st.metric(
        kpi.markdown_label(lang), format_value(result.value, kpi.unit, lang, decimals=kpi.decimals),
        delta=delta, delta_color=TONE_COLORS[tone],
        delta_arrow="off" if tone == "flat" else "auto",
        delta_description=_judged(t("card.vs_previous", lang), tone, lang) if delta else None,
        help=kpi.definition[lang], border=True,
        chart_data=[v for v in (sparkline or []) if v == v] or None,
    )
    notes = []
    if result.reason:
        notes.append(f"— {reason_text(result, lang, markdown=True)}")
    year_tone = result.tone(result.vs_last_year)
    if year_tone is not None:
        change = (t("card.no_change", lang) if year_tone == "flat" else
                  format_change(*result.vs_last_year, kpi.unit, lang))
        said = _judged(t("card.vs_last_year", lang, change=change), year_tone, lang)
        notes.append(f":{TONE_COLORS[year_tone]}[{said}]" if year_tone in ("good", "bad") else said)
    shown = {"low": result.interval[0], "high": result.interval[1]} if result.interval else {}
    shown = {name: format_value(value, kpi.unit, lang, decimals=kpi.decimals) for name, value in shown.items()}
    if shown:
        notes.append(t("card.interval", lang, **shown))
    if result.target and result.value is not None:
        notes.append(t("card.target", lang, share=format_value(result.value / result.target, "percent", lang),
                       target=format_value(result.target, kpi.unit, lang, decimals=kpi.decimals)))
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
