"""The sidebar's monthly report: prepared on request for the view shown, then downloaded as HTML or PDF."""

from __future__ import annotations

import streamlit as st

from kpi_core import review, review_html
from kpi_core.i18n import t
from ui import state

KEY = "review_document"


def _view(lang: str) -> tuple:
    """What a prepared report depends on: the data (the database itself, compared by identity: an id could be
    reused by the next files' database), the period, the filters and the language."""
    selection = state.selection()
    return (state.session(), selection.granularity, state.period_key(), st.session_state.get("shown_period"),
            tuple(sorted(selection.filters.items())), selection.retention_periods, lang)


def _prepare(lang: str) -> None:
    with st.spinner(t("review.preparing", lang)):
        st.session_state[KEY] = (_view(lang), review.build(state.analysis(), state.data_name(lang), lang))


def _pdf(document: review.Review) -> bytes:
    from kpi_core import review_pdf  # matplotlib and fpdf2 load on the first PDF, not with the app

    return review_pdf.render(document)


def controls(lang: str) -> None:
    """"Rapport mensuel" builds the review of the view (seconds, so only on request); its HTML and PDF are then
    offered, each written when clicked. A report of another view is never offered."""
    st.button(t("review.button", lang), key="review_prepare", icon=":material/summarize:", help=t(
        "review.button_help", lang), on_click=_prepare, args=(lang,), width="stretch")
    prepared = st.session_state.get(KEY)
    if prepared is None or prepared[0] != _view(lang):
        return
    document = prepared[1]
    html_column, pdf_column = st.columns(2)
    # Built on click from the document alone (no database): a callable runs outside the script.
    html_column.download_button(t("review.html", lang), lambda: review_html.render(document).encode("utf-8"),
                                f"{document.name}.html", "text/html", key="review_html",
                                icon=":material/download:", width="stretch")
    pdf_column.download_button(t("review.pdf", lang), lambda: _pdf(document), f"{document.name}.pdf",
                               "application/pdf", key="review_pdf", icon=":material/download:", width="stretch")
