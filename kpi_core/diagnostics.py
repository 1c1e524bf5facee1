"""Plain-language readings of the numbers, the way a sales coach would put them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from kpi_core import catalog
from kpi_core.analysis import KpiResult
from kpi_core.formatting import (
    MISSING,
    Measure,
    Phrase,
    Unit,
    escape_markdown,
    format_change,
    format_value,
    period_label,
)
from kpi_core.i18n import t
from kpi_core.periods import Period
from kpi_core.stages import WeakestStage

BASKET_DECLINE_PERIODS = 3
# The at-risk customers' columns as the retention page and the report show them: (header key, unit, decimals).
AT_RISK_COLUMNS = {
    "customer_id": ("column.customer", None), "revenue_at_risk": ("column.revenue_at_risk", "currency", 0),
    "why": ("column.why", None), "rep": ("dimension.rep", None), "region": ("dimension.region", None),
    "segment": ("dimension.segment", None), "last_order_date": ("column.last_order", "date"),
    "revenue_before": ("column.revenue_before", "currency", 0),
    "revenue_recent": ("column.revenue_recent", "currency", 0),
}


@dataclass(frozen=True)
class Diagnostic:
    kpi_id: str
    severity: str  # good, info, warning, problem
    key: str
    params: dict = field(default_factory=dict)

    def render(self, lang: str, *, markdown: bool = False) -> str:
        """The sentence; with `markdown`, every text from the user's data (a stage, a region) escaped."""
        return _sentence(self.key, self.params, lang, markdown)

    def as_dict(self) -> dict:
        return {"kpi": self.kpi_id, "severity": self.severity, "key": self.key,
                "message": self.render("en"), "message_fr": self.render("fr")}


def _sentence(key: str, params: dict, lang: str, markdown: bool = False) -> str:
    """A catalog sentence with its numbers and KPI names rendered for the reader's language."""
    return t(key, lang, **{name: _render(value, lang, markdown) for name, value in params.items()})


def _render(value, lang: str, markdown: bool) -> str:
    if isinstance(value, Measure):
        return format_value(value.value, value.unit, lang)
    if isinstance(value, Period):
        return period_label(value, lang)
    if isinstance(value, Phrase):
        return _sentence(value.key, value.params, lang, markdown)
    if isinstance(value, tuple):  # several names: `Ventes / factures, Leads`
        return ", ".join(_render(item, lang, markdown) for item in value)
    if isinstance(value, catalog.Kpi):
        return value.markdown_label(lang) if markdown else value.label[lang]
    return escape_markdown(str(value)) if markdown else str(value)


def weakest_stage(weakest: WeakestStage | None, stage_count: int) -> list[Diagnostic]:
    """First transition: approach; last: argumentation or price; between: stalled deals — saying which deals
    (created when, how many decided) the reading rests on."""
    if weakest is None:
        return []
    step = weakest.step
    kind = "approach" if step.position == 1 else "closing" if step.position == stage_count - 1 else "middle"
    basis = Phrase("diag.weakest.basis" if weakest.selected else "diag.weakest.basis_earlier",
                   {"period": weakest.period, "decided": step.decided})
    return [Diagnostic("weakest_stage", "warning", f"diag.weakest.{kind}",
                       {"from_stage": step.from_stage, "to_stage": step.to_stage, "basis": basis,
                        "conversion": Measure(step.conversion, Unit.PERCENT)})]


def immature_funnel(results: dict[str, KpiResult]) -> list[Diagnostic]:
    """Warn when too many of the period's deals are still open for its conversion to be final."""
    created, still_open = results.get("deals_created"), results.get("deals_open")
    if not created or not still_open or not created.value or still_open.value is None:
        return []
    share = still_open.value / created.value
    if share <= catalog.MATURITY.max_open_share:  # the share beyond which a cohort's rates are withheld
        return []
    return [Diagnostic("stage_conversion", "info", "diag.immature_funnel", {"share": Measure(share, Unit.PERCENT)})]


def consecutive_declines(values: Sequence[float | None]) -> int:
    """How many periods in a row the series has fallen, counting back from its end."""
    count = 0
    for earlier, later in zip(reversed(values[:-1]), reversed(values[1:])):
        if earlier is None or later is None or not later < earlier:
            break
        count += 1
    return count


def basket_decline(basket_trend: Sequence[float | None]) -> list[Diagnostic]:
    periods = consecutive_declines(list(basket_trend))
    if periods < BASKET_DECLINE_PERIODS:
        return []
    return [Diagnostic("avg_basket", "problem", "diag.basket_decline", {"periods": periods})]


def retention(result: KpiResult | None) -> list[Diagnostic]:
    if result is None or result.status is None:
        return []
    severity = {"good": "good", "watch": "warning", "problem": "problem"}[result.status]
    return [Diagnostic("retention_rate", severity, f"diag.retention.{result.status}",
                       {"value": Measure(result.value, Unit.PERCENT)})]


def revenue(result: KpiResult | None) -> list[Diagnostic]:
    if result is None:
        return []
    _, relative = result.vs_previous
    if relative is None or relative == 0:
        return []
    change = Measure(abs(relative), Unit.PERCENT)
    return [Diagnostic("revenue", "good" if relative > 0 else "warning",
                       "diag.revenue.up" if relative > 0 else "diag.revenue.down", {"change": change})]


def small_samples(results: dict[str, KpiResult]) -> list[Diagnostic]:
    return [
        Diagnostic(kpi_id, "info", "diag.small_sample", {"kpi": result.kpi, "count": result.observations})
        for kpi_id, result in results.items()
        if result.small_sample
    ]


def diagnose(results: dict[str, KpiResult], *, weakest: WeakestStage | None = None, stage_count: int = 5,
             basket_trend: Sequence[float | None] = ()) -> list[Diagnostic]:
    """Every diagnostic the period's numbers call for, most serious first."""
    found = (
        revenue(results.get("revenue"))
        + immature_funnel(results)
        + weakest_stage(weakest, stage_count)
        + basket_decline(basket_trend)
        + retention(results.get("retention_rate"))
        + small_samples(results)
    )
    order = {"problem": 0, "warning": 1, "info": 2, "good": 3}
    return sorted(found, key=lambda diagnostic: order[diagnostic.severity])


def at_risk_reasons(customer: dict, lang: str) -> str:
    """Why a customer is listed as at risk, in words: `panier 1 200 € → 640 € · commandes 6 → 2 · sans commande
    depuis 95 j (d'habitude tous les 30 j)`."""
    parts = []
    if customer["basket_falling"]:
        parts.append(t("risk.basket", lang, **{moment: format_value(customer[f"basket_{moment}"], Unit.CURRENCY, lang,
                                                                     decimals=0) for moment in ("before", "recent")}))
    if customer["frequency_falling"]:
        parts.append(t("risk.frequency", lang, before=int(customer["orders_before"]),
                       recent=int(customer["orders_recent"])))
    if customer["silent"]:
        parts.append(t("risk.silent", lang, days=int(customer["silent_days"]),
                       rhythm=format_value(customer["rhythm_days"], Unit.COUNT, lang)))
    return " · ".join(parts)


def with_reasons(at_risk: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The at-risk customers with a `why` column in words."""
    return at_risk.assign(why=[at_risk_reasons(customer, lang) for customer in at_risk.to_dict("records")])


def reason_text(result: KpiResult, lang: str, *, markdown: bool = False) -> str | None:
    """Why a KPI shows `—`, in a sentence fragment: `Number of sales = 0 in the period`."""
    if result.reason is None:
        return None
    return _sentence(result.reason, result.reason_params, lang, markdown)


def change_text(result: KpiResult, versus: tuple[float | None, float | None], lang: str) -> str:
    """A change as a card says it, with what it means: `+2,2 % · favorable`, `stable`, `—` without one."""
    tone = result.tone(versus)
    if tone is None:
        return MISSING
    if tone == "flat":
        return t("card.no_change", lang)
    text = format_change(*versus, result.kpi.unit, lang)
    return f"{text} · {t(f'tone.{tone}', lang)}" if tone in ("good", "bad") else text


def funnel_method(lang: str) -> str:
    """How the funnel's rates are read (decided deals only) and when one is withheld or provisional."""
    return t("funnel.method", lang, minimum=catalog.MATURITY.min_decided, small=catalog.MATURITY.small_decided,
             open_max=format_value(catalog.MATURITY.max_open_share, Unit.PERCENT, lang, decimals=0),
             open_provisional=format_value(catalog.MATURITY.provisional_open_share, Unit.PERCENT, lang, decimals=0))
