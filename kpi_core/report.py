"""The period report as plain data (SPEC §7's JSON), and its Markdown and CSV renderings."""

from __future__ import annotations

import csv
import io

from kpi_core import bridge, catalog, custom, diagnostics, forecast
from kpi_core.analysis import Analysis, change
from kpi_core.catalog import MATURITY_NAMES, Kpi, Structured
from kpi_core.engine import Grouping
from kpi_core.formatting import escape_markdown, filters_text, format_change, format_rate, format_value, period_label
from kpi_core.i18n import t
from kpi_core.periods import parse_period
from kpi_core.stages import stage_steps

SCALAR_KPIS = tuple(kpi.id for kpi in catalog.CATALOG if not isinstance(kpi, Structured))


def _clean(value):
    """JSON-safe: NaN and None become null, whole numbers ints, rates keep six decimals."""
    if value is None or value != value:
        return None
    value = float(value)
    return int(value) if value.is_integer() else round(value, 6)


def _label(value) -> str | None:
    return None if value is None or value != value else str(value)


def _maturity(value) -> str | None:
    return None if value is None or value != value else MATURITY_NAMES[int(value)]


def build(analysis: Analysis, *, by: str | None = None, custom_kpis: list[dict] | None = None) -> dict:
    """Every KPI of the selected period with comparisons, the funnel, breakdowns and diagnostics; the user's
    own KPIs (compiled in `analysis`) come after the catalog's, with their definitions."""
    results = analysis.scorecard([*SCALAR_KPIS, *analysis.custom_ids])
    kpis = {kpi_id: _clean(result.value) for kpi_id, result in results.items()}
    funnel_rows, steps, weakest = [], [], None
    if analysis.session.has("deals"):
        funnel = analysis.funnel()
        funnel_rows = [{"stage": row["stage"], "reached": int(row["reached"]), "still_open": int(row["still_open"]),
                        "conversion_from_previous": _clean(row["conversion_from_previous"]),
                        "decided_from_previous": _clean(row["decided_from_previous"]),
                        "maturity": _maturity(row["maturity_from_previous"]),
                        "raw_conversion_from_previous": _clean(row["raw_conversion"])}
                       for row in funnel.to_dict("records")]
        steps = stage_steps(funnel)
        weakest = analysis.weakest_stage()
    kpis["stage_conversion"] = [{"from": s.from_stage, "to": s.to_stage, "conversion": _clean(s.conversion),
                                 "decided": s.decided, "maturity": MATURITY_NAMES[s.maturity]}
                                for s in steps] or None
    kpis["weakest_stage"] = ({"from": weakest.step.from_stage, "to": weakest.step.to_stage,
                              "conversion": _clean(weakest.step.conversion), "decided": weakest.step.decided,
                              "period": weakest.period.key} if weakest else None)
    lost = analysis.lost_reasons()
    kpis["lost_reasons"] = [{"reason": row["reason"], "deals": int(row["deals"]), "amount": _clean(row["amount"])}
                            for row in lost.to_dict("records")] if analysis.session.has("deals") else None
    stage_times = analysis.time_in_stage()
    kpis["time_in_stage"] = [
        {"stage": row["stage"], "deals": int(row["deals"]), "median_days": _clean(row["median_days"])}
        for row in stage_times.to_dict("records")] if analysis.has_stage_entries else None
    # What moved sales velocity since the previous period: each driver's effect (bridge.VELOCITY).
    velocity = bridge.bridge(bridge.VELOCITY, {k: r.previous for k, r in results.items()},
                             {k: r.value for k, r in results.items()})
    velocity_drivers = [
        {"kpi": k, "previous": _clean(velocity.values[0].get(k)), "current": _clean(velocity.values[1].get(k)),
         "effect": _clean(velocity.drivers[k])}
        for k in bridge.VELOCITY.driver_ids] if velocity and velocity.drivers else None
    kpis["revenue_forecast"] = _forecast(analysis)
    basket = analysis.trend(["avg_basket"])["avg_basket"].tolist() if analysis.available("avg_basket") else []
    found = diagnostics.diagnose(results, weakest=weakest, stage_count=len(analysis.session.stages),
                                 basket_trend=[None if v != v else v for v in basket])
    breakdowns = {}
    if by:
        wanted = [k for k in (*SCALAR_KPIS, *analysis.custom_ids) if by in analysis.dimensions(k)]
        table = analysis.breakdown(wanted, by) if wanted else None
        if table is not None:
            # A blank value (a row without one) is its own line, `null` in JSON.
            breakdowns[by] = [{"value": _label(row.pop(by)), **{k: _clean(v) for k, v in row.items()}}
                              for row in table.to_dict("records")]
    window = analysis.windows.current
    return {
        "period": {
            "key": analysis.period.key, "granularity": analysis.period.granularity.value,
            "fiscal_year_start": analysis.period.fiscal_start,
            "start": analysis.period.start.isoformat(), "end": analysis.period.end.isoformat(),
            "in_progress": window.partial, "days_compared": (window.stop - window.start).days,
            "previous": analysis.period.shift(-1).key, "last_year": analysis.windows.last_year.period.key,
            "filters": {k: list(v) for k, v in analysis.selection.filters.items()},
        },
        "kpis": kpis,
        "comparisons": {k: {"previous": _clean(r.previous), "last_year": _clean(r.last_year)}
                        for k, r in results.items()},
        "funnel": funnel_rows,
        "drivers": {"sales_velocity": velocity_drivers},
        "breakdowns": breakdowns,
        **({"comparison": _comparison(analysis, by)} if by else {}),
        "diagnostics": [d.as_dict() for d in found],
        **({"custom_kpis": custom_kpis} if custom_kpis else {}),
        "warnings": [
            {"kpi": k, "reason": r.reason, "message": diagnostics.reason_text(r, "en")}
            for k, r in results.items() if r.reason
        ] + [{"kpi": k, "reason": "small_sample", "observations": r.observations}
             for k, r in results.items() if r.small_sample]
        + [{"kpi": k, "reason": "provisional"} for k, r in results.items() if r.provisional]
        + [{"kpi": k, "reason": "filter_not_applied", "dimensions": list(r.unfiltered)}
           for k, r in results.items() if r.unfiltered],
    }


def _forecast(analysis: Analysis) -> dict:
    """The end-of-period forecast (null values with the reason when there is none) and its backtest."""
    result, made = analysis.forecast_result(), analysis.forecast
    backtest = analysis.backtest()
    accuracy = forecast.accuracy(backtest) if not backtest.empty else None
    return {
        "expected": _clean(result.value), "reason": result.reason,
        **({"low": _clean(made.low), "high": _clean(made.high), "level": forecast.LEVEL, "booked": _clean(made.booked),
            "pipeline": _clean(made.pipeline), "other": _clean(made.other), "target": _clean(result.target),
            "chance_of_target": _clean(made.chance(result.target)) if result.target else None,
            "history_periods": made.history, "by_stage": made.staged,
            "top_deals": [{k: _clean(v) if isinstance(v, float) else v for k, v in row.items()}
                          for row in made.deals.head(forecast.TOP_DEALS).to_dict("records")]} if made else {}),
        "backtest": [{"period": row["period"].key, "made_on": row["cut"].isoformat(),
                      **{k: _clean(row[k]) for k in ("forecast", "low", "high", "actual", "error", "naive",
                                                     "naive_error")}, "inside": row["inside"]}
                     for row in backtest.to_dict("records")],
        "backtest_accuracy": None if accuracy is None else {
            "mean_error": _clean(accuracy.error), "naive_mean_error": _clean(accuracy.naive_error),
            "inside": accuracy.inside, "count": accuracy.count},
    }


def _comparison(analysis: Analysis, by: str) -> dict:
    """With `--by`: the default group (Paris against the rest for regions) on every compared KPI, raw and at equal
    mix of each other dimension, the basket gap's BCa interval and medians, and each tested KPI's ranking (nothing
    for a dimension groups cannot be compared on)."""
    from kpi_core import comparison, mix, ranking  # scipy.stats takes 1-3 s to load: only for `--by`

    if by not in comparison.dimensions(analysis.session):
        return {}
    group = comparison.default_group(comparison.values(analysis.session, by))
    grouping = Grouping(by, tuple(group), None)
    results = comparison.compare(analysis, grouping)
    gap = mix.basket_gap(analysis, grouping) if analysis.available("avg_basket") else None
    rankings = {}
    for kpi_id in (k for k in comparison.COMPARED if analysis.available(k) and by in analysis.dimensions(k)):
        table = ranking.ranking(analysis, by, kpi_id)
        rankings[kpi_id] = [{"value": row["value"], "raw": _clean(row[kpi_id]), "shrunk": _clean(row["shrunk"]),
                             "low": _clean(row["low"]), "high": _clean(row["high"]),
                             "observations": _clean(row["observations"]), "p_value": _clean(row["p_value"]),
                             "q_value": _clean(row["q_value"]), "differs": _clean(row["differs"]),
                             "differs_uncorrected": _clean(row["raw_differs"])} for row in table.to_dict("records")]
    return {
        "dimension": by, "a": group, "b": "rest",
        "kpis": {r.kpi.id: {"a": _clean(r.a.value), "b": _clean(r.b.value), "difference": _clean(r.difference[0]),
                            "p_value": _clean(r.p_value)} for r in results},
        "basket_gap": None if gap is None else {"difference": _clean(gap.difference), "bca_low": _clean(gap.low),
                                                "bca_high": _clean(gap.high), "median_a": _clean(gap.median_a),
                                                "median_b": _clean(gap.median_b)},
        "mix_adjusted": {stratum: [{"kpi": a.kpi.id, "raw": _clean(a.raw), "adjusted": _clean(a.adjusted),
                                    "p_raw": _clean(a.p_raw), "p_adjusted": _clean(a.p_adjusted),
                                    "strata": a.strata, "simpson": a.simpson, "driver": a.driver}
                                   for a in mix.adjust(analysis, grouping, stratum, results)]
                         for stratum in mix.strata(analysis, grouping)},
        "rankings": rankings,
    }


def _kpis(report: dict) -> list[Kpi]:
    """The report's KPIs that are one number, catalog and custom, in report order."""
    extra = {kpi.id: kpi for kpi in custom.compile_all(report.get("custom_kpis") or []).kpis}
    kpis = [catalog.get(kpi_id, extra) for kpi_id in report["kpis"]]
    return [kpi for kpi in kpis if not isinstance(kpi, Structured)]


def to_markdown(report: dict, lang: str) -> str:
    """A report a manager can paste into an email: the KPIs with their changes, the funnel, each breakdown (one
    column per value) and the diagnostics. Text from the data (names, stages, values) is escaped: it cannot make a
    link, an image or a table cell."""
    md = escape_markdown
    period = parse_period(report["period"]["key"], report["period"]["granularity"],
                          report["period"]["fiscal_year_start"])
    lines = [f"# {t('home.title', lang, period=period_label(period, lang))}", ""]
    if filters := report["period"]["filters"]:
        lines += [t("report.filters", lang, filters=filters_text(filters, lang, markdown=True)), ""]
    headers = [t(key, lang) for key in ("column.kpi", "column.value", "card.vs_previous", "column.last_year")]
    lines += ["| " + " | ".join(headers) + " |", "|---|---:|---:|---:|"]
    kpis = _kpis(report)
    for kpi in kpis:
        value, comparison = report["kpis"][kpi.id], report["comparisons"][kpi.id]
        changes = [format_change(*change(value, reference), kpi.unit, lang)
                   for reference in (comparison["previous"], comparison["last_year"])]
        lines.append(f"| {kpi.markdown_label(lang)} | {format_value(value, kpi.unit, lang, decimals=kpi.decimals)} "
                     f"| {changes[0]} | {changes[1]} |")
    if report["funnel"]:
        lines += ["", f"| {t('column.stage', lang)} | {t('column.reached', lang)} | {t('column.still_open', lang)} "
                      f"| {t('column.conversion', lang)} | {t('column.decided', lang)} |", "|---|---:|---:|---:|---:|"]
        lines += [f"| {md(row['stage'])} | {row['reached']} | {row['still_open']} | "
                  f"{format_rate(row['conversion_from_previous'], _maturity_rank(row['maturity']), lang)} | "
                  f"{format_value(row['decided_from_previous'], 'count', lang)} |" for row in report["funnel"]]
    for dimension, rows in report["breakdowns"].items():
        names = [md(row["value"]) if row["value"] is not None else t("report.blank", lang) for row in rows]
        lines += ["", f"## {t('report.by', lang, dimension=t(f'dimension.{dimension}', lang).lower())}", "",
                  "| " + " | ".join([t("column.kpi", lang), *names]) + " |", "|---|" + "---:|" * len(rows)]
        for kpi in kpis:
            if kpi.id in rows[0]:
                lines.append("| " + " | ".join([kpi.markdown_label(lang), *(
                    format_value(row[kpi.id], kpi.unit, lang, decimals=kpi.decimals) for row in rows)]) + " |")
    if report["diagnostics"]:
        lines += ["", f"## {t('home.diagnostics', lang)}", ""]
        lines += [f"- {md(d['message_fr'] if lang == 'fr' else d['message'])}" for d in report["diagnostics"]]
    return "\n".join(lines) + "\n"


def _maturity_rank(name: str | None) -> int | None:
    return None if name is None else MATURITY_NAMES.index(name)


def to_csv(report: dict) -> str:
    """One row per KPI: id, value, previous, last year (rates as fractions); then, with `--by`, one row per KPI
    and value of the dimension (a blank value has an empty `dimension_value`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["period", "kpi", "value", "previous", "last_year", "dimension", "dimension_value"])
    key = report["period"]["key"]
    for kpi_id, compared in report["comparisons"].items():
        writer.writerow([key, kpi_id, report["kpis"][kpi_id], compared["previous"], compared["last_year"], "", ""])
    for dimension, rows in report["breakdowns"].items():
        for row in rows:
            for kpi_id in (k for k in report["comparisons"] if k in row):
                writer.writerow([key, kpi_id, row[kpi_id], "", "", dimension, row["value"] or ""])
    return buffer.getvalue()
