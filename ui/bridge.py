"""A bridge section: what moved revenue, or sales velocity, between two periods."""

from __future__ import annotations

import streamlit as st

from kpi_core import bridge, catalog, charts
from kpi_core.analysis import Analysis
from kpi_core.export import displayed
from kpi_core.formatting import format_table, period_label
from kpi_core.i18n import t
from ui import downloads, tables

AGAINST = ("previous", "last_year")


def section(analysis: Analysis, lang: str, identity: bridge.Identity = bridge.REVENUE) -> None:
    """Against the previous period or the same one last year (to date alike): the drivers' waterfall, the
    origins' when the identity has some, and the table."""
    texts = identity.texts
    st.subheader(t(f"{texts}.title", lang))
    against = st.segmented_control(t("bridge.against", lang), AGAINST, default="previous", required=True,
                                   key=f"{texts}_against", format_func=lambda a: t(f"bridge.{a}", lang))
    results = analysis.scorecard(list(identity.kpis))
    current = {k: r.value for k, r in results.items()}
    earlier = {k: getattr(r, against) for k, r in results.items()}
    found = bridge.bridge(identity, earlier, current)
    if found is None:
        st.info(t(f"{texts}.none", lang))
        return
    window = analysis.windows.current
    start = period_label(getattr(analysis.windows, against).period, lang, short=True)
    end = period_label(window.period, lang, short=True)
    if window.partial:
        start, end = (t("bridge.to_date", lang, period=label) for label in (start, end))
    sentence = found.sentence(lang)
    if sentence:
        st.markdown(sentence)
    left, right = st.columns(2)
    with left:
        if found.drivers is None:
            st.info(t(f"{texts}.broken" if found.broken else f"{texts}.no_drivers", lang))
        else:
            steps = [(catalog.get(k).label[lang], v) for k, v in found.drivers.items()]
            st.plotly_chart(charts.waterfall((start, found.before), steps, (end, found.after), lang,
                                             title=t(f"{texts}.by_driver", lang)), key=f"{texts}_drivers")
    if found.origins:
        steps = [(catalog.get(k).label[lang], v) for k, v in found.origins.items()]
        right.plotly_chart(charts.waterfall((start, found.before), steps, (end, found.after), lang,
                                            title=t(f"{texts}.by_origin", lang)), key=f"{texts}_origins")
    columns = {"kpi": (t("bridge.kpi", lang), None), "before": (start, None), "after": (end, None),
               "change": (t("bridge.change", lang), None), "effect": (t(f"{texts}.effect", lang), None)}
    tables.show(format_table(found.table(lang), columns, lang))
    downloads.buttons(displayed(found.rows(lang), columns),
                      f"{texts}_{against}_{window.period.key}", lang, f"{texts}_download")
    st.caption(t(f"{texts}.method", lang))
