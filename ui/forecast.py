"""The end-of-period forecast, the deals that weigh most, and its backtest."""

from __future__ import annotations

import streamlit as st

from kpi_core import forecast
from kpi_core.analysis import Analysis
from kpi_core.diagnostics import reason_text
from kpi_core.export import displayed
from kpi_core.formatting import format_table, format_value, period_label
from kpi_core.i18n import t
from ui import downloads, tables


def _money(value: float, lang: str) -> str:
    return format_value(value, "currency", lang, decimals=0)


def section(analysis: Analysis, lang: str) -> None:
    """The forecast with its parts, the target it is set against and the deals that weigh most; then how the
    same forecast did on the last closed periods."""
    st.subheader(t("forecast.title", lang))
    result = analysis.forecast_result()
    made = analysis.forecast
    if made is None:
        st.info(t("forecast.closed", lang) if result.reason == "reason.period_closed"
                else f"— {reason_text(result, lang, markdown=True)}")
    else:
        st.markdown(t("forecast.sentence", lang, history=made.history, period=period_label(made.period, lang),
                      expected=_money(made.expected, lang), low=_money(made.low, lang),
                      high=_money(made.high, lang)))
        if result.target:
            st.markdown(t("forecast.versus_target", lang, target=_money(result.target, lang),
                          share=format_value(made.expected / result.target, "percent", lang),
                          chance=format_value(made.chance(result.target), "percent", lang, decimals=0)))
        for column, key, value in zip(st.columns(3), ("booked", "pipeline", "other"),
                                      (made.booked, made.pipeline, made.other)):
            column.metric(t(f"forecast.{key}", lang), _money(value, lang), border=True)
        _deals(made, analysis, lang)
        st.caption(t("forecast.method", lang, history=made.history, prior=forecast.PRIOR_DEALS,
                     draws=format_value(forecast.DRAWS, "count", lang),
                     cells=t("forecast.cells_staged" if made.staged else "forecast.cells_age", lang)))
    _backtest(analysis, lang)


def _deals(made: forecast.Forecast, analysis: Analysis, lang: str) -> None:
    st.markdown(f"**{t('forecast.deals', lang)}**")
    if made.deals.empty:
        st.info(t("forecast.no_deals", lang))
        return
    columns = {"deal_id": (t("column.deal", lang), None), "rep": (t("dimension.rep", lang), None),
               "stage": (t("column.stage", lang), None), "age_days": (t("forecast.age", lang), "count"),
               "amount": (t("column.amount", lang), "currency", 0),
               "probability": (t("forecast.probability", lang), "percent"),
               "expected": (t("forecast.expected", lang), "currency", 0)}
    top = made.deals.head(forecast.TOP_DEALS)
    tables.show(format_table(top, columns, lang))
    downloads.buttons(displayed(made.deals, columns), f"forecast_deals_{analysis.period.key}", lang,
                      "forecast_deals_download")


def _backtest(analysis: Analysis, lang: str) -> None:
    st.markdown(f"**{t('backtest.title', lang)}**")
    table = analysis.backtest()
    if table.empty:
        st.info(t("backtest.none", lang))
        return
    st.caption(t("backtest.intro", lang))
    shown = table.assign(
        period=[period_label(p, lang) for p in table["period"]],
        interval=[f"{_money(low, lang)} – {_money(high, lang)}" for low, high in zip(table["low"], table["high"])],
        inside=[t("backtest.yes" if inside else "backtest.no", lang) for inside in table["inside"]])
    columns = {"period": (t("column.period", lang), None), "cut": (t("backtest.made_on", lang), "date"),
               "forecast": (t("backtest.forecast", lang), "currency", 0),
               "interval": (t("backtest.interval", lang), None), "actual": (t("backtest.actual", lang), "currency", 0),
               "error": (t("backtest.error", lang), "percent"), "naive": (t("backtest.naive", lang), "currency", 0),
               "naive_error": (t("backtest.naive_error", lang), "percent"),
               "inside": (t("backtest.inside", lang), None)}
    tables.show(format_table(shown, columns, lang))
    accuracy = forecast.accuracy(table)
    st.markdown(t("backtest.summary", lang, error=format_value(accuracy.error, "percent", lang),
                  naive=format_value(accuracy.naive_error, "percent", lang), inside=accuracy.inside,
                  count=accuracy.count))
    exported = {k: v for k, v in columns.items() if k != "interval"} | {
        "low": (t("backtest.low", lang), "currency", 0), "high": (t("backtest.high", lang), "currency", 0)}
    downloads.buttons(displayed(table.assign(inside=shown["inside"]), exported), f"backtest_{analysis.period.key}",
                      lang, "backtest_download")
