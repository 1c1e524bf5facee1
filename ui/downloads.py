"""CSV and Excel downloads of a table's values (numbers stay numbers, formula cells are neutralised)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from kpi_core.export import csv_bytes, excel_bytes, file_name, scorecard
from kpi_core.i18n import t
from ui import state


def buttons(frame: pd.DataFrame | Callable[[], pd.DataFrame], name: str, lang: str, key: str, *,
            labels: tuple[str, str] | None = None, filtered: bool = True) -> None:
    """Two buttons, CSV then Excel, for `frame` (or what a callable returns, built only on click) saved as
    `name.csv` / `name.xlsx` (a `filtered` table with the active filters in its name)."""
    table = frame if callable(frame) else lambda: frame
    name = file_name(name, state.selection().filters if filtered else {})
    csv_label, excel_label = labels or (t("download.csv", lang), t("download.xlsx", lang))
    csv_column, excel_column, _ = st.columns([1, 1, 3] if labels else [1, 1, 6])
    # Built on click, not on every rerun: 100 000 rejected rows take seconds to write (a callable runs outside the
    # script, so it only closes over plain values).
    csv_column.download_button(csv_label, lambda: csv_bytes(table(), lang), f"{name}.csv", "text/csv",
                               key=f"{key}_csv", icon=":material/download:")
    excel_column.download_button(excel_label, lambda: excel_bytes(table(), name), f"{name}.xlsx", key=f"{key}_xlsx",
                                 icon=":material/download:")


def cards(results, name: str, lang: str, key: str) -> None:
    """The cards just drawn (KpiResults) as a table to download: values, comparisons and their reading."""
    buttons(scorecard(list(results), lang), name, lang, key)
