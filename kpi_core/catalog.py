"""The KPI catalog (SPEC §4): every KPI declared once, validated at import, rendered everywhere."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kpi_core.formatting import Unit
from kpi_core.queries import SOURCES
from kpi_core.schemas import DATASETS


@dataclass(frozen=True)
class Thresholds:
    """For a higher-is-better KPI: at or above `good` is healthy, below `bad` is a problem."""

    good: float
    bad: float


@dataclass(frozen=True, kw_only=True)
class Kpi:
    id: str
    label: dict[str, str]
    definition: dict[str, str]
    unit: Unit
    datasets: tuple[str, ...]
    higher_is_better: bool = True
    decimals: int | None = None
    thresholds: Thresholds | None = None


@dataclass(frozen=True, kw_only=True)
class Aggregate(Kpi):
    """An aggregate over the fact rows `f` of a source, per window: `SUM(f.amount)`."""

    source: str
    expression: str
    empty_value: float | None = 0


@dataclass(frozen=True, kw_only=True)
class Ratio(Kpi):
    """numerator / denominator, both catalog KPIs; flagged as a small sample under `min_denominator`."""

    numerator: str
    denominator: str
    min_denominator: int | None = 30


@dataclass(frozen=True, kw_only=True)
class Funnel(Kpi):
    """A KPI computed from the stage funnel rather than a single aggregate."""


def _text(fr: str, en: str) -> dict[str, str]:
    return {"fr": fr, "en": en}


CATALOG: tuple[Kpi, ...] = (
    # Revenue and basket
    Aggregate(
        id="revenue", label=_text("Chiffre d'affaires", "Revenue"),
        definition=_text("Somme des montants HT des commandes datées de la période, avoirs déduits.",
                         "Sum of net amounts of orders dated in the period, credit notes deducted."),
        unit=Unit.CURRENCY, decimals=0, datasets=("orders",), source="orders", expression="SUM(f.amount)",
    ),
    Aggregate(
        id="sales_count", label=_text("Nombre de ventes", "Number of sales"),
        definition=_text("Commandes distinctes de total positif sur la période (un avoir n'est pas une vente).",
                         "Distinct orders with a positive total in the period (a credit note is not a sale)."),
        unit=Unit.COUNT, datasets=("orders",), source="orders",
        expression="COUNT(DISTINCT f.order_id) FILTER (WHERE f.order_total > 0)",
    ),
    Ratio(
        id="avg_basket", label=_text("Panier moyen", "Average basket"),
        definition=_text("Chiffre d'affaires ÷ nombre de ventes. 100 000 € sur 50 ventes = 2 000 €.",
                         "Revenue ÷ number of sales. €100,000 over 50 sales = €2,000."),
        unit=Unit.CURRENCY, decimals=0, datasets=("orders",), numerator="revenue", denominator="sales_count",
    ),
    Aggregate(
        id="active_customers", label=_text("Clients actifs", "Active customers"),
        definition=_text("Clients distincts ayant passé une commande positive sur la période.",
                         "Distinct customers with a positive order in the period."),
        unit=Unit.COUNT, datasets=("orders",), source="orders",
        expression="COUNT(DISTINCT f.customer_id) FILTER (WHERE f.order_total > 0)",
    ),
    # Retention
    Aggregate(
        id="retention_base", label=_text("Clients de la fenêtre précédente", "Customers of the previous window"),
        definition=_text("Clients actifs sur la fenêtre précédant la fenêtre courante.",
                         "Customers active in the window before the current one."),
        unit=Unit.COUNT, datasets=("orders",), source="retention", expression="COUNT(*)",
    ),
    Aggregate(
        id="retained_customers", label=_text("Clients fidélisés", "Retained customers"),
        definition=_text("Clients de la fenêtre précédente de nouveau actifs sur la fenêtre courante.",
                         "Customers of the previous window active again in the current one."),
        unit=Unit.COUNT, datasets=("orders",), source="retention", expression="COUNT(*) FILTER (WHERE f.retained)",
    ),
    Ratio(
        id="retention_rate", label=_text("Taux de rétention", "Retention rate"),
        definition=_text("Clients actifs sur la fenêtre précédente et de nouveau actifs sur la fenêtre courante "
                         "÷ clients actifs sur la fenêtre précédente. ≥ 85 % : sain ; < 70 % : problème "
                         "structurel ; entre les deux : à surveiller.",
                         "Customers active in the previous window and again in the current one ÷ customers "
                         "active in the previous window. ≥ 85 %: healthy; < 70 %: structural problem; "
                         "in between: watch."),
        unit=Unit.PERCENT, datasets=("orders",), numerator="retained_customers", denominator="retention_base",
        thresholds=Thresholds(good=0.85, bad=0.70),
    ),
    # Funnel
    Aggregate(
        id="deals_created", label=_text("Affaires créées", "Deals created"),
        definition=_text("Affaires créées sur la période : elles ont toutes atteint la première étape.",
                         "Deals created in the period: all of them reached the first stage."),
        unit=Unit.COUNT, datasets=("deals",), source="deals_created", expression="COUNT(*)",
    ),
    Aggregate(
        id="deals_reached_last_stage", label=_text("Affaires arrivées à la dernière étape",
                                                   "Deals that reached the last stage"),
        definition=_text("Affaires créées sur la période ayant atteint la dernière étape du pipeline.",
                         "Deals created in the period that reached the last pipeline stage."),
        unit=Unit.COUNT, datasets=("deals",), source="deals_created",
        expression="COUNT(*) FILTER (WHERE f.stage_rank >= $stage_count)",
    ),
    Aggregate(
        id="deals_open", label=_text("Affaires encore ouvertes", "Deals still open"),
        definition=_text("Affaires créées sur la période qui ne sont ni gagnées ni perdues : tant qu'elles sont "
                         "nombreuses, la conversion de la période va encore monter.",
                         "Deals created in the period neither won nor lost yet: while there are many, the "
                         "period's conversion will still rise."),
        unit=Unit.COUNT, datasets=("deals",), source="deals_created", higher_is_better=False,
        expression="COUNT(*) FILTER (WHERE f.status = 'open')",
    ),
    Funnel(
        id="stage_conversion", label=_text("Conversion par étape", "Stage-to-stage conversion"),
        definition=_text("Pour chaque étape, affaires ayant atteint l'étape suivante ÷ affaires ayant atteint "
                         "l'étape, parmi les affaires créées sur la période. 100 contacts → 25 rendez-vous "
                         "(25 %) → 10 propositions (40 %).",
                         "For each stage, deals that reached the next stage ÷ deals that reached the stage, "
                         "among deals created in the period. 100 contacted → 25 meetings (25 %) → 10 "
                         "proposals (40 %)."),
        unit=Unit.PERCENT, datasets=("deals",),
    ),
    Ratio(
        id="overall_conversion", label=_text("Conversion globale", "Overall conversion"),
        definition=_text("Affaires arrivées à la dernière étape ÷ affaires arrivées à la première.",
                         "Deals that reached the last stage ÷ deals that reached the first."),
        unit=Unit.PERCENT, datasets=("deals",), numerator="deals_reached_last_stage", denominator="deals_created",
    ),
    Funnel(
        id="weakest_stage", label=_text("Étape la plus faible", "Weakest stage"),
        definition=_text("Le passage d'étape au taux de conversion le plus bas, et ce qu'il signifie.",
                         "The stage transition with the lowest conversion, and what it means."),
        unit=Unit.PERCENT, datasets=("deals",),
    ),
    # Win rate
    Aggregate(
        id="deals_won", label=_text("Affaires gagnées", "Deals won"),
        definition=_text("Affaires gagnées clôturées sur la période.", "Won deals closed in the period."),
        unit=Unit.COUNT, datasets=("deals",), source="deals_closed",
        expression="COUNT(*) FILTER (WHERE f.status = 'won')",
    ),
    Aggregate(
        id="deals_closed", label=_text("Affaires clôturées", "Deals closed"),
        definition=_text("Affaires gagnées ou perdues clôturées sur la période.",
                         "Won or lost deals closed in the period."),
        unit=Unit.COUNT, datasets=("deals",), source="deals_closed",
        expression="COUNT(*) FILTER (WHERE f.status IN ('won', 'lost'))",
    ),
    Ratio(
        id="win_rate", label=_text("Taux de signature", "Win rate"),
        definition=_text("Affaires gagnées ÷ affaires clôturées (gagnées + perdues) sur la période.",
                         "Won deals ÷ closed (won + lost) deals closed in the period."),
        unit=Unit.PERCENT, datasets=("deals",), numerator="deals_won", denominator="deals_closed",
    ),
)

KPIS: dict[str, Kpi] = {kpi.id: kpi for kpi in CATALOG}


def get(kpi_id: str) -> Kpi:
    try:
        return KPIS[kpi_id]
    except KeyError:
        raise KeyError(f"unknown KPI: {kpi_id!r}") from None


def dependencies(kpi_id: str) -> list[str]:
    """The KPI and every KPI it is computed from, inputs first."""
    kpi = get(kpi_id)
    if isinstance(kpi, Ratio):
        return [*dependencies(kpi.numerator), *dependencies(kpi.denominator), kpi_id]
    return [kpi_id]


_PARAMETER = re.compile(r"\$([a-z_]+)")
SQL_PARAMETERS = {"stage_count"}  # the only session values an expression may bind


def check(catalog: tuple[Kpi, ...] = CATALOG) -> list[str]:
    """Every inconsistency of a catalog; empty when it is sound."""
    problems = []
    ids = [kpi.id for kpi in catalog]
    known = set(ids)
    for kpi in catalog:
        if ids.count(kpi.id) > 1:
            problems.append(f"{kpi.id}: declared twice")
        if not re.fullmatch(r"[a-z][a-z0-9_]*", kpi.id):
            problems.append(f"{kpi.id}: id is not snake_case")
        for lang in ("fr", "en"):
            if not kpi.label.get(lang) or not kpi.definition.get(lang):
                problems.append(f"{kpi.id}: label or definition missing in {lang}")
        if not kpi.datasets or set(kpi.datasets) - set(DATASETS):
            problems.append(f"{kpi.id}: datasets must be canonical datasets")
        if kpi.thresholds and (kpi.thresholds.good < kpi.thresholds.bad) == kpi.higher_is_better:
            problems.append(f"{kpi.id}: thresholds contradict its direction")
        if isinstance(kpi, Aggregate):
            if kpi.source not in SOURCES:
                problems.append(f"{kpi.id}: unknown source {kpi.source!r}")
            elif SOURCES[kpi.source].dataset not in kpi.datasets:
                problems.append(f"{kpi.id}: source dataset not among its datasets")
            if set(_PARAMETER.findall(kpi.expression)) - SQL_PARAMETERS:
                problems.append(f"{kpi.id}: expression binds an unknown parameter")
        if isinstance(kpi, Ratio):
            for part in (kpi.numerator, kpi.denominator):
                if part not in known:
                    problems.append(f"{kpi.id}: {part!r} is not in the catalog")
                elif isinstance(next(k for k in catalog if k.id == part), Funnel):
                    problems.append(f"{kpi.id}: {part!r} is not a number per window")
    return problems


_problems = check()
if _problems:
    raise ValueError("KPI catalog is inconsistent: " + "; ".join(_problems))
