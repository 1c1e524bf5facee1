"""Pure figure functions: data in, Plotly figure out (no Streamlit, testable alone)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from kpi_core.bridge import signed_euros
from kpi_core.catalog import Kpi
from kpi_core.formatting import MISSING, Unit, axis_ticks, format_rate, format_value, period_label, plotly_separators
from kpi_core.france_map import outlines
from kpi_core.i18n import t

BLUE, GREEN, ORANGE, RED, GREY = "#1f4e79", "#2e8540", "#e07b00", "#c0392b", "#9aa5b1"
TICK = "#3e4c59"  # axis text: 9.6:1 on white (WCAG AA asks 4.5:1)


def plain(text) -> str:
    """Text from the user's data as Plotly shows it: its `<a href>`, `<b>`, `<br>` tags are text, not markup."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _label(kpi: Kpi, lang: str) -> str:
    return plain(kpi.label[lang]) if kpi.user_defined else kpi.label[lang]


def _layout(figure: go.Figure, lang: str, *, height: int = 360) -> go.Figure:
    # A label that would have to shrink below 10 px to fit its bar (on a phone) is left out, not drawn unreadable.
    figure.update_layout(separators=plotly_separators(lang), height=height, margin=dict(l=10, r=10, t=30, b=10),
                         legend=dict(orientation="h", y=-0.15), hovermode="closest",
                         uniformtext=dict(minsize=10, mode="hide"))
    figure.update_xaxes(tickfont_color=TICK)
    figure.update_yaxes(tickfont_color=TICK)
    return figure


def _axis(figure: go.Figure, values, unit: Unit, lang: str, axis: str = "y", *, zero: bool = True) -> None:
    """A value axis labelled as the cards write numbers (`200 k€`, `12 %`, `3 j`), not Plotly's `200k`."""
    numbers = [float(v) for v in values if v is not None and v == v]
    if not numbers:
        return
    low, high = min(numbers), max(numbers)
    ticks, labels = axis_ticks(min(low, 0) if zero else low, max(high, 0) if zero else high, unit, lang)
    getattr(figure, f"update_{axis}axes")(tickvals=ticks, ticktext=labels)


def _hover(name: str, value: str, lang: str) -> str:
    """A hover line `Paris : 24,1 % (58 / 241)` from Plotly placeholders, punctuated for the language."""
    return t("chart.point", lang, name=name, value=value) + "<extra></extra>"


def _shown(values, kpi: Kpi, lang: str) -> list[str]:
    """Each value as its card writes it, for labels and hover text."""
    return [format_value(v, kpi.unit, lang, decimals=kpi.decimals) for v in values]


def _behind(table: pd.DataFrame, kpi: Kpi, lang: str) -> list[str]:
    """What a rate rests on, for its hover text: ` (58 / 241)`; nothing for other KPIs or without the counts."""
    numerator, denominator = getattr(kpi, "numerator", None), getattr(kpi, "denominator", None)
    if kpi.unit is not Unit.PERCENT or numerator not in table or denominator not in table:
        return [""] * len(table)
    return ["" if pd.isna(n) or pd.isna(d) else
            f" ({format_value(n, Unit.COUNT, lang)} / {format_value(d, Unit.COUNT, lang)})"
            for n, d in zip(table[numerator], table[denominator])]


def funnel(stages: pd.DataFrame, lang: str) -> go.Figure:
    """Deals having reached each stage, labelled with the conversion from the stage before as it can be read
    (`—` withheld, `*` provisional)."""
    counts = [format_value(v, Unit.COUNT, lang) for v in stages["reached"]]
    text = [count if pd.isna(maturity) else f"{count} ({format_rate(rate, maturity, lang)})"
            for count, rate, maturity in zip(counts, stages["conversion_from_previous"],
                                             stages["maturity_from_previous"])]
    figure = go.Figure(go.Funnel(y=stages["stage"].map(plain), x=stages["reached"], text=text, textinfo="text",
                                 textposition=_inside_when_wide(stages["reached"]),
                                 outsidetextfont=dict(color=TICK), marker_color=BLUE, customdata=counts,
                                 hovertemplate=_hover("%{y}", "%{customdata}", lang)))
    return _layout(figure, lang)


def _inside_when_wide(values, share: float = 0.35) -> list[str]:
    """A label inside a bar at least `share` of the widest (room for it even on a phone), beside a narrower one."""
    widest = max([float(v) for v in values if pd.notna(v)] or [0])
    return ["inside" if widest and pd.notna(v) and v >= share * widest else "outside" for v in values]


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
                                  hovertemplate="%{y}<br>" + _hover("%{x}", "%{text}", lang)))
    return _layout(figure, lang, height=max(260, 40 * len(pivot) + 80))


def trend(table: pd.DataFrame, kpi: Kpi, lang: str, *, bars: bool = False) -> go.Figure:
    """A KPI over periods; a period still in progress is drawn lighter; threshold bands when declared."""
    x = [period_label(period, lang, short=True) for period in table["period"]]
    colors = [GREY if partial else BLUE for partial in table["partial"]]
    shown = _shown(table[kpi.id], kpi, lang)
    common = dict(x=x, y=table[kpi.id], marker_color=colors, name=_label(kpi, lang), customdata=shown,
                  hovertemplate=_hover("%{x}", "%{customdata}", lang))
    trace = go.Bar(**common) if bars else go.Scatter(mode="lines+markers", line_color=BLUE, **common)
    figure = go.Figure(trace)
    if kpi.thresholds:
        good, bad = kpi.thresholds.good, kpi.thresholds.bad
        figure.add_hrect(y0=good, y1=1, fillcolor=GREEN, opacity=0.08, line_width=0)
        figure.add_hrect(y0=bad, y1=good, fillcolor=ORANGE, opacity=0.08, line_width=0)
        figure.add_hrect(y0=0, y1=bad, fillcolor=RED, opacity=0.06, line_width=0)
    if kpi.thresholds:
        figure.update_yaxes(range=[0, 1.02])
        _axis(figure, [0, 1], kpi.unit, lang)
    else:
        _axis(figure, table[kpi.id], kpi.unit, lang, zero=bars)
    figure.update_layout(title=_label(kpi, lang))
    return _layout(figure, lang, height=300)


def breakdown(table: pd.DataFrame, dimension: str, kpi: Kpi, lang: str) -> go.Figure:
    """A KPI for each value of a dimension, best first."""
    data = table.dropna(subset=[kpi.id]).sort_values(kpi.id, ascending=True)
    text = _shown(data[kpi.id], kpi, lang)
    names = data[dimension].astype(str)
    hover = [shown + behind for shown, behind in zip(text, _behind(data, kpi, lang))]
    figure = go.Figure(go.Bar(x=data[kpi.id], y=names.map(plain), orientation="h", text=text, textposition="auto",
                              marker_color=BLUE, customdata=list(zip(names, hover)),
                              hovertemplate=_hover("%{y}", "%{customdata[1]}", lang)))
    _axis(figure, data[kpi.id], kpi.unit, lang, "x")
    figure.update_layout(title=f"{_label(kpi, lang)} — {t('dimension.' + dimension, lang)}")
    return _layout(figure, lang, height=max(260, 34 * len(data) + 90))


def cohorts(table: pd.DataFrame, lang: str, *, value: str = "share", title: str = "") -> go.Figure:
    """Each cohort n periods after its first order: the share of its customers active (`share`), or its revenue
    as a share of its first period's (`revenue_share`, which can pass 100 %: the colours then stop at 150 %)."""
    pivot = table.pivot_table(index="cohort", columns="age", values=value, dropna=False).sort_index()
    text = [["" if pd.isna(v) else format_value(v, Unit.PERCENT, lang, decimals=0) for v in row]
            for row in pivot.to_numpy()]
    figure = go.Figure(go.Heatmap(
        z=pivot.to_numpy(), x=[str(age) for age in pivot.columns],
        y=[period_label(cohort, lang, short=True) for cohort in pivot.index], text=text, texttemplate="%{text}",
        colorscale="Blues", zmin=0, zmax=1 if value == "share" else 1.5, showscale=False,
        hovertemplate=_hover("%{y} +%{x}", "%{text}", lang)))
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(title=t("column.age", lang))
    figure.update_layout(title={"text": title, "font": {"size": 14}})
    return _layout(figure, lang, height=max(300, 28 * len(pivot) + 100))


# How a value stands against the rest once the false discovery rate is held (ranking.differs): a mark after its name.
DIFFERS_MARK = {1: " ▲", -1: " ▼"}


def ranking(table: pd.DataFrame, kpi: Kpi, dimension: str, lang: str) -> go.Figure:
    """Every value of a dimension for one KPI in the table's order (best on top), the raw value as a bar with its
    95 % interval and, when it differs, the shrunk value the order follows as a diamond; small groups in grey and
    marked *, values that differ from the rest ▲ or ▼. The figures sit in the axis labels, where whiskers and
    short bars cannot hide them."""
    data = table.iloc[::-1]
    has_interval = data["low"].notna()
    shown = _shown(data[kpi.id], kpi, lang)
    marks = [DIFFERS_MARK.get(differs, "") for differs in data.get("differs", pd.Series(0, index=data.index))]
    labels = [f"{plain(name)} · {value}" + (" *" if small else "") + mark
              for name, value, small, mark in zip(data["value"], shown, data["small"], marks)]
    figure = go.Figure(go.Bar(
        x=data[kpi.id], y=labels, orientation="h", name=t("compare.rank.raw", lang),
        customdata=[(name, value + (f" · {t('column.observations_count', lang, count=int(n))}" if n == n else ""))
                    for name, value, n in zip(data["value"], shown, data["observations"])],
        marker_color=[GREY if small else BLUE for small in data["small"]],
        error_x=dict(type="data", symmetric=False, visible=bool(has_interval.any()), color="#52606d",
                     array=(data["high"] - data[kpi.id]).where(has_interval, 0).to_numpy(),
                     arrayminus=(data[kpi.id] - data["low"]).where(has_interval, 0).to_numpy()),
        hovertemplate=_hover("%{customdata[0]}", "%{customdata[1]}", lang)))
    if "shrunk" in data and (data["shrunk"] - data[kpi.id]).abs().gt(1e-12).any():
        figure.add_trace(go.Scatter(
            x=data["shrunk"], y=labels, mode="markers", name=t("compare.rank.shrunk", lang),
            marker=dict(symbol="diamond", size=9, color=ORANGE, line=dict(color="white", width=1)),
            customdata=[(name, value) for name, value in zip(data["value"], _shown(data["shrunk"], kpi, lang))],
            hovertemplate=_hover("%{customdata[0]}", "%{customdata[1]}", lang)))
    _axis(figure, [*data[kpi.id], *data["low"].dropna(), *data["high"].dropna()], kpi.unit, lang, "x")
    figure.update_layout(title=f"{_label(kpi, lang)} — {t('dimension.' + dimension, lang)}", clickmode="event+select",
                         showlegend=len(figure.data) > 1)
    return _layout(figure, lang, height=max(260, 34 * len(data) + 100))


def funnel_plot(table: pd.DataFrame, kpi: Kpi, dimension: str, limits, lang: str) -> go.Figure:
    """Each value against its number of observations, inside the limits chance alone keeps a value within
    (`limits`: ranking.FunnelLimits, its `levels` and `bounds(n, level)`): a point outside the outer ones is rarely
    luck; small groups sit at the wide mouth of the funnel, where extreme values are expected."""
    bounds = limits.bounds
    sizes = table["observations"].astype(float)
    grid = pd.Series(sorted({*np.geomspace(max(1.0, sizes.min() * 0.8), sizes.max() * 1.2, 60), *sizes}))
    figure = go.Figure()
    for level, dash in zip(limits.levels, ("dash", "dot")):
        low, high = bounds(grid, level)
        name = t("compare.funnel.limit", lang, level=format_value(level, "percent", lang, decimals=1 if level > 0.99
                                                                     else 0))
        for edge, show in ((low, True), (high, False)):
            figure.add_trace(go.Scatter(x=grid, y=edge, mode="lines", line=dict(color=GREY, dash=dash, width=1),
                                        name=name, showlegend=show, legendgroup=name, hoverinfo="skip"))
    outer_low, outer_high = bounds(sizes, limits.levels[-1])
    inner_low, inner_high = bounds(sizes, limits.levels[0])
    values = table[kpi.id]
    colours = [RED if (v < lo_o or v > hi_o) else ORANGE if (v < lo_i or v > hi_i) else BLUE
               for v, lo_o, hi_o, lo_i, hi_i in zip(values, outer_low, outer_high, inner_low, inner_high)]
    figure.add_trace(go.Scatter(
        x=sizes, y=values, mode="markers+text", text=[plain(name) for name in table["value"]],
        # Above and below in turn: neighbours of close sizes and values do not write over each other.
        textposition=["top center" if k % 2 else "bottom center" for k in range(len(table))],
        textfont=dict(size=11, color=TICK), marker=dict(size=9, color=colours),
        name=t(f"dimension.{dimension}", lang), showlegend=False,
        customdata=[(name, f"{value} · {t('column.observations_count', lang, count=int(n))}")
                    for name, value, n in zip(table["value"], _shown(values, kpi, lang), sizes)],
        hovertemplate=_hover("%{customdata[0]}", "%{customdata[1]}", lang)))
    _axis(figure, [*values, *outer_low, *outer_high], kpi.unit, lang, "y", zero=False)
    figure.update_xaxes(type="log", title=t("compare.funnel.size", lang), title_font_color=TICK)
    figure.update_layout(title=t("compare.funnel.title", lang, kpi=_label(kpi, lang),
                                 dimension=t(f"dimension.{dimension}", lang).lower()))
    return _layout(figure, lang, height=440)


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
        label = t("map.no_data", lang) if name is None else t("chart.point", lang, name=plain(name), value=format_value(
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
    ticks, tick_labels = axis_ticks(low, high, kpi.unit, lang, count=4)
    figure.add_trace(go.Scatter(
        x=[x for x, _ in centres], y=[y for _, y in centres], mode="markers", customdata=[[n] for n in names],
        text=labels, showlegend=False,
        marker=dict(size=11, color=[values[n] for n in names], colorscale=MAP_SCALE, cmin=low, cmax=high,
                    line=dict(color="#1b1b1b", width=1),
                    colorbar=dict(orientation="h", y=-0.02, yanchor="top", thickness=10, len=0.6,
                                  tickvals=ticks, ticktext=tick_labels)),
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
                              marker_color=RED, hovertemplate=_hover("%{y}", "%{text}", lang)))
    _axis(figure, data["deals"], Unit.COUNT, lang, "x")
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
        textposition="outside", cliponaxis=False, hovertemplate=_hover("%{x}", "%{text}", lang),
        increasing={"marker": {"color": GREEN}}, decreasing={"marker": {"color": RED}},
        totals={"marker": {"color": BLUE}}, connector={"line": {"color": GREY}}))
    low, high = min(values[0], values[-1]), max(values[0], values[-1])
    swing = sum(abs(v) for _, v in steps)
    bottom, top = max(0, low - 1.5 * swing), high + 1.5 * swing
    figure.update_yaxes(range=[bottom, top])
    _axis(figure, [bottom, top], Unit.CURRENCY, lang, zero=False)
    figure.update_layout(title={"text": title, "font": {"size": 14}})
    return _layout(figure, lang)


def time_in_stage(table: pd.DataFrame, lang: str) -> go.Figure:
    """Median days spent in each stage, with how many deals it rests on."""
    text = [f"{format_value(days, Unit.DAYS, lang, decimals=0)} · {t('column.deals_count', lang, count=int(deals))}"
            for days, deals in zip(table["median_days"], table["deals"])]
    figure = go.Figure(go.Bar(y=table["stage"].map(plain), x=table["median_days"], orientation="h", text=text,
                              textposition="auto", marker_color=BLUE, hovertemplate=_hover("%{y}", "%{text}", lang)))
    figure.update_yaxes(autorange="reversed")
    _axis(figure, table["median_days"], Unit.DAYS, lang, "x")
    figure.update_xaxes(title_text=t("funnel.median_days", lang))
    return _layout(figure, lang, height=max(220, 50 * len(table) + 80))
