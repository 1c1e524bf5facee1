"""The end-of-period forecast, the deals that weigh most, and its backtest."""

from __future__ import annotations

import streamlit as st

from kpi_core import forecast, forecast_text
from kpi_core.analysis import Analysis
from kpi_core.diagnostics import reason_text
from kpi_core.export import displayed
from kpi_core.formatting import format_table
from kpi_core.i18n import t
from ui import downloads, tables


def section(analysis: Analysis, lang: str) -> None:
    """The forecast with its parts, the target it is set against and the deals that weigh most; then how the
    same forecast did on the last closed periods."""
    st.subheader(t("forecast.title", lang))
    result, made = analysis.forecast_result(), analysis.forecast
    if made is None:
        st.info(t("forecast.closed", lang) if result.reason == "reason.period_closed"
                else f"— {reason_text(result, lang, markdown=True)}")
    else:
        for sentence in forecast_text.sentences(result, made, lang, markdown=True):
            st.markdown(sentence)
        for column, (label, amount) in zip(st.columns(3), forecast_text.parts(made, lang)):
            column.metric(label, amount, border=True)
        _deals(made, analysis, lang)
        st.caption(forecast_text.method(made, lang))
    _backtest(analysis, lang)


def _deals(made: forecast.Forecast, analysis: Analysis, lang: str) -> None:
    st.markdown(f"**{t('forecast.deals', lang)}**")
    if made.deals.empty:
        st.info(t("forecast.no_deals", lang))
        return
    columns = forecast_text.deal_columns(lang)
    tables.show(format_table(made.deals.head(forecast.TOP_DEALS), columns, lang))
    downloads.buttons(displayed(made.deals, columns), f"forecast_deals_{analysis.period.key}", lang,
                      "forecast_deals_download")


def _backtest(analysis: Analysis, lang: str) -> None:
    st.markdown(f"**{t('backtest.title', lang)}**")
    table = analysis.backtest()
    if table.empty:
        st.info(t("backtest.none", lang))
        return
    st.caption(t("backtest.intro", lang))
    tables.show(format_table(*forecast_text.backtest_shown(table, lang), lang))
    st.markdown(forecast_text.summary(table, lang))
    downloads.buttons(displayed(*forecast_text.backtest_exported(table, lang)), f"backtest_{analysis.period.key}",
                      lang, "backtest_download")
