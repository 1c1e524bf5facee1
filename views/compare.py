"""Segments & regions: group A against group B on every KPI, with intervals and an honest verdict."""

import streamlit as st

from kpi_core.comparison import compare, comparison_table, verdict_text
from kpi_core.engine import Grouping
from kpi_core.formatting import period_label
from kpi_core.i18n import t
from ui import layout, state

lang = state.lang()
layout.require(("orders",), lang)
analysis = state.analysis()
session = analysis.session
st.title(t("compare.title", lang, period=period_label(analysis.period, lang)))
st.caption(t("compare.intro", lang))

dimensions = list(dict.fromkeys(d for dataset in ("orders", "deals") for d in session.dimensions(dataset)))
if not dimensions:
    st.info(t("compare.no_dimension", lang))
    st.stop()
left, middle, right = st.columns(3)
dimension = left.selectbox(t("compare.dimension", lang), dimensions, key="compare_by",
                           format_func=lambda d: t(f"dimension.{d}", lang))
values = sorted({v for dataset in ("orders", "deals") for v in session.dimension_values(dataset, dimension)})
group_a = middle.multiselect(t("compare.group_a", lang), values, default=values[:1] if "Paris" not in values
                             else ["Paris"], key=f"compare_a_{dimension}")
mode = right.segmented_control(t("compare.group_b", lang), ["rest", "chosen"], default="rest", required=True,
                               key="compare_b_mode", format_func=lambda m: t(f"compare.{m}", lang))
group_b = None
if mode == "chosen":
    group_b = tuple(right.multiselect(t("compare.group_b_values", lang), [v for v in values if v not in group_a],
                                      key=f"compare_b_{dimension}"))
if not group_a:
    st.info(t("compare.pick_a", lang))
    st.stop()

results = compare(analysis, Grouping(dimension, tuple(group_a), group_b))
a_label = ", ".join(group_a)
b_label = ", ".join(group_b) if group_b else t("compare.others", lang)
for result in results:
    if result.tested:
        box = st.success if result.significant else st.info
        box(verdict_text(result, lang, a_label, b_label))
st.dataframe(comparison_table(results, lang), hide_index=True)
