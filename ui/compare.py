"""The comparison's choices (dimension, group A, group B, KPI to rank), kept in the URL; the gaps at equal mix."""

from __future__ import annotations

import streamlit as st

from kpi_core import mix
from kpi_core.comparison import COMPARED, default_group, dimensions, values
from kpi_core.engine import Grouping
from kpi_core.formatting import escape_markdown
from kpi_core.i18n import t
from kpi_core.session import Session
from ui import downloads, tables


def _keep(key: str, allowed: list[str]) -> None:
    """A value from a URL or another dataset may not exist here: keep what does, before the widget is drawn."""
    if key in st.session_state:
        st.session_state[key] = [value for value in st.session_state[key] if value in allowed]


def choices(session: Session, lang: str) -> tuple[Grouping, str, str] | None:
    """The widgets for dimension, A and B; the grouping and its two labels, or None until A has a value."""
    options = dimensions(session)
    if st.session_state.get("compare_by") not in options:
        st.session_state["compare_by"] = options[0]
    left, middle, right = st.columns(3)
    dimension = left.selectbox(t("compare.dimension", lang), options, key="compare_by",
                               format_func=lambda d: t(f"dimension.{d}", lang))
    options_a = values(session, dimension)
    a_key, b_key = f"compare_a_{dimension}", f"compare_b_{dimension}"
    _keep(a_key, options_a)
    if a_key not in st.session_state:
        st.session_state[a_key] = default_group(options_a)
    group_a = middle.multiselect(t("compare.group_a", lang), options_a, key=a_key)
    st.session_state.setdefault("compare_b_mode", "rest")
    mode = right.segmented_control(t("compare.group_b", lang), ["rest", "chosen"], required=True,
                                   key="compare_b_mode", format_func=lambda m: t(f"compare.{m}", lang))
    group_b = None
    if mode == "chosen":
        others = [v for v in options_a if v not in group_a]
        _keep(b_key, others)
        group_b = tuple(right.multiselect(t("compare.group_b_values", lang), others, key=b_key))
    if not group_a:
        return None
    # The labels go into a Markdown sentence: the values are the user's, escaped.
    return (Grouping(dimension, tuple(group_a), group_b), ", ".join(map(escape_markdown, group_a)),
            ", ".join(map(escape_markdown, group_b)) if group_b else t("compare.others", lang))


def rank_kpi(available: list[str], lang: str, labels: dict[str, str]) -> str:
    """Which KPI the ranking and the map show."""
    if st.session_state.get("compare_rank") not in available:
        st.session_state["compare_rank"] = "avg_basket" if "avg_basket" in available else available[0]
    return st.selectbox(t("compare.rank.kpi", lang), available, key="compare_rank", format_func=labels.get)


def url_state() -> dict[str, list[str]]:
    """The comparison's choices as URL parameters (`by=region&a=Paris&rank=avg_basket`)."""
    dimension = st.session_state.get("compare_by")
    if not dimension:
        return {}
    wanted = {"by": [dimension], "a": list(st.session_state.get(f"compare_a_{dimension}", []))}
    if st.session_state.get("compare_b_mode") == "chosen":
        wanted["b"] = list(st.session_state.get(f"compare_b_{dimension}", []))
    if st.session_state.get("compare_rank"):
        wanted["rank"] = [st.session_state["compare_rank"]]
    return {key: chosen for key, chosen in wanted.items() if chosen}


def restore_url(params: dict[str, list[str]]) -> None:
    """URL parameters → the widgets' state (values are checked when drawn)."""
    dimension = (params.get("by") or [None])[0]
    if dimension:
        st.session_state["compare_by"] = dimension
        if chosen := params.get("a"):
            st.session_state[f"compare_a_{dimension}"] = list(chosen)
        if chosen := params.get("b"):
            st.session_state["compare_b_mode"] = "chosen"
            st.session_state[f"compare_b_{dimension}"] = list(chosen)
    if (rank := (params.get("rank") or [None])[0]) in COMPARED:
        st.session_state["compare_rank"] = rank


def mix_section(analysis, grouping, results, lang: str, a_label: str, b_label: str) -> None:
    """The basket gap's bootstrap interval and medians; the gaps at equal mix of a dimension the user picks, and
    a warning when the mix turns one over."""
    gap = mix.basket_gap(analysis, grouping) if analysis.available("avg_basket") else None
    if gap is not None:
        st.caption(mix.basket_sentence(gap, lang, a_label, b_label))
    offered = mix.strata(analysis, grouping)
    if not offered:
        return
    st.subheader(t("mix.title", lang))
    st.caption(t("mix.intro", lang, a=a_label, b=b_label))
    if st.session_state.get("mix_stratum") not in offered:
        st.session_state.pop("mix_stratum", None)
    stratum = st.selectbox(t("mix.stratum", lang), offered, key="mix_stratum",
                           format_func=lambda d: t(f"dimension.{d}", lang))
    adjusted = mix.adjust(analysis, grouping, stratum, results)
    if not adjusted:
        st.info(t("mix.none", lang))
        return
    warnings = [text for text in (mix.warning(result, lang, a_label, b_label) for result in adjusted) if text]
    for text in warnings:
        st.warning(text, icon=":material/warning:")
    if not warnings:
        st.success(t("mix.same", lang, stratum=t(f"dimension.{stratum}", lang).lower()))
    shown = mix.table(adjusted, lang)
    tables.show(shown)
    downloads.buttons(shown, f"compare_mix_{grouping.dimension}_{stratum}_{analysis.period.key}", lang,
                      "compare_mix_download")
    st.caption(t("mix.method", lang))
