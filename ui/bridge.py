"""The revenue bridge section: what moved revenue between two periods."""

from __future__ import annotations

import streamlit as st

from kpi_core import bridge, catalog, charts
from kpi_core.analysis import Analysis
from kpi_core.export import displayed
from kpi_core.formatting import format_table, period_label
from kpi_core.i18n import t
from ui import downloads, tables

AGAINST = ("previous", "last_year")


def section(analysis: Analysis, lang: str) -> None:
    """Against the previous period or the same one last year (to date alike): two waterfalls and the table."""
    st.subheader(t("bridge.title", lang))
    against = st.segmented_control(t("bridge.against", lang), AGAINST, default="previous", required=True,
                                   key="bridge_against", format_func=lambda a: t(f"bridge.{a}", lang))
    results = analysis.scorecard(list(bridge.KPIS))
    current = {k: r.value for k, r in results.items()}
    earlier = {k: getattr(r, against) for k, r in results.items()}
    found = bridge.revenue_bridge(earlier, current)
    if found is None:
        st.info(t("bridge.none", lang))
        return
    window = analysis.windows.current
    start = period_label(getattr(analysis.windows, against).period, lang, short=True)
    end = period_label(window.period, lang, short=True)
    if window.partial:
        start, end = (t("bridge.to_date", lang, period=label) for label in (start, end))
    left, right = st.columns(2)
    with left:
        if found.drivers is None:
            anonymous = "anonymous_revenue" in found.origins  # orders without a customer break the identity
            st.info(t("bridge.no_drivers_anonymous" if anonymous else "bridge.no_drivers", lang))
        else:
            steps = [(catalog.get(k).label[lang], v) for k, v in found.drivers.items()]
            st.plotly_chart(charts.waterfall((start, found.before), steps, (end, found.after), lang,
                                             title=t("bridge.by_driver", lang)), key="bridge_drivers")
    with right:
        steps = [(catalog.get(k).label[lang], v) for k, v in found.origins.items()]
        st.plotly_chart(charts.waterfall((start, found.before), steps, (end, found.after), lang,
                                         title=t("bridge.by_origin", lang)), key="bridge_origins")
    columns = {"kpi": (t("bridge.kpi", lang), None), "before": (start, None), "after": (end, None),
               "change": (t("bridge.change", lang), None), "effect": (t("bridge.effect", lang), None)}
    tables.show(format_table(found.table(lang), columns, lang))
    downloads.buttons(displayed(found.rows(lang), columns),
                      f"bridge_{against}_{window.period.key}", lang, "bridge_download")
    st.caption(t("bridge.method", lang))
