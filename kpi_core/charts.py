"""Pure figure functions: data in, Plotly figure out (no Streamlit, testable alone)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from kpi_core.bridge import signed_euros
from kpi_core.catalog import Kpi
from kpi_core.formatting import MISSING, Unit, format_rate, format_value, period_label, plotly_separators
from kpi_core.france_map import outlines
from kpi_core.i18n import t

BLUE, GREEN, ORANGE, RED, GREY = "#1f4e79", "#2e8540", "#e07b00", "#c0392b", "#9aa5b1"


def plain(text) -> str:
    """Text from the user's data as Plotly shows it: its `<a href>`, `<b>`, `<br>` tags are text, not markup."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _label(kpi: Kpi, lang: str) -> str:
    return plain(kpi.label[lang]) if kpi.user_defined else kpi.label[lang]


def _layout(figure: go.Figure, lang: str, *, height: int = 360) -> go.Figure:
    figure.update_layout(separators=plotly_separators(lang), height=height, margin=dict(l=10, r=10, t=30, b=10),
                         legend=dict(orientation="h", y=-0.15), hovermode="closest")
    return figure


def _hover_format(unit: Unit) -> str:
    return {Unit.CURRENCY: ",.0f", Unit.PERCENT: ".1%"}.get(unit, ",.1f")


def funnel(stages: pd.DataFrame, lang: str) -> go.Figure:
    """Deals having reached each stage, labelled with the conversion from the stage before as it can be read
    (`—` withheld, `*` provisional)."""
    text = [
        f"{int(reached)}" if pd.isna(maturity) else f"{int(reached)} ({format_rate(rate, maturity, lang)})"
        for reached, rate, maturity in zip(stages["reached"], stages["conversion_from_previous"],
                                           stages["maturity_from_previous"])
    ]
    figure = go.Figure(go.Funnel(y=stages["stage"].map(plain), x=stages["reached"], text=text, textinfo="text",
                                 marker_color=BLUE, hovertemplate="%{y}: %{x}<extra></extra>"))
    return _layout(figure, lang)


def conversion_matrix(table: pd.DataFrame, dimension: str, lang: str) -> go.Figure:
    """Stage-to-stage conversion for each value of a dimension, as a heat map (withheld rates left blank and
    marked `—`, provisional ones marked `*`)."""
    steps = table.dropna(subset=["maturity_from_previous", dimension]).copy()
    steps["step"] = steps["stage_rank"].astype(int)
    steps["shown"] = [format_rate(v, m, lang) for v, m in
                      zip(steps["conversion_from_previous"], steps["maturity_from_previous"])]
    labels = dict(zip(table["stage_rank"].astype(int), table["stage"].map(plain)))
    pivot = steps.pivot(index=dimension, columns="step", values="conversion_from_previous")
    shown = steps.pivot(index=dimension, columns="step", values="shown")
    x = [f"{labels[step - 1]} → {labels[step]}" for step in pivot.columns]
    text = shown.fillna(MISSING).to_numpy().tolist()
    figure = go.Figure(go.Heatmap(z=pivot.to_numpy(), x=x, y=[plain(v) for v in pivot.index], text=text,
                                  texttemplate="%{text}", colorscale="Blues", zmin=0, zmax=1, showscale=False,
                                  hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>"))
    return _layout(figure, lang, height=max(260, 40 * len(pivot) + 80))


def trend(table: pd.DataFrame, kpi: Kpi, lang: str, *, bars: bool = False) -> go.Figure:
    """A KPI over periods; a period still in progress is drawn lighter; threshold bands when declared."""
    x = [period_label(period, lang, short=True) for period in table["period"]]
    colors = [GREY if partial else BLUE for partial in table["partial"]]
    fmt = _hover_format(kpi.unit)
    if bars:
        trace = go.Bar(x=x, y=table[kpi.id], marker_color=colors, name=_label(kpi, lang),
                       hovertemplate=f"%{{x}}: %{{y:{fmt}}}<extra></extra>")
    else:
        trace = go.Scatter(x=x, y=table[kpi.id], mode="lines+markers", marker_color=colors, line_color=BLUE,
                           name=_label(kpi, lang), hovertemplate=f"%{{x}}: %{{y:{fmt}}}<extra></extra>")
    figure = go.Figure(trace)
    if kpi.thresholds:
        good, bad = kpi.thresholds.good, kpi.thresholds.bad
        figure.add_hrect(y0=good, y1=1, fillcolor=GREEN, opacity=0.08, line_width=0)
        figure.add_hrect(y0=bad, y1=good, fillcolor=ORANGE, opacity=0.08, line_width=0)
        figure.add_hrect(y0=0, y1=bad, fillcolor=RED, opacity=0.06, line_width=0)
    if kpi.unit is Unit.PERCENT:
        values = table[kpi.id].dropna()
        span = 1 if kpi.thresholds or values.empty else values.max() - values.min()
        figure.update_yaxes(tickformat=_percent_ticks(span), range=[0, 1.02] if kpi.thresholds else None)
    figure.update_layout(title=_label(kpi, lang))
    return _layout(figure, lang, height=300)


def breakdown(table: pd.DataFrame, dimension: str, kpi: Kpi, lang: str) -> go.Figure:
    """A KPI for each value of a dimension, best first."""
    data = table.dropna(subset=[kpi.id]).sort_values(kpi.id, ascending=True)
    text = [format_value(v, kpi.unit, lang, decimals=kpi.decimals) for v in data[kpi.id]]
    names = data[dimension].astype(str)
    figure = go.Figure(go.Bar(x=data[kpi.id], y=names.map(plain), orientation="h", text=text, textposition="auto",
                              marker_color=BLUE, customdata=names.to_frame().to_numpy(),
                              hovertemplate=f"%{{y}}: %{{x:{_hover_format(kpi.unit)}}}<extra></extra>"))
    if kpi.unit is Unit.PERCENT:
        figure.update_xaxes(tickformat=".0%")
    figure.update_layout(title=f"{_label(kpi, lang)} — {t('dimension.' + dimension, lang)}")
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


def ranking(table: pd.DataFrame, kpi: Kpi, dimension: str, lang: str) -> go.Figure:
    """Every value of a dimension for one KPI, best on top, with its 95 % interval; small groups in grey and
    marked *. The figures sit in the axis labels, where whiskers and short bars cannot hide them."""
    data = table.iloc[::-1]
    has_interval = data["low"].notna()
    labels = [f"{plain(name)} · {format_value(v, kpi.unit, lang, decimals=kpi.decimals)}" + (" *" if small else "")
              for name, v, small in zip(data["value"], data[kpi.id], data["small"])]
    figure = go.Figure(go.Bar(
        x=data[kpi.id], y=labels, orientation="h", customdata=data[["value"]].to_numpy(),
        marker_color=[GREY if small else BLUE for small in data["small"]],
        error_x=dict(type="data", symmetric=False, visible=bool(has_interval.any()), color="#52606d",
                     array=(data["high"] - data[kpi.id]).where(has_interval, 0).to_numpy(),
                     arrayminus=(data[kpi.id] - data["low"]).where(has_interval, 0).to_numpy()),
        hovertemplate=f"%{{customdata[0]}}: %{{x:{_hover_format(kpi.unit)}}}<extra></extra>"))
    if kpi.unit is Unit.PERCENT:
        figure.update_xaxes(tickformat=".0%")
    figure.update_layout(title=f"{_label(kpi, lang)} — {t('dimension.' + dimension, lang)}", clickmode="event+select")
    return _layout(figure, lang, height=max(260, 34 * len(data) + 100))


def _percent_ticks(span: float) -> str:
    """Whole percents repeat themselves (`2 %, 2 %`) on a scale spanning a few points."""
    return ".0%" if span >= 0.1 else ".1%"


# The upper part of Blues: the lowest value stays visible against the grey of departments without data.
MAP_SCALE = [[step / 10, sample_colorscale("Blues", 0.3 + 0.07 * step)[0]] for step in range(11)]


def _shade(value: float, low: float, high: float) -> str:
    """The colour of a value between the lowest and highest shown; one value (or all equal) takes the middle.
    Plotly's sampler divides by zero on an integer position, so it always gets a float."""
    return sample_colorscale(MAP_SCALE, float((value - low) / (high - low)) if high > low else 0.5)[0]


def _centre(outlines) -> tuple[float, float]:
    xs = [x for outline in outlines for ring_x, _ in outline.rings for x in ring_x]
    ys = [y for outline in outlines for _, ring_y in outline.rings for y in ring_y]
    return sum(xs) / len(xs), sum(ys) / len(ys)


def france_map(table: pd.DataFrame, painted: dict[str, str], kpi: Kpi, lang: str) -> go.Figure:
    """The departments coloured by the value they belong to (`painted`: department → value of `table`), a
    labelled, clickable point on each value, and the enlarged Paris area."""
    values = dict(zip(table["value"], table[kpi.id]))
    low, high = min(values.values()), max(values.values())
    shapes = outlines()
    groups: dict[str | None, list] = {}
    for outline in shapes:
        name = painted.get(outline.department)
        groups.setdefault(name if name in values else None, []).append(outline)
    figure = go.Figure()
    for name, members in groups.items():
        xs, ys = [], []
        for outline in members:
            for ring_x, ring_y in outline.rings:
                xs += [*ring_x, ring_x[0], None]
                ys += [*ring_y, ring_y[0], None]
        label = t("map.no_data", lang) if name is None else t("map.value", lang, name=plain(name), value=format_value(
            values[name], kpi.unit, lang, decimals=kpi.decimals))
        fill = "#e4e7eb" if name is None else _shade(values[name], low, high)
        figure.add_trace(go.Scatter(x=xs, y=ys, fill="toself", mode="lines", line=dict(color="white", width=0.6),
                                    fillcolor=fill, name=label, hoveron="fills", hoverinfo="name", showlegend=False))
    names = [name for name in groups if name is not None]
    centres = []
    for name in names:
        main = [outline for outline in groups[name] if not outline.inset]
        inset = [outline for outline in groups[name] if outline.inset]
        # A value covering only Paris and its suburbs is labelled on the enlarged drawing, where it is visible.
        centres.append(_centre(inset if inset and len(main) <= len(inset) else main))
    labels = [f"{plain(n)}<br>{format_value(values[n], kpi.unit, lang, decimals=kpi.decimals)}" for n in names]
    figure.add_trace(go.Scatter(
        x=[x for x, _ in centres], y=[y for _, y in centres], mode="markers", customdata=[[n] for n in names],
        text=labels, showlegend=False,
        marker=dict(size=11, color=[values[n] for n in names], colorscale=MAP_SCALE, cmin=low, cmax=high,
                    line=dict(color="#1b1b1b", width=1),
                    colorbar=dict(orientation="h", y=-0.02, yanchor="top", thickness=10, len=0.6,
                                  tickformat=_percent_ticks(high - low) if kpi.unit is Unit.PERCENT else None)),
        hovertemplate="%{text}<extra></extra>"))
    for (x, y), label in zip(centres, labels):  # boxed labels stay legible on the darkest areas
        figure.add_annotation(x=x, y=y, text=label, yshift=26, showarrow=False, font=dict(size=11, color="#1b1b1b"),
                              bgcolor="rgba(255,255,255,0.85)", borderpad=2)
    paris = [outline for outline in shapes if outline.inset]
    if paris:
        x, _ = _centre(paris)
        bottom = min(min(ys) for outline in paris for _, ys in outline.rings)
        figure.add_annotation(x=x, y=bottom, yshift=-10, text=t("map.inset", lang), showarrow=False,
                              font=dict(size=10, color="#52606d"))
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False, scaleanchor="x")
    figure.update_layout(plot_bgcolor="white", clickmode="event+select", dragmode=False,
                         title=f"{_label(kpi, lang)} — {t('map.title', lang)}")
    return _layout(figure, lang, height=560)


def lost_reasons(table: pd.DataFrame, lang: str) -> go.Figure:
    """Lost deals by reason, most frequent on top, with the amount they were worth."""
    data = table.iloc[::-1]
    text = [f"{int(deals)} · {format_value(amount, Unit.CURRENCY, lang, decimals=0)}"
            for deals, amount in zip(data["deals"], data["amount"])]
    figure = go.Figure(go.Bar(x=data["deals"], y=data["reason"].map(plain), orientation="h", text=text,
                              textposition="auto",
                              marker_color=RED, hovertemplate="%{y}: %{text}<extra></extra>"))
    figure.update_layout(title=t("funnel.lost_reasons", lang))
    return _layout(figure, lang, height=max(240, 34 * len(data) + 90))


def waterfall(start: tuple[str, float], steps: list[tuple[str, float]], end: tuple[str, float],
              lang: str, *, title: str = "") -> go.Figure:
    """From a starting value through signed steps to the end value (a revenue bridge)."""
    labels = [start[0], *(label for label, _ in steps), end[0]]
    values = [start[1], *(value for _, value in steps), end[1]]
    text = [format_value(start[1], Unit.CURRENCY, lang, decimals=0), *(signed_euros(v, lang) for _, v in steps),
            format_value(end[1], Unit.CURRENCY, lang, decimals=0)]
    figure = go.Figure(go.Waterfall(
        x=labels, y=values, measure=["absolute", *["relative"] * len(steps), "total"], text=text,
        textposition="outside", cliponaxis=False, hovertemplate="%{x}: %{text}<extra></extra>",
        increasing={"marker": {"color": GREEN}}, decreasing={"marker": {"color": RED}},
        totals={"marker": {"color": BLUE}}, connector={"line": {"color": GREY}}))
    low, high = min(values[0], values[-1]), max(values[0], values[-1])
    swing = sum(abs(v) for _, v in steps)
    figure.update_yaxes(range=[max(0, low - 1.5 * swing), high + 1.5 * swing], tickformat=",.0f")
    figure.update_layout(title={"text": title, "font": {"size": 14}})
    return _layout(figure, lang)


def time_in_stage(table: pd.DataFrame, lang: str) -> go.Figure:
    """Median days spent in each stage, with how many deals it rests on."""
    text = [f"{format_value(days, Unit.DAYS, lang, decimals=0)} · {t('column.deals_count', lang, count=int(deals))}"
            for days, deals in zip(table["median_days"], table["deals"])]
    figure = go.Figure(go.Bar(y=table["stage"].map(plain), x=table["median_days"], orientation="h", text=text,
                              textposition="auto", marker_color=BLUE, hovertemplate="%{y}: %{text}<extra></extra>"))
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(title_text=t("funnel.median_days", lang))
    return _layout(figure, lang, height=max(220, 50 * len(table) + 80))
