"""The review as one self-contained HTML file: opens offline (plotly.js embedded once, no font, image or style
fetched), interactive charts, printable (each section starts a sheet)."""

from __future__ import annotations

from html import escape

import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from kpi_core.charts import BLUE
from kpi_core.review import TONES, Figure, Review, Table, Text

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1b1b1b;
       max-width: 1100px; margin: 0 auto; padding: 24px; line-height: 1.45; }
h1 { color: BLUE; margin-bottom: 4px; } h2 { color: BLUE; border-bottom: 2px solid BLUE; padding-bottom: 4px; }
dl.cover { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; }
dl.cover dt { color: #52606d; } dl.cover dd { margin: 0; font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: 12px 0; font-size: 14px; }
th, td { border-bottom: 1px solid #d9e2ec; padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: #f0f4f8; } td.n, th.n { text-align: right; } td.n { white-space: nowrap; }
p.tone { padding: 8px 12px; border-left: 4px solid; border-radius: 4px; }
.figure { break-inside: avoid; margin: 12px 0; }
.figure.half { display: inline-block; width: 49%; vertical-align: top; }
@media print { section { break-before: page; } body { max-width: none; padding: 0; } tr { break-inside: avoid; } }
""".replace("BLUE", BLUE) + "".join(f"p.{tone} {{ background: {fill}; border-color: {edge}; }}\n"
                                   for tone, (fill, edge) in TONES.items())


def _table(block: Table) -> str:
    numeric = set(block.numeric)
    head = "".join(f'<th{" class=n" if column in numeric else ""}>{escape(str(column))}</th>'
                   for column in block.frame.columns)
    rows = "".join("<tr>" + "".join(f'<td{" class=n" if column in numeric else ""}>{escape(str(value))}</td>'
                                    for column, value in zip(block.frame.columns, row)) + "</tr>"
                   for row in block.frame.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _block(block) -> str:
    if isinstance(block, Text):
        tone = f' class="tone {block.tone}"' if block.tone else ""
        return f"<p{tone}>{escape(block.text)}</p>"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Figure):
        # The app's charts keep thin margins for Streamlit, which grows them to fit the axis labels; alone, Plotly
        # must be asked to.
        shown = go.Figure(block.figure).update_xaxes(automargin=True).update_yaxes(automargin=True)
        figure = pio.to_html(shown, full_html=False, include_plotlyjs=False,
                             config={"displaylogo": False, "responsive": True})
        return f'<div class="figure{" half" if block.half else ""}">{figure}</div>'
    raise TypeError(type(block).__name__)


def render(review: Review) -> str:
    cover = "".join(f"<dt>{escape(what)}</dt><dd>{escape(value)}</dd>" for what, value in review.cover)
    sections = "".join(f"<section><h2>{escape(section.title)}</h2>{''.join(map(_block, section.blocks))}</section>"
                       for section in review.sections)
    return (f'<!DOCTYPE html><html lang="{review.lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(review.title)}</title><style>{STYLE}</style>"
            f'<script type="text/javascript">{get_plotlyjs()}</script></head><body>'
            f'<header><h1>{escape(review.title)}</h1><dl class="cover">{cover}</dl></header>{sections}'
            "</body></html>")
