"""Pure figure functions: data in, Plotly figure out (no Streamlit, testable alone)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from kpi_core.catalog import Kpi
from kpi_core.formatting import Unit, format_value, period_label, plotly_separators
from kpi_core.i18n import t

BLUE, GREEN, ORANGE, RED, GREY = "#1f4e79", "#2e8540", "#e07b00", "#c0392b", "#9aa5b1"


def _layout(figure: go.Figure, lang: str, *, height: int = 360) -> go.Figure:
    figure.update_layout(separators=plotly_separators(lang), height=height, margin=dict(l=10, r=10, t=30, b=10),
                         legend=dict(orientation="h", y=-0.15), hovermode="closest")
    return figure


def _hover_format(unit: Unit) -> str:
    return {Unit.CURRENCY: ",.0f", Unit.PERCENT: ".1%"}.get(unit, ",.1f")


def funnel(stages: pd.DataFrame, lang: str) -> go.Figure:
    """Deals having reached each stage, labelled with the conversion from the stage before."""
    text = [
        f"{int(reached)}" if pd.isna(rate) else f"{int(reached)} ({format_value(rate, Unit.PERCENT, lang)})"
        for reached, rate in zip(stages["reached"], stages["conversion_from_previous"])
    ]
    figure = go.Figure(go.Funnel(y=stages["stage"], x=stages["reached"], text=text, textinfo="text",
                                 marker_color=BLUE, hovertemplate="%{y}: %{x}<extra></extra>"))
    return _layout(figure, lang)


def conversion_matrix(table: pd.DataFrame, dimension: str, lang: str) -> go.Figure:
    """Stage-to-stage conversion for each value of a dimension, as a heat map."""
    steps = table.dropna(subset=["conversion_from_previous"]).copy()
    steps["step"] = steps["stage_rank"].astype(int)
    labels = dict(zip(table["stage_rank"].astype(int), table["stage"]))
    pivot = steps.pivot_table(index=dimension, columns="step", values="conversion_from_previous")
    x = [f"{labels[step - 1]} → {labels[step]}" for step in pivot.columns]
    text = [[format_value(v, Unit.PERCENT, lang) for v in row] for row in pivot.to_numpy()]
    figure = go.Figure(go.Heatmap(z=pivot.to_numpy(), x=x, y=[str(v) for v in pivot.index], text=text,
                                  texttemplate="%{text}", colorscale="Blues", zmin=0, zmax=1, showscale=False,
                                  hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>"))
    return _layout(figure, lang, height=max(260, 40 * len(pivot) + 80))


def trend(table: pd.DataFrame, kpi: Kpi, lang: str, *, bars: bool = False) -> go.Figure:
    """A KPI over periods; a period still in progress is drawn lighter; threshold bands when declared."""
    x = [period_label(period, lang, short=True) for period in table["period"]]
    colors = [GREY if partial else BLUE for partial in table["partial"]]
    fmt = _hover_format(kpi.unit)
    if bars:
        trace = go.Bar(x=x, y=table[kpi.id], marker_color=colors, name=kpi.label[lang],
                       hovertemplate=f"%{{x}}: %{{y:{fmt}}}<extra></extra>")
    else:
        trace = go.Scatter(x=x, y=table[kpi.id], mode="lines+markers", marker_color=colors, line_color=BLUE,
                           name=kpi.label[lang], hovertemplate=f"%{{x}}: %{{y:{fmt}}}<extra></extra>")
    figure = go.Figure(trace)
    if kpi.thresholds:
        good, bad = kpi.thresholds.good, kpi.thresholds.bad
        figure.add_hrect(y0=good, y1=1, fillcolor=GREEN, opacity=0.08, line_width=0)
        figure.add_hrect(y0=bad, y1=good, fillcolor=ORANGE, opacity=0.08, line_width=0)
        figure.add_hrect(y0=0, y1=bad, fillcolor=RED, opacity=0.06, line_width=0)
    if kpi.unit is Unit.PERCENT:
        figure.update_yaxes(tickformat=".0%", range=[0, 1.02] if kpi.thresholds else None)
    figure.update_layout(title=kpi.label[lang])
    return _layout(figure, lang, height=300)


def breakdown(table: pd.DataFrame, dimension: str, kpi: Kpi, lang: str) -> go.Figure:
    """A KPI for each value of a dimension, best first."""
    data = table.dropna(subset=[kpi.id]).sort_values(kpi.id, ascending=True)
    text = [format_value(v, kpi.unit, lang, decimals=kpi.decimals) for v in data[kpi.id]]
    figure = go.Figure(go.Bar(x=data[kpi.id], y=data[dimension].astype(str), orientation="h", text=text,
                              textposition="auto", marker_color=BLUE,
                              hovertemplate=f"%{{y}}: %{{x:{_hover_format(kpi.unit)}}}<extra></extra>"))
    if kpi.unit is Unit.PERCENT:
        figure.update_xaxes(tickformat=".0%")
    figure.update_layout(title=f"{kpi.label[lang]} — {t('dimension.' + dimension, lang)}")
    return _layout(figure, lang, height=max(260, 34 * len(data) + 90))


def cohorts(table: pd.DataFrame, lang: str) -> go.Figure:
    """Share of each cohort active n periods after its first order."""
    pivot = table.pivot_table(index="cohort", columns="age", values="share").sort_index()
    text = [["" if pd.isna(v) else format_value(v, Unit.PERCENT, lang, decimals=0) for v in row]
            for row in pivot.to_numpy()]
    figure = go.Figure(go.Heatmap(
        z=pivot.to_numpy(), x=[str(age) for age in pivot.columns],
        y=[period_label(cohort, lang, short=True) for cohort in pivot.index], text=text, texttemplate="%{text}",
        colorscale="Blues", zmin=0, zmax=1, showscale=False,
        hovertemplate="%{y} +%{x}: %{text}<extra></extra>"))
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(title=t("column.age", lang))
    return _layout(figure, lang, height=max(300, 28 * len(pivot) + 100))
