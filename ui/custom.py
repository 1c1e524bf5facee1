"""The custom KPI builder: every choice checked against the schemas and the data as it is made."""

from __future__ import annotations

import streamlit as st

from kpi_core import catalog, custom
from kpi_core.analysis import Analysis
from kpi_core.catalog import Structured
from kpi_core.formatting import escape_markdown, escaped
from kpi_core.i18n import t
from kpi_core.schemas import DATASETS
from ui import state

FILTERS = 3


def _label(name: str, lang: str) -> str:
    return t(f"field.{name}", lang)


def _condition(analysis: Analysis, dataset: str, number: int, lang: str) -> custom.Condition | None:
    choices = custom.filtered_fields(analysis.session, dataset)
    key = f"custom_{dataset}_f{number}"  # per dataset: another dataset's column is never left selected
    name_column, operator_column, values_column = st.columns(3)
    name = name_column.selectbox(t("custom.filter", lang, number=number), [None, *choices], key=key,
                                 format_func=lambda n: t("custom.no_filter", lang) if n is None else _label(n, lang))
    if name is None:
        return None
    operator = operator_column.selectbox(t("custom.operator", lang), custom.operators(dataset, name),
                                         key=f"{key}_op", format_func=lambda o: t(f"custom.operator.{o}", lang))
    if operator in ("in", "not_in"):
        values = values_column.multiselect(t("custom.values", lang),
                                           custom.value_choices(analysis.session, dataset, name), key=f"{key}_values")
    elif operator in ("at_least", "at_most"):
        values = [values_column.number_input(t("custom.values", lang), value=0.0, key=f"{key}_number")]
    else:
        values = []
    return custom.Condition(name, operator, tuple(values))


def builder(analysis: Analysis, lang: str) -> None:
    """Name, data, calculation, filters, denominator and format; the KPI is saved with the mapping."""
    datasets = [d for d in DATASETS if analysis.session.has(d)]
    with st.expander(t("custom.new", lang), expanded=not analysis.custom_ids, icon=":material/add_chart:"):
        name = st.text_input(t("custom.name", lang), key="custom_name", max_chars=60)
        description = st.text_input(t("custom.description", lang), key="custom_description", max_chars=200)
        data_column, aggregation_column, field_column = st.columns(3)
        dataset = data_column.selectbox(t("custom.dataset", lang), datasets, key="custom_dataset",
                                        format_func=lambda d: t(f"dataset.{d}", lang))
        aggregation = aggregation_column.selectbox(t("custom.aggregation", lang), list(custom.AGGREGATIONS),
                                                   key="custom_aggregation",
                                                   format_func=lambda a: t(f"custom.aggregation.{a}", lang))
        columns = custom.aggregated_fields(analysis.session, dataset, aggregation)
        field = field_column.selectbox(t("custom.field", lang), columns, key=f"custom_field_{dataset}_{aggregation}",
                                       format_func=lambda n: _label(n, lang)) if columns else None
        conditions = [c for n in range(1, FILTERS + 1) if (c := _condition(analysis, dataset, n, lang))]
        denominators = [k.id for k in catalog.CATALOG if not isinstance(k, Structured) and analysis.available(k.id)
                        and k.datasets]
        denominator_column, unit_column, direction_column = st.columns(3)
        denominator = denominator_column.selectbox(
            t("custom.denominator", lang), [None, *denominators], key="custom_denominator",
            format_func=lambda k: t("custom.no_filter", lang) if k is None else catalog.get(k).label[lang])
        # Keyed by what decides the default, so the default follows those choices until the user picks one.
        unit = unit_column.selectbox(t("custom.unit", lang), custom.UNITS,
                                     key=f"custom_unit_{denominator is not None}_{aggregation}",
                                     index=2 if denominator else (1 if aggregation in ("sum", "avg") else 0),
                                     format_func=lambda u: t(f"unit.{u}", lang))
        higher = direction_column.toggle(t("custom.higher_is_better", lang), value=True, key="custom_higher")
        definition = custom.CustomKpi(name, dataset, aggregation, field, tuple(conditions), denominator, unit,
                                      higher, description)
        problems = definition.problems(taken=analysis.custom)
        for key, params in problems if name.strip() else []:
            st.caption(f":orange[{t(key, lang, **escaped(params))}]")
        st.button(t("custom.create", lang), type="primary", disabled=bool(problems), key="custom_create",
                  on_click=_create, args=(definition, lang))


def _create(definition: custom.CustomKpi, lang: str) -> None:
    """Save the KPI with the mapping and empty the name, ready for the next one (a callback runs before the
    rerun, while the widgets can still be reset)."""
    state.saved_mapping().custom_kpis.append(definition.to_dict())
    state.flash("success", t("custom.created", lang, name=escape_markdown(definition.name)))
    st.session_state["custom_name"] = st.session_state["custom_description"] = ""


def definition(analysis: Analysis, kpi_id: str, lang: str) -> None:
    """How a custom KPI is computed (its SQL, values bound apart), and the button that deletes it."""
    kpi = analysis.kpi(kpi_id)
    aggregate = analysis.kpi(kpi.numerator) if isinstance(kpi, catalog.Ratio) else kpi
    with st.expander(t("custom.sql", lang) + f" — {kpi.markdown_label(lang)}"):
        st.code(aggregate.expression + ("" if aggregate is kpi else f"\n/ {kpi.denominator}"), language="sql")
        if aggregate.params:
            st.json(dict(aggregate.params))
        if st.button(t("custom.delete", lang, name=kpi.markdown_label(lang)), key=f"delete_{kpi_id}"):
            mapping = state.saved_mapping()
            mapping.custom_kpis = [c for c in mapping.custom_kpis if custom.CustomKpi.from_dict(c).id != kpi_id]
            st.rerun()
