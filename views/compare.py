"""Segments & regions: group A against group B on every KPI, with intervals and an honest verdict, and at equal
mix; the ranking of every value, and the map of France when the values are French places."""

import streamlit as st

from kpi_core import catalog, charts, geography
from kpi_core.comparison import (
    COMPARED,
    DATASETS,
    compare,
    comparison_table,
    dimensions,
    ranking_groups,
    values,
    verdict_text,
)
from kpi_core.formatting import escape_markdown
from kpi_core.i18n import t
from kpi_core.ranking import exported, funnel_limits, ranking, sentences
from kpi_core.stats import SMALL_GROUP
from ui import clicks, downloads, layout, state, tables
from ui import compare as choices

lang = state.lang()
layout.require(DATASETS, lang, any_of=True)  # regions compare on orders, on deals, or both
analysis = state.analysis()
layout.period_title("compare.title", analysis, lang, DATASETS, partial_note="compare.partial")
st.caption(t("compare.intro", lang))

if not dimensions(analysis.session):
    st.info(t("compare.no_dimension", lang))
    st.stop()
chosen = choices.choices(analysis.session, lang)
if chosen is None:
    st.info(t("compare.pick_a", lang))
    st.stop()
grouping, a_label, b_label = chosen

results = compare(analysis, grouping)
for result in results:
    if result.tested:
        box = st.success if result.significant else st.info
        box(verdict_text(result, lang, a_label, b_label))
tables.show(comparison_table(results, lang))
downloads.buttons(comparison_table(results, lang), f"compare_{grouping.dimension}_{analysis.period.key}", lang,
                  "compare_download")
choices.mix_section(analysis, grouping, results, lang, a_label, b_label)

st.subheader(t("compare.rank.title", lang))
available = [kpi_id for kpi_id in COMPARED if analysis.available(kpi_id)]
kpi = catalog.get(choices.rank_kpi(available, lang, {k: catalog.get(k).label[lang] for k in available}))
by, members = ranking_groups(analysis.session, grouping.dimension)
ranked = ranking(analysis, by, kpi.id)
if ranked.empty:
    st.info(t("compare.rank.empty", lang, kpi=kpi.label[lang], dimension=t(f"dimension.{grouping.dimension}", lang)))
    st.stop()
painted, _ = geography.areas(ranked["value"]) if grouping.dimension == "region" else ({}, [])
view = st.segmented_control(t("compare.rank.view", lang), ("bars", "funnel"), default="bars", required=True,
                            key="compare_view", format_func=lambda v: t(f"compare.rank.{v}", lang))
left, right = st.columns(2) if painted else (st.container(), None)
limits = funnel_limits(analysis, by, kpi.id) if view == "funnel" else None
figures = {}
if view == "bars":
    figures["compare_ranking"] = (left, charts.ranking(ranked, kpi, grouping.dimension, lang))
elif limits is not None:
    figures["compare_funnel"] = (left, charts.funnel_plot(ranked, kpi, grouping.dimension, limits, lang))
else:
    left.info(t("compare.funnel.none", lang))
if painted:
    figures["compare_map"] = (right, charts.france_map(ranked, painted, kpi, lang))
for chart, (column, figure) in figures.items():
    column.plotly_chart(figure, key=chart, on_select=clicks.to_group_a(chart, grouping.dimension, members),
                        selection_mode="points")
if painted:
    unplaced = geography.areas(values(analysis.session, grouping.dimension))[1]
    if members:
        right.caption(t("map.grouped", lang))
    if unplaced:
        right.caption(t("map.unplaced", lang, names=", ".join(map(escape_markdown, unplaced))))
said = sentences(ranked, lang)
if said:
    st.markdown(said[0])
downloads.buttons(exported(ranked, kpi, grouping.dimension, lang),
                  f"compare_ranking_{kpi.id}_{analysis.period.key}", lang, "compare_ranking_download")
if limits is not None:
    st.caption(f'{t("compare.funnel.caption", lang)} {t("compare.rank.click", lang)}')
else:
    st.caption(" ".join([*said[1:], t("compare.rank.caption", lang, small=SMALL_GROUP), t("compare.rank.click", lang)]))
if ranked["small"].any():
    small = ranked.loc[ranked["small"], "value"]
    st.warning(t("compare.rank.small", lang, names=", ".join(map(escape_markdown, small))), icon=":material/warning:")
