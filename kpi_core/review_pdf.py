"""The review as A4 pages (fpdf2, pure Python): a cover, each section on its own page, the charts drawn for paper,
tables with their headers repeated across page breaks, page numbers."""

from __future__ import annotations

import io
from itertools import groupby
from pathlib import Path

import matplotlib
from fpdf import FPDF
from fpdf.fonts import FontFace
from PIL import Image

from kpi_core import charts, paper, review
from kpi_core.i18n import t
from kpi_core.review import Figure, Review, Table, Text

# DejaVu Sans, shipped with matplotlib: every character the app writes (`€`, narrow no-break spaces, `→`, `≥`).
FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def _rgb(color: str) -> tuple[int, int, int]:
    """`#1f4e79` → (31, 78, 121), as fpdf2 takes colours."""
    return tuple(int(color[start:start + 2], 16) for start in (1, 3, 5))


BLUE, INK, MUTED = _rgb(charts.BLUE), (27, 27, 27), (82, 96, 109)
TONES = {tone: (_rgb(fill), _rgb(edge)) for tone, (fill, edge) in review.TONES.items()}
LINE = 5  # mm per line of body text
CELL_PADDING = 1  # mm
WRAPPING = 32  # mm: a column wider than this is long text, which may wrap


class _Pages(FPDF):
    def __init__(self, review: Review):
        super().__init__(format="A4")
        self.review = review
        self.add_font("sans", "", FONTS / "DejaVuSans.ttf")
        self.add_font("sans", "B", FONTS / "DejaVuSans-Bold.ttf")
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=18)
        self.set_title(review.title)
        self.set_lang(review.lang)
        self.set_creator("Boussole")

    def footer(self):
        self.set_y(-12)
        self.set_font("sans", size=8)
        self.set_text_color(*MUTED)
        self.cell(0, 6, f"{self.review.title} · " + t("review.page", self.review.lang, page=self.page_no(),
                                                        pages="{nb}"), align="C")


def _text(pdf: _Pages, block: Text) -> None:
    pdf.set_font("sans", size=9.5)
    pdf.set_text_color(*INK)
    if block.tone is None:
        pdf.multi_cell(0, LINE, block.text, align="L", new_x="LMARGIN", new_y="NEXT")
    else:
        fill, edge = TONES[block.tone]
        pdf.set_fill_color(*fill)
        pdf.set_draw_color(*edge)
        top = pdf.get_y()
        pdf.set_x(pdf.l_margin + 2)
        pdf.multi_cell(pdf.epw - 2, LINE, block.text, align="L", fill=True, padding=(1.5, 2, 1.5, 2), new_x="LMARGIN",
                       new_y="NEXT")
        if pdf.get_y() > top:  # the coloured edge, as on screen (skipped when the box moved to the next page)
            pdf.set_line_width(1)
            pdf.line(pdf.l_margin + 1, top, pdf.l_margin + 1, pdf.get_y())
    pdf.ln(1.5)


def _widths(pdf: _Pages, frame, size: float) -> list[float]:
    """Each column as wide as its longest cell and its header's longest word, so that figures and names never
    wrap; when that is wider than the page, only the columns of long text give way, and wrap."""
    needed = []
    for column in frame.columns:
        pdf.set_font("sans", "B", size)
        header = max((pdf.get_string_width(word) for word in str(column).split()), default=0)
        pdf.set_font("sans", "", size)
        cells = [pdf.get_string_width(str(value)) for value in frame[column]]
        needed.append(max([header, *cells]) + 2 * CELL_PADDING + 0.5)
    if sum(needed) <= pdf.epw:
        return [width * pdf.epw / sum(needed) for width in needed]
    fixed = sum(width for width in needed if width <= WRAPPING)
    wrapping = [width for width in needed if width > WRAPPING]
    room = max(pdf.epw - fixed, WRAPPING * len(wrapping))
    return [width if width <= WRAPPING else width * room / sum(wrapping) for width in needed]


def _table(pdf: _Pages, block: Table) -> None:
    frame = block.frame
    size = 8 if len(frame.columns) <= 6 else 7
    pdf.set_font("sans", size=size)
    pdf.set_text_color(*INK)
    pdf.set_draw_color(217, 226, 236)
    pdf.set_line_width(0.2)
    align = tuple("RIGHT" if column in block.numeric else "LEFT" for column in frame.columns)
    heading = FontFace(emphasis="BOLD", fill_color=(240, 244, 248), color=INK)
    widths = _widths(pdf, frame, size)
    with pdf.table(col_widths=widths, width=min(sum(widths), pdf.epw), text_align=align, headings_style=heading,
                   line_height=size * 0.5, borders_layout="HORIZONTAL_LINES", padding=CELL_PADDING,
                   repeat_headings=1) as table:
        table.row([str(column) for column in frame.columns])
        for values in frame.itertuples(index=False):
            table.row([str(value) for value in values])
    pdf.ln(2)


def _figures(pdf: _Pages, blocks: list[Figure]) -> None:
    """Small multiples two to a row, other charts alone."""
    columns = 2 if len(blocks) > 1 and all(block.half for block in blocks) else 1
    figures = [block.figure for block in blocks]
    for start in range(0, len(figures), columns):
        image = paper.png(figures[start:start + columns], columns=columns)
        width, height = Image.open(io.BytesIO(image)).size
        if pdf.get_y() + pdf.epw * height / width > pdf.page_break_trigger:
            pdf.add_page()
        pdf.image(io.BytesIO(image), x=pdf.l_margin, w=pdf.epw)
        pdf.ln(2)


DRAW = {Text: _text, Table: _table}


def render(review: Review) -> bytes:
    pdf = _Pages(review)
    pdf.add_page()
    pdf.set_font("sans", "B", 20)
    pdf.set_text_color(*BLUE)
    pdf.multi_cell(0, 10, review.title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for what, value in review.cover:
        pdf.set_font("sans", size=9.5)
        pdf.set_text_color(*MUTED)
        pdf.cell(45, 6, what)
        pdf.set_font("sans", "B", 9.5)
        pdf.set_text_color(*INK)
        pdf.multi_cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for index, section in enumerate(review.sections):
        if index:  # the first section follows the cover on its page
            pdf.add_page()
        pdf.set_font("sans", "B", 14)
        pdf.set_text_color(*BLUE)
        pdf.multi_cell(0, 8, section.title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_draw_color(*BLUE)
        pdf.set_line_width(0.5)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.epw, pdf.get_y())
        pdf.ln(3)
        for kind, blocks in groupby(section.blocks, type):
            if kind is Figure:
                _figures(pdf, list(blocks))
            else:
                for block in blocks:
                    DRAW[kind](pdf, block)
    return bytes(pdf.output())
