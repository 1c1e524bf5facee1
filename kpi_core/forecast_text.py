"""The forecast and its backtest in words and tables, as the page and the report show them."""

from __future__ import annotations

import pandas as pd

from kpi_core import forecast
from kpi_core.analysis import KpiResult
from kpi_core.formatting import format_interval, format_value, period_label
from kpi_core.i18n import t


def _money(value: float, lang: str) -> str:
    return format_value(value, "currency", lang, decimals=0)


def sentences(result: KpiResult, made: forecast.Forecast, lang: str, *, markdown: bool = False) -> list[str]:
    """Where the period should end (in bold for Markdown), and against its target with the chance of reaching
    it."""
    expected = _money(made.expected, lang)
    said = [t("forecast.sentence", lang, history=made.history, period=period_label(made.period, lang),
              expected=f"**{expected}**" if markdown else expected, low=_money(made.low, lang),
              high=_money(made.high, lang))]
    if result.target:
        said.append(t("forecast.versus_target", lang, target=_money(result.target, lang),
                      share=format_value(made.expected / result.target, "percent", lang),
                      chance=format_value(made.chance(result.target), "percent", lang, decimals=0)))
    return said


def parts(made: forecast.Forecast, lang: str) -> list[tuple[str, str]]:
    """(label, amount) for what is booked, expected from open deals, expected from other orders."""
    return [(t(f"forecast.{key}", lang), _money(value, lang))
            for key, value in (("booked", made.booked), ("pipeline", made.pipeline), ("other", made.other))]


def method(made: forecast.Forecast, lang: str) -> str:
    return t("forecast.method", lang, history=made.history, prior=forecast.PRIOR_DEALS,
             draws=format_value(forecast.DRAWS, "count", lang),
             cells=t("forecast.cells_staged" if made.staged else "forecast.cells_age", lang))


def deal_columns(lang: str) -> dict[str, tuple]:
    return {"deal_id": (t("column.deal", lang), None), "rep": (t("dimension.rep", lang), None),
            "stage": (t("column.stage", lang), None), "age_days": (t("forecast.age", lang), "count"),
            "amount": (t("column.amount", lang), "currency", 0),
            "probability": (t("forecast.probability", lang), "percent"),
            "expected": (t("forecast.expected", lang), "currency", 0)}


def backtest_shown(table: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, dict[str, tuple]]:
    """The backtest with its periods named, its interval in one cell and yes/no, and the columns shown (the
    naive miss is said in the summary: the table stays readable)."""
    shown = table.assign(
        period=[period_label(p, lang) for p in table["period"]],
        interval=[format_interval(low, high, "currency", lang, decimals=0) for low, high in zip(table["low"],
                                                                                                table["high"])],
        inside=[t("backtest.yes" if inside else "backtest.no", lang) for inside in table["inside"]])
    columns = {"period": (t("column.period", lang), None), "cut": (t("backtest.made_on", lang), "date"),
               "forecast": (t("backtest.forecast", lang), "currency", 0),
               "interval": (t("backtest.interval", lang), None), "actual": (t("backtest.actual", lang), "currency", 0),
               "error": (t("backtest.error", lang), "percent"), "naive": (t("backtest.naive", lang), "currency", 0),
               "inside": (t("backtest.inside", lang), None)}
    return shown, columns


def backtest_exported(table: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, dict[str, tuple]]:
    """The backtest as downloaded: the interval's bounds and the naive miss in columns of their own."""
    shown, columns = backtest_shown(table, lang)
    exported = {k: v for k, v in columns.items() if k != "interval"} | {
        "naive_error": (t("backtest.naive_error", lang), "percent"),
        "low": (t("backtest.low", lang), "currency", 0), "high": (t("backtest.high", lang), "currency", 0)}
    return table.assign(inside=shown["inside"]), exported


def summary(table: pd.DataFrame, lang: str) -> str:
    accuracy = forecast.accuracy(table)
    return t("backtest.summary", lang, error=format_value(accuracy.error, "percent", lang),
             naive=format_value(accuracy.naive_error, "percent", lang), inside=accuracy.inside, count=accuracy.count)
