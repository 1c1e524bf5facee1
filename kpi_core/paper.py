"""A Plotly figure of `charts` drawn for paper with matplotlib (a PNG): the same traces, colours, axis labels and
value labels, without a browser (Plotly's own image export needs Chrome, which Community Cloud lacks)."""

from __future__ import annotations

import io
import re
import textwrap
from html import unescape

import matplotlib

matplotlib.use("Agg")  # no display: drawn to bytes only
from matplotlib.collections import PolyCollection  # noqa: E402
from matplotlib.figure import Figure as Canvas  # noqa: E402  (pyplot's global state is not thread-safe)
from plotly.colors import sample_colorscale  # noqa: E402

from kpi_core.charts import BLUE  # noqa: E402

TICK, GRID = "#3e4c59", "#d9e2ec"
WIDTH_INCHES = 7.0
DPI = 160
SLANTED = 8  # more category names than this under a chart are written slanted


def _text(value) -> str:
    """Plotly's label markup as plain text: `<br>` a new line, `&amp;` a character, other tags dropped."""
    text = re.sub(r"<br\s*/?>", "\n", str(value))
    return unescape(re.sub(r"</?[a-z][^>]*>", "", text))


def _list(values) -> list:
    return [] if values is None else list(values)


def _colors(color, count: int) -> list:
    colors = _list(color) if isinstance(color, (list, tuple)) else [color or BLUE] * count
    return colors or [BLUE] * count


def _bars(axes, trace) -> None:
    horizontal = trace.orientation == "h"
    names, sizes = (trace.y, trace.x) if horizontal else (trace.x, trace.y)
    names, sizes = [_text(name) for name in _list(names)], [float("nan") if v is None else v for v in _list(sizes)]
    colors = _colors(trace.marker.color, len(sizes))
    draw = axes.barh if horizontal else axes.bar
    bars = draw(names, sizes, color=colors)
    error = trace.error_x if horizontal else trace.error_y
    if error is not None and error.visible and error.array is not None:
        centres = range(len(names))
        spread = [_list(error.array if error.arrayminus is None else error.arrayminus), _list(error.array)]
        if horizontal:
            axes.errorbar(sizes, centres, xerr=spread, fmt="none", ecolor=error.color or TICK, capsize=3, lw=1)
        else:
            axes.errorbar(centres, sizes, yerr=spread, fmt="none", ecolor=error.color or TICK, capsize=3, lw=1)
    if trace.text is not None and not isinstance(trace.text, str):
        axes.bar_label(bars, labels=[_text(label) for label in trace.text], padding=3, fontsize=7, color=TICK)
        axes.margins(x=0.25) if horizontal else axes.margins(y=0.15)


def _funnel(axes, trace) -> None:
    """Centred bars, the first stage on top, each labelled inside when wide enough, beside it otherwise."""
    names, sizes = [_text(name) for name in _list(trace.y)], [float(v) for v in _list(trace.x)]
    widest = max(sizes or [1]) or 1
    places = list(range(len(sizes)))[::-1]
    axes.barh(places, sizes, left=[(widest - size) / 2 for size in sizes], color=trace.marker.color or BLUE)
    for place, size, label in zip(places, sizes, _list(trace.text) or [""] * len(sizes)):
        inside = size >= 0.35 * widest
        axes.text(widest / 2 if inside else (widest + size) / 2 + widest * 0.02, place, _text(label), va="center",
                  ha="center" if inside else "left", fontsize=8, color="white" if inside else TICK)
    axes.set_yticks(places, names)
    axes.set_xticks([])
    axes.set_xlim(0, widest * 1.35)


def _scatter(axes, trace) -> None:
    xs, ys = _list(trace.x), _list(trace.y)
    if trace.fill == "toself":  # outlines separated by None: one collection, drawn at once
        rings, ring = [], []
        for x, y in zip([*xs, None], [*ys, None]):
            if x is None:
                rings += [ring] if len(ring) > 2 else []
                ring = []
            else:
                ring.append((x, y))
        axes.add_collection(PolyCollection(rings, facecolors=_rgb(trace.fillcolor), edgecolors="white",
                                           linewidths=0.4))
        axes.autoscale_view()
        return
    mode = trace.mode or "lines"
    if isinstance(trace.marker.color, (list, tuple)) and trace.marker.colorscale is not None and "lines" not in mode:
        low, high = trace.marker.cmin, trace.marker.cmax
        scale = [list(step) for step in trace.marker.colorscale]
        colors = [sample_colorscale(scale, (v - low) / (high - low) if high > low else 0.5)[0]
                  for v in trace.marker.color]
        axes.scatter(xs, ys, c=[_rgb(c) for c in colors], edgecolors="#1b1b1b", s=40, zorder=3)
        return
    if all(y is None or y != y for y in ys):  # nothing to draw (matplotlib refuses an all-missing series)
        return
    colors = _colors(trace.marker.color, len(xs))
    names = [_text(x) for x in xs] if xs and isinstance(xs[0], str) else xs
    if "lines" in mode:
        axes.plot(names, [float("nan") if y is None else y for y in ys], color=trace.line.color or colors[0], lw=2)
    if "markers" in mode or "lines" in mode:
        axes.scatter(names, [float("nan") if y is None else y for y in ys], c=[_rgb(c) for c in colors], s=18,
                     zorder=3)


def _rgb(color: str):
    """`rgb(12, 34, 56)` (Plotly's sampler) → matplotlib's (0.05, 0.13, 0.22); hex colours as they are."""
    found = re.match(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)", str(color))
    return tuple(float(part) / 255 for part in found.groups()) if found else color


def _heatmap(axes, trace) -> None:
    rows = [[float("nan") if v is None else v for v in row] for row in trace.z]
    axes.imshow(rows, cmap="Blues", vmin=trace.zmin, vmax=trace.zmax, aspect="auto")
    axes.set_xticks(range(len(trace.x)), [_text(x) for x in trace.x], rotation=30, ha="right")
    axes.set_yticks(range(len(trace.y)), [_text(y) for y in trace.y])
    for row_index, row in enumerate(_list(trace.text)):
        for column_index, label in enumerate(row):
            value = rows[row_index][column_index]
            axes.text(column_index, row_index, _text(label), ha="center", va="center", fontsize=7,
                      color="white" if value == value and value > 0.6 * (trace.zmax or 1) else TICK)


def _waterfall(axes, trace) -> None:
    """Each step a bar floating from the running total (absolute and total bars from zero), coloured as Plotly's."""
    # Step names side by side under their bars: wrapped, so a long one does not run into its neighbours.
    names = [textwrap.fill(_text(x), 16) for x in _list(trace.x)]
    running, bottoms, heights, colors = 0.0, [], [], []
    for measure, value in zip(_list(trace.measure), _list(trace.y)):
        if measure == "relative":
            bottoms.append(running + min(value, 0))
            heights.append(abs(value))
            colors.append(trace.increasing.marker.color if value >= 0 else trace.decreasing.marker.color)
            running += value
        else:
            running = value if measure == "absolute" else running
            bottoms.append(0.0)
            heights.append(running)
            colors.append(trace.totals.marker.color)
    bars = axes.bar(names, heights, bottom=bottoms, color=colors)
    if trace.text is not None:
        axes.bar_label(bars, labels=[_text(label) for label in trace.text], padding=3, fontsize=7, color=TICK)


DRAW = {"bar": _bars, "funnel": _funnel, "scatter": _scatter, "heatmap": _heatmap, "waterfall": _waterfall}


def _axis(axes, layout) -> None:
    for name, plotly_axis in (("x", layout.xaxis), ("y", layout.yaxis)):
        if plotly_axis.visible is False:
            getattr(axes, f"{name}axis").set_visible(False)
        if plotly_axis.tickvals is not None:
            getattr(axes, f"set_{name}ticks")(list(plotly_axis.tickvals), [_text(v) for v in plotly_axis.ticktext])
        if plotly_axis.range is not None:
            getattr(axes, f"set_{name}lim")(*plotly_axis.range)
        if plotly_axis.title.text:
            getattr(axes, f"set_{name}label")(_text(plotly_axis.title.text), color=TICK, fontsize=8)
    if layout.yaxis.autorange == "reversed":
        axes.invert_yaxis()
    if layout.yaxis.scaleanchor == "x":
        axes.set_aspect("equal")
        axes.set_axis_off()


def _decorations(axes, layout) -> None:
    for shape in layout.shapes:  # threshold bands across the plot
        if shape.type == "rect" and str(shape.xref).endswith("domain"):
            axes.axhspan(shape.y0, shape.y1, color=_rgb(shape.fillcolor), alpha=shape.opacity or 0.1, lw=0)
    for note in layout.annotations:
        box = dict(facecolor="white", alpha=0.85, edgecolor="none", pad=1.5) if note.bgcolor else None
        axes.annotate(_text(note.text), (note.x, note.y), xytext=(0, (note.yshift or 0) * 0.6),
                      textcoords="offset points", ha="center", va="center", fontsize=6.5, color=TICK, bbox=box)


def _draw(axes, figure, *, small: bool) -> None:
    layout = figure.layout
    for trace in figure.data:
        if trace.type not in DRAW:
            raise ValueError(f"no paper drawing for a {trace.type} chart")
        DRAW[trace.type](axes, trace)
    _axis(axes, layout)
    _decorations(axes, layout)
    if layout.title.text:
        axes.set_title(_text(layout.title.text), loc="left", fontsize=9 if small else 10, color="#1b1b1b")
    axes.tick_params(colors=TICK, labelsize=6.5 if small else 7.5)
    if small or len(axes.get_xticklabels()) > SLANTED:  # slanted, so twelve period names fit
        axes.tick_params(axis="x", labelrotation=45)
        for label in axes.get_xticklabels():
            label.set_horizontalalignment("right")
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    horizontal = any(getattr(trace, "orientation", None) == "h" for trace in figure.data)
    axes.grid(axis="x" if horizontal else "y", color=GRID, lw=0.6)
    axes.set_axisbelow(True)


def png(figures: list, *, columns: int = 1) -> bytes:
    """The figures side by side, `columns` to a row, as one PNG `WIDTH_INCHES` wide; a row's height follows
    the screen's height of its tallest figure."""
    rows = -(-len(figures) // columns)
    tallest = max((figure.layout.height or 360) for figure in figures)
    row_height = min(max(tallest / 360 * 2.9, 2.2), 8.5) * (0.85 if columns > 1 else 1)
    # Margins set from the labels' lengths: matplotlib's layout engines would double the drawing time.
    canvas = Canvas(figsize=(WIDTH_INCHES, row_height * rows), dpi=DPI)
    for position, figure in enumerate(figures, start=1):
        _draw(canvas.add_subplot(rows, columns, position), figure, small=columns > 1)
    slanted = any(label.get_rotation() for axes in canvas.axes for label in axes.get_xticklabels())
    longest = max((len(label.get_text()) for axes in canvas.axes for label in axes.get_yticklabels()), default=4)
    left = min(0.45, 0.012 * longest * (0.9 if columns > 1 else 1) + 0.04) / (1 if columns == 1 else columns)
    canvas.subplots_adjust(left=max(left, 0.07), right=0.98, top=1 - 0.32 / (row_height * rows),
                           bottom=(0.55 if slanted else 0.35) / row_height / rows,
                           wspace=0.35, hspace=0.85 / row_height)
    buffer = io.BytesIO()
    canvas.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
