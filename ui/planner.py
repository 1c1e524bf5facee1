"""Targets' working days, the activity behind one sale, and the reverse planner."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from kpi_core import catalog, planning, workdays
from kpi_core.analysis import Analysis
from kpi_core.export import displayed
from kpi_core.formatting import format_table, format_value
from kpi_core.i18n import t
from ui import downloads, tables

RATE_MONTHS = (3, 6, 12)


def working_days(analysis: Analysis, lang: str) -> None:
    """Working days gone and left in the period, the holidays that cost one, and the switch to count them."""
    window, period = analysis.windows.current, analysis.period
    text = planning.working_days_sentence(window, lang)
    off = workdays.holidays_off(period.start, period.end, lang) if analysis.selection.exclude_holidays else []
    if off:
        text += " · " + t("targets.holidays", lang, days=", ".join(
            f"{format_value(day, 'date', lang)} ({name})" for day, name in off))
    st.caption(text)
    st.toggle(t("targets.exclude_holidays", lang), value=True, key="exclude_holidays")


def _rates_caption(rates: planning.Rates, lang: str) -> str:
    return t("plan.rates", lang, start=format_value(rates.start, "date", lang),
             end=format_value(rates.stop - timedelta(days=1), "date", lang),
             sales=format_value(rates.sales, "count", lang),
             deals=format_value(rates.reached[0][1] if rates.reached else 0, "count", lang))


def ratios(analysis: Analysis, lang: str, *, months: int = 6) -> None:
    """`1 sale = X calls = Y deals at each stage`, from the last `months` months."""
    st.subheader(t("plan.ratios", lang))
    rates = analysis.rates(months=months)
    sentence = planning.ratios_sentence(rates, lang, markdown=True)
    st.info(sentence or t("plan.no_sale", lang), icon=":material/conversion_path:")
    st.caption(_rates_caption(rates, lang))


def reverse_planner(analysis: Analysis, lang: str, *, remaining: float | None, working_days_left: int) -> None:
    """An amount (what is left to do by default) → the sales, deals at each stage and calls it takes."""
    st.subheader(t("plan.title", lang))
    st.caption(t("plan.intro", lang))
    baskets = [k for k in ("avg_won_deal", "avg_basket") if analysis.available(k)]
    amount_column, basket_column, months_column = st.columns(3)
    amount = amount_column.number_input(t("plan.amount", lang), min_value=0.0, step=1000.0, format="%.0f",
                                        value=float(remaining or 0), key=f"plan_amount_{analysis.period.key}")
    basket = basket_column.selectbox(t("plan.basket", lang), baskets, key="plan_basket",
                                     format_func=lambda k: catalog.get(k).label[lang])
    months = months_column.selectbox(t("plan.months", lang), RATE_MONTHS, index=1, key="plan_months",
                                     format_func=lambda m: t("plan.months_n", lang, months=m))
    if basket is None:
        st.info(t("plan.no_basket", lang))
        return
    rates = analysis.rates(months=months, basket=basket)
    table = planning.plan(amount, rates, lang, working_days_left=working_days_left)
    if table.empty:
        st.info(t("plan.nothing" if amount <= 0 else "plan.no_sale", lang))
        return
    columns = {"step": (t("plan.step", lang), None), "needed": (t("plan.needed", lang), "count"),
               "per_sale": (t("plan.per_sale", lang), "count", 1)}
    if working_days_left:
        columns["per_day"] = (t("plan.per_day", lang), "count", 1)
    tables.show(format_table(table, columns, lang))
    downloads.buttons(displayed(table, columns),
                      f"plan_{analysis.period.key}", lang, "plan_download")
    st.caption(_rates_caption(rates, lang) + " · " + t("plan.basket_used", lang, basket=format_value(
        rates.basket, "currency", lang, decimals=0)))
