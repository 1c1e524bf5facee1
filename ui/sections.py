"""Page sections drawn from catalog ids alone: a row of KPI cards with their sparklines, trend charts, and the
KPIs by a dimension (chart, table and a click that filters)."""

from __future__ import annotations

import streamlit as st

from kpi_core import catalog, charts
from kpi_core.analysis import Analysis
from kpi_core.export import displayed
from kpi_core.families import Family
from kpi_core.formatting import format_table
from kpi_core.i18n import t
from ui import clicks, downloads, layout, state, tables
from ui.cards import kpi_card


def _available(analysis: Analysis, kpi_ids: list[str]) -> list[str]:
    return [kpi_id for kpi_id in kpi_ids if analysis.available(kpi_id)]


def heading(kpi_id: str, lang: str, container=st) -> None:
    """A KPI shown as a table or a chart: its name as a subheader, its definition behind the help icon."""
    kpi = catalog.get(kpi_id)
    container.subheader(kpi.label[lang], help=kpi.definition[lang])


def cards(analysis: Analysis, kpi_ids: list[str], lang: str, key: str, *, per_row: int = 4, trend=None,
          also: tuple[str, ...] = ()) -> dict:
    """One card per available KPI, `per_row` to a row, with its sparkline (from `trend` when the page already
    has the table), and the cards as a table to download; the results, for diagnostics, with those of the `also`
    KPIs the page needs beside the cards (computed in the same query)."""
    shown = _available(analysis, kpi_ids)
    results = analysis.scorecard(list(dict.fromkeys([*shown, *also])))
    trend = analysis.trend(shown) if trend is None else trend
    for start in range(0, len(shown), per_row):
        for column, kpi_id in zip(st.columns(per_row), shown[start:start + per_row]):
            with column:
                kpi_card(results[kpi_id], lang, sparkline=trend[kpi_id].tolist())
    downloads.cards([results[kpi_id] for kpi_id in shown], f"{key}_{analysis.period.key}_kpis", lang, f"{key}_cards")
    return results


def trends(analysis: Analysis, kpi_ids: list[str], lang: str, key: str, *, table=None,
           exported: list[str] | None = None) -> None:
    """The last periods of each KPI, side by side; the `exported` KPIs' 12 periods (all shown by default) to
    download."""
    shown = _available(analysis, kpi_ids)
    table = analysis.trend(shown) if table is None else table
    for column, kpi_id in zip(st.columns(len(shown) or 1), shown):
        kpi = analysis.kpi(kpi_id)
        column.plotly_chart(charts.trend(table, kpi, lang, bars=kpi.unit in ("count", "currency")),
                            key=f"{key}_{kpi_id}_trend")
    columns = {"period": (t("column.period", lang), None)} | catalog.table_columns(
        _available(analysis, exported or shown), lang, analysis.custom)
    downloads.buttons(displayed(table, columns), f"{key}_{analysis.period.key}_trend", lang, f"{key}_trend_download")


def by_dimension(analysis: Analysis, kpi_ids: list[str], lang: str, key: str, *, chart_kpi: str | None = None,
                 default: str | None = None) -> None:
    """The KPIs for each value of a dimension the user picks: a bar chart of `chart_kpi` and the table."""
    shown = _available(analysis, kpi_ids)
    dimensions = analysis.dimensions(chart_kpi or shown[0]) if shown else ()
    if not dimensions:
        return
    dimension = st.segmented_control(t("section.by", lang), dimensions, key=f"{key}_by", required=True,
                                     default=default if default in dimensions else dimensions[0],
                                     format_func=lambda d: t(f"dimension.{d}", lang))
    table = analysis.breakdown(shown, dimension)
    if chart_kpi:
        chart = f"{key}_breakdown"
        st.plotly_chart(charts.breakdown(table, dimension, analysis.kpi(chart_kpi), lang), key=chart,
                        on_select=clicks.to_filter(chart, dimension), selection_mode="points")
    columns = {dimension: (t(f"dimension.{dimension}", lang), None)} | catalog.table_columns(
        shown, lang, analysis.custom)
    tables.show(format_table(table, columns, lang))
    downloads.buttons(displayed(table, columns),
                      f"{key}_{dimension}_{analysis.period.key}", lang, f"{key}_by_download")


def opening(name: str, datasets: tuple[str, ...], kpi_ids=()) -> tuple[Analysis, str]:
    """The page's data check, title with its period and filters (read against the datasets of the KPIs it shows)
    and intro (`{name}.title`, `{name}.intro`)."""
    lang = state.lang()
    layout.require(datasets, lang)
    analysis = state.analysis()
    shown = tuple(dict.fromkeys(d for kpi_id in kpi_ids for d in analysis.kpi(kpi_id).datasets)) or datasets
    layout.period_title(f"{name}.title", analysis, lang, shown)
    st.caption(t(f"{name}.intro", lang))
    return analysis, lang


def kpi_page(family: Family, *, after_cards=None) -> tuple[Analysis, dict]:
    """A page made of a family's KPIs: opening, cards, `after_cards(analysis, lang)` when given, trends and, with
    a chart KPI, the KPIs by rep (or any dimension). Returns the analysis and the cards' results."""
    name, kpi_ids, trend_ids, chart_kpi = family.name, list(family.cards), list(family.trends), family.chart
    analysis, lang = opening(name, family.datasets, [*kpi_ids, *trend_ids])
    trend = analysis.trend(_available(analysis, list(dict.fromkeys([*kpi_ids, *trend_ids]))))  # one query for both
    results = cards(analysis, kpi_ids, lang, name, per_row=family.per_row, trend=trend)
    if after_cards:
        after_cards(analysis, lang)
    trends(analysis, trend_ids, lang, name, table=trend, exported=[*kpi_ids, *trend_ids])
    if chart_kpi:
        by_dimension(analysis, kpi_ids, lang, name, chart_kpi=chart_kpi, default="rep")
    return analysis, results
