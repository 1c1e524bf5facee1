"""The monthly sales review as a document: sections of sentences, tables and figures, already in the reader's
language — one HTML file (`review_html`) and A4 pages (`review_pdf`) are drawn from the same document, so the two
cannot say different things."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd
import plotly.graph_objects as go

from kpi_core import catalog, charts, diagnostics, forecast, forecast_text, geography, mix, revenue_retention
from kpi_core.analysis import AT_RISK_SPAN, Analysis
from kpi_core.comparison import (
    COMPARED,
    compare,
    comparison_table,
    default_group,
    ranking_groups,
    values,
    verdict_text,
)
from kpi_core.comparison import dimensions as comparable
from kpi_core.engine import Grouping
from kpi_core.export import file_name, scorecard
from kpi_core.families import CORE, OTHERS, Family
from kpi_core.formatting import (
    MISSING,
    Unit,
    filters_text,
    format_table,
    format_value,
    funnel_table,
    partial_note,
    period_label,
)
from kpi_core.i18n import t
from kpi_core.planning import working_days_sentence
from kpi_core.ranking import ranking, sentences
from kpi_core.stats import SMALL_GROUP

AT_RISK_SHOWN = 12  # customers listed in the report; the page lists them all
TRENDS = ("revenue", "avg_basket", "retention_rate")
# A diagnostic's box in both renderings, in the charts' colours: (background, edge) per tone.
TONES = {"problem": ("#fdecea", charts.RED), "warning": ("#fff4e5", charts.ORANGE), "info": ("#eaf2fb", charts.BLUE),
         "good": ("#e8f5e9", charts.GREEN)}


@dataclass(frozen=True)
class Text:
    text: str
    tone: str | None = None  # a diagnostic's severity (good, info, warning, problem), or plain text


@dataclass(frozen=True)
class Table:
    frame: pd.DataFrame  # every cell already written for the reader
    numeric: tuple[str, ...] = ()  # columns aligned right


@dataclass(frozen=True)
class Figure:
    figure: go.Figure
    half: bool = False  # a small multiple: two to a row


@dataclass(frozen=True)
class Section:
    title: str
    blocks: list = field(default_factory=list)


@dataclass(frozen=True)
class Review:
    lang: str
    title: str
    cover: list[tuple[str, str]]  # (what, value): data, period, filters, range, generation date
    sections: list[Section]
    name: str  # the file's name, without extension: `rapport_2026-08_region-Paris`


def _cards(results: dict, kpi_ids, lang: str) -> Table:
    frame = scorecard([results[kpi_id] for kpi_id in kpi_ids], lang, text=True)
    if not frame[t("export.note", lang)].str.strip().any():
        frame = frame.drop(columns=t("export.note", lang))
    figures = [t(key, lang) for key in ("export.value", "export.previous", "export.change", "export.last_year",
                                         "export.change_last_year")]
    return Table(frame, tuple(figures))


def _available(analysis: Analysis, kpi_ids) -> list[str]:
    return [kpi_id for kpi_id in kpi_ids if analysis.available(kpi_id)]


def _partial(analysis: Analysis, lang: str) -> list[Text]:
    note = partial_note(analysis.windows.current, lang)
    return [Text(note, "info")] if note else []


def _core(analysis: Analysis, lang: str) -> tuple[Section, Section | None, list[str]]:
    shown = _available(analysis, CORE)
    results = analysis.scorecard(shown)
    trend = analysis.trend(shown)
    found = diagnostics.diagnose(results, weakest=analysis.weakest_stage(), stage_count=len(analysis.session.stages),
                                 basket_trend=trend["avg_basket"].tolist() if "avg_basket" in trend else [])
    blocks = [Text(t("review.core_intro", lang)), *_partial(analysis, lang), _cards(results, shown, lang)]
    blocks += [Text(diagnostic.render(lang), diagnostic.severity) for diagnostic in found]
    section = Section(t("review.core", lang), blocks)
    figures = [Figure(charts.trend(trend, catalog.get(kpi_id), lang, bars=catalog.get(kpi_id).unit == Unit.CURRENCY))
               for kpi_id in TRENDS if kpi_id in shown and trend[kpi_id].notna().any()]
    trends = Section(t("review.trends", lang), [Text(t("review.trends_intro", lang)), *figures]) if figures else None
    return section, trends, shown


def _revenue_retention(analysis: Analysis, lang: str) -> tuple[Section | None, list[str]]:
    """NRR, GRR and the movements from base revenue to revenue kept; the KPIs shown."""
    shown = _available(analysis, revenue_retention.CARDS)
    if not shown:
        return None, []
    results = analysis.scorecard([*shown, *revenue_retention.KPIS])
    blocks = [Text(t("retention.revenue_intro", lang)), _cards(results, shown, lang)]
    figure = revenue_retention.waterfall(results, lang)
    return Section(t("retention.revenue", lang), blocks + ([Figure(figure)] if figure is not None else [])), shown


def _funnel(analysis: Analysis, lang: str) -> Section | None:
    if not analysis.session.has("deals"):
        return None
    funnel = analysis.funnel()
    if funnel.empty:
        return None
    frame = funnel_table(funnel, lang)
    blocks = [Figure(charts.funnel(funnel, lang)), Table(frame, tuple(frame.columns[1:])),
              Text(diagnostics.funnel_method(lang))]
    return Section(t("review.funnel", lang), blocks)


def _groups(analysis: Analysis) -> tuple[str, str] | None:
    """What the comparison page opens on, among the dimensions the view does not filter (under a filter on the
    regions, Paris against the rest would compare Paris with nothing): Paris against the other regions when there
    is a Paris, else the first value of the first dimension against the rest."""
    options = [d for d in comparable(analysis.session) if d not in analysis.selection.filters]
    if not options:
        return None
    dimension = "region" if "region" in options else options[0]
    names = values(analysis.session, dimension)
    return (dimension, default_group(names)[0]) if len(names) > 1 else None


def _compare(analysis: Analysis, lang: str) -> Section | None:
    chosen = _groups(analysis)
    if chosen is None:
        return None
    dimension, group_a = chosen
    rest = t("compare.others", lang)
    results = compare(analysis, Grouping(dimension, (group_a,), None))
    blocks = [Text(t("review.compare_intro", lang, a=group_a, dimension=t(f"dimension.{dimension}", lang).lower()))]
    blocks += [Text(verdict_text(result, lang, group_a, rest), "good" if result.significant else "info")
               for result in results if result.tested]
    frame = comparison_table(results, lang).rename(columns={t("compare.column.a", lang): group_a,
                                                             t("compare.column.b", lang): rest.capitalize()})
    blocks.append(Table(frame, tuple(frame.columns[1:])))
    blocks += _mix(analysis, Grouping(dimension, (group_a,), None), results, lang, group_a, rest)
    available = [kpi_id for kpi_id in COMPARED if analysis.available(kpi_id)]
    if available:
        kpi = catalog.get("avg_basket" if "avg_basket" in available else available[0])
        by, _ = ranking_groups(analysis.session, dimension)
        ranked = ranking(analysis, by, kpi.id)
        if not ranked.empty:
            blocks += [Text(t("review.ranking", lang, kpi=kpi.label[lang])),
                       Figure(charts.ranking(ranked, kpi, dimension, lang)),
                       Text(t("compare.rank.caption", lang, small=SMALL_GROUP)),
                       *(Text(sentence) for sentence in sentences(ranked, lang))]
            painted, _ = geography.areas(ranked["value"]) if dimension == "region" else ({}, [])
            if painted:
                blocks.append(Figure(charts.france_map(ranked, painted, kpi, lang)))
    return Section(t("review.compare", lang), blocks)


def _mix(analysis: Analysis, grouping: Grouping, results, lang: str, a_label: str, b_label: str) -> list:
    """The basket gap's interval and medians; the gaps at equal mix of the first dimension that has one, with the
    Simpson warnings."""
    blocks = []
    gap = mix.basket_gap(analysis, grouping) if analysis.available("avg_basket") else None
    if gap is not None:
        blocks.append(Text(mix.basket_sentence(gap, lang, a_label, b_label)))
    for stratum in mix.strata(analysis, grouping):
        adjusted = [a for a in mix.adjust(analysis, grouping, stratum, results) if a.adjusted is not None]
        if adjusted:
            warnings = [mix.warning(a, lang, a_label, b_label) for a in adjusted if a.simpson]
            frame = mix.table(adjusted, lang)
            blocks += [Text(f"{t('mix.title', lang)} ({t(f'dimension.{stratum}', lang).lower()})"),
                       *(Text(text, "warning") for text in warnings),
                       *([] if warnings else [Text(t("mix.same", lang, stratum=t(f"dimension.{stratum}",
                                                                                   lang).lower()))]),
                       Table(frame, tuple(frame.columns[1:]))]
            break
    return blocks


def _family(analysis: Analysis, family: Family, lang: str) -> tuple[Section | None, list[str]]:
    if not all(analysis.session.has(dataset) for dataset in family.datasets):
        return None, []
    shown = _available(analysis, family.cards)
    if not shown:
        return None, []
    results = analysis.scorecard(shown)
    trend = analysis.trend(_available(analysis, family.trends))
    trend_ids = [kpi_id for kpi_id in trend.columns if kpi_id in family.trends and trend[kpi_id].notna().any()]
    blocks = [_cards(results, shown, lang)]
    if family.working_days:
        blocks.append(Text(working_days_sentence(analysis.windows.current, lang)))
    blocks += [Figure(charts.trend(trend, catalog.get(kpi_id), lang,
                                   bars=catalog.get(kpi_id).unit in (Unit.COUNT, Unit.CURRENCY)), half=True)
               for kpi_id in trend_ids]
    return Section(t(f"page.{family.name}", lang), blocks), [*shown, *trend_ids]


def _forecast(analysis: Analysis, lang: str) -> Section | None:
    """Where the period should end and how far past forecasts were right."""
    if not analysis.available("revenue_forecast"):
        return None
    blocks, made = [], analysis.forecast
    if made is not None:
        blocks += [Text(sentence) for sentence in forecast_text.sentences(analysis.forecast_result(), made, lang)]
        blocks.append(Table(pd.DataFrame(forecast_text.parts(made, lang), columns=["", t("column.amount", lang)]),
                            (t("column.amount", lang),)))
        if not made.deals.empty:
            columns = forecast_text.deal_columns(lang)
            blocks += [Text(t("forecast.deals", lang)),
                       Table(format_table(made.deals.head(forecast.TOP_DEALS), columns, lang),
                             tuple(header for header, unit, *_ in columns.values() if unit))]
    backtest = analysis.backtest()
    if not backtest.empty:
        shown, columns = forecast_text.backtest_shown(backtest, lang)
        blocks += [Text(t("backtest.title", lang)), Text(t("backtest.intro", lang)),
                   Table(format_table(shown, columns, lang),
                         tuple(header for header, unit, *_ in columns.values() if unit and unit != "date")),
                   Text(forecast_text.summary(backtest, lang))]
    if made is not None:
        blocks.append(Text(forecast_text.method(made, lang)))
    return Section(t("forecast.title", lang), blocks) if blocks else None


def _at_risk(analysis: Analysis, lang: str) -> Section | None:
    at_risk = analysis.at_risk_customers()
    if at_risk.empty:
        return None
    listed = diagnostics.with_reasons(at_risk.head(AT_RISK_SHOWN), lang)
    columns = {name: (t(key, lang), *rest) for name, (key, *rest) in diagnostics.AT_RISK_COLUMNS.items()}
    frame = format_table(listed, columns, lang)
    more = t("review.at_risk_more", lang, total=len(at_risk)) if len(at_risk) > AT_RISK_SHOWN else ""
    intro = t("review.at_risk_intro", lang, count=len(listed), span=AT_RISK_SPAN, more=more)
    money = tuple(header for name, (header, unit, *_) in columns.items() if unit == "currency")
    return Section(t("review.at_risk", lang), [Text(intro), Table(frame, money)])


def _methods(kpi_ids, lang: str) -> Section:
    blocks = [Text(t(key, lang, small=SMALL_GROUP)) for key in ("review.to_date", "review.small", "review.missing",
                                                                 "review.significance")]
    kpis = [catalog.get(kpi_id) for kpi_id in dict.fromkeys(kpi_ids)]
    frame = pd.DataFrame({t("export.kpi", lang): [kpi.label[lang] for kpi in kpis],
                          t("review.definitions", lang): [kpi.definition[lang] for kpi in kpis]})
    return Section(t("review.methods", lang), [*blocks, Table(frame)])


def _cover(analysis: Analysis, source: str, lang: str, now: datetime) -> list[tuple[str, str]]:
    filters = analysis.selection.filters
    covered = t("review.range_value", lang, first=format_value(analysis.first_date, "date", lang),
                last=format_value(analysis.as_of, "date", lang)) if analysis.has_data else MISSING
    return [(t("review.source", lang), source),
            (t("review.period", lang), period_label(analysis.period, lang)),
            (t("review.granularity", lang), t(f"granularity.{analysis.selection.granularity.value}", lang)),
            (t("review.filters", lang), filters_text(filters, lang) if filters else t("review.no_filter", lang)),
            (t("review.range", lang), covered),
            (t("review.generated", lang), f"{format_value(now.date(), 'date', lang)} {now:%H:%M}")]


def build(analysis: Analysis, source: str, lang: str, *, now: datetime | None = None) -> Review:
    """The review of the analysis's period and filters, every section the loaded data supports."""
    now = now or datetime.now()
    sections, shown = [], []
    if analysis.session.has("orders") or analysis.session.has("deals"):
        core, trends, shown = _core(analysis, lang)
        retention, retention_ids = _revenue_retention(analysis, lang)
        sections += [core, trends, retention, _funnel(analysis, lang), _compare(analysis, lang)]
        shown += retention_ids
    for family in OTHERS:
        section, kpi_ids = _family(analysis, family, lang)
        sections.append(section)
        shown += kpi_ids
    sections += [_forecast(analysis, lang), _at_risk(analysis, lang)]
    sections = [section for section in sections if section is not None]
    if sections:
        sections.append(_methods([*shown, *(kpi_id for kpi_id in TRENDS if analysis.available(kpi_id))], lang))
    else:
        sections.append(Section(t("review.title", lang), [Text(t("review.no_data", lang))]))
    return Review(lang, f"{t('review.title', lang)} — {period_label(analysis.period, lang)}",
                  _cover(analysis, source, lang, now), sections, name(analysis, lang))


def name(analysis: Analysis, lang: str) -> str:
    """The report's file name without extension: `rapport_2026-08_region-Paris`."""
    return file_name(f"{t('review.file', lang)}_{analysis.period.key}", analysis.selection.filters)
