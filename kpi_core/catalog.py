"""The KPI catalog (SPEC §4): every KPI declared once, validated at import, rendered everywhere."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from kpi_core.formatting import Unit, escape_markdown
from kpi_core.queries import SOURCES, WORKING_DAYS
from kpi_core.schemas import DATASETS, fields


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
    higher_is_better: bool | None = True  # None: a change is neither good nor bad news (a target, days)
    decimals: int | None = None
    thresholds: Thresholds | None = None
    requires: tuple[str, ...] = ()  # optional fields (`dataset.field`) the user's data must have
    user_defined: bool = False  # named by the user (a custom KPI): its label is text from outside

    def markdown_label(self, lang: str) -> str:
        """The label where Streamlit renders Markdown: a user's name escaped, the catalog's own as written."""
        return escape_markdown(self.label[lang]) if self.user_defined else self.label[lang]


@dataclass(frozen=True, kw_only=True)
class Aggregate(Kpi):
    """An aggregate over the fact rows `f` of a source, per window: `SUM(f.amount)`."""

    source: str
    expression: str
    empty_value: float | None = 0
    params: tuple[tuple[str, object], ...] = ()  # values the expression binds (a custom KPI's filters)


@dataclass(frozen=True)
class Maturity:
    """When a rate on deals whose outcome is not all known yet can be read: withheld under `min_decided` decided
    deals or with more than `max_open_share` of them still open; provisional under `small_decided` or above
    `provisional_open_share`. One rule for the funnel, the overall conversion and cohort win rates."""

    min_decided: int = 10
    small_decided: int = 30
    # The final rate of a cohort lies in [moved on ÷ reached, (moved on + open) ÷ reached] whatever the open deals
    # do, so the open share bounds how far the shown rate can move: losses are often recorded weeks after the
    # moves, and on the sample a 28 % open share put the rate 10 to 37 points above what the cohort reached.
    max_open_share: float = 0.2
    provisional_open_share: float = 0.05

    def params(self) -> dict[str, float]:
        return {"min_decided": self.min_decided, "small_decided": self.small_decided,
                "max_open_share": self.max_open_share, "provisional_open_share": self.provisional_open_share}


MATURITY = Maturity()
_OPEN_MAX, _OPEN_PROVISIONAL = (f"{share * 100:.0f} %" for share in (MATURITY.max_open_share,
                                                                     MATURITY.provisional_open_share))
# How far a rate can be read (the funnel's `maturity` column and a Conversion's).
SETTLED, PROVISIONAL, WITHHELD = 0, 1, 2
MATURITY_NAMES = ("settled", "provisional", "withheld")


@dataclass(frozen=True, kw_only=True)
class Ratio(Kpi):
    """numerator / denominator, both catalog KPIs; flagged as a small sample under `min_denominator`.

    A PERCENT ratio is a share in [0, 1] (its numerator counts members of its denominator) unless it declares
    `exceeds_one` (an attainment). With `pending` (a KPI counting members of the denominator whose outcome is not
    known yet), the rate follows MATURITY: withheld while too many are pending, provisional while some are."""

    numerator: str
    denominator: str
    min_denominator: int | None = 30
    exceeds_one: bool = False
    pending: str | None = None


@dataclass(frozen=True, kw_only=True)
class Difference(Kpi):
    """minuend − subtrahend, never below zero (what is left to do once a target is passed is nothing)."""

    minuend: str
    subtrahend: str


@dataclass(frozen=True, kw_only=True)
class Product(Kpi):
    """The product of catalog KPIs (a pace per working day × the working days of the period)."""

    factors: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class WorkingDays(Kpi):
    """Working days of the period (French public holidays excluded by default): all of them, the ones
    `elapsed` up to the data's last day, or the ones `left` after it."""

    span: str  # "period" | "elapsed" | "left"


@dataclass(frozen=True, kw_only=True)
class Conversion(Kpi):
    """Conversion through every stage of the pipeline, for the deals created in the period: the product of each
    transition's rate, counted on the deals that have left the stage (queries.STAGE_TRANSITIONS); withheld when one
    transition is, provisional when one is (catalog MATURITY)."""

    source: str = "stage_transitions"


@dataclass(frozen=True, kw_only=True)
class Structured(Kpi):
    """A KPI whose value is not one number per window: computed by its own query, shown as a table."""


@dataclass(frozen=True, kw_only=True)
class Funnel(Structured):
    """A KPI computed from the stage funnel rather than a single aggregate."""


@dataclass(frozen=True, kw_only=True)
class Table(Structured):
    """A KPI whose value is a small table (lost deals by reason)."""


@dataclass(frozen=True, kw_only=True)
class Estimate(Structured):
    """A KPI estimated from the user's history by its own method (kpi_core.forecast), with an interval."""


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
    Aggregate(
        id="anonymous_revenue", label=_text("CA sans client identifié", "Revenue without a customer"),
        definition=_text("Chiffre d'affaires des lignes sans code client (ventes au comptoir, commandes invité) : "
                         "compté dans le chiffre d'affaires et les ventes, pas dans les indicateurs clients.",
                         "Revenue of lines without a customer id (counter sales, guest checkouts): counted in "
                         "revenue and sales, not in customer KPIs."),
        unit=Unit.CURRENCY, decimals=0, datasets=("orders",), source="orders",
        expression="SUM(f.amount) FILTER (WHERE f.customer_id IS NULL)",
    ),
    Aggregate(
        id="customer_revenue", label=_text("CA des clients identifiés", "Revenue from identified customers"),
        definition=_text("Chiffre d'affaires des lignes qui ont un code client.",
                         "Revenue of the lines that have a customer id."),
        unit=Unit.CURRENCY, decimals=0, datasets=("orders",), source="orders",
        expression="SUM(f.amount) FILTER (WHERE f.customer_id IS NOT NULL)",
    ),
    Aggregate(
        id="customer_sales", label=_text("Ventes des clients identifiés", "Sales to identified customers"),
        definition=_text("Ventes (commandes de total positif) qui ont un code client.",
                         "Sales (orders with a positive total) that have a customer id."),
        unit=Unit.COUNT, datasets=("orders",), source="orders",
        expression="COUNT(DISTINCT f.order_id) FILTER (WHERE f.order_total > 0 AND f.customer_id IS NOT NULL)",
    ),
    Ratio(
        id="orders_per_customer", label=_text("Commandes par client", "Orders per customer"),
        definition=_text("Ventes ÷ clients actifs de la période : à quelle fréquence un client commande (ventes "
                         "sans client identifié exclues).",
                         "Sales ÷ active customers of the period: how often a customer orders (sales without a "
                         "customer id left out)."),
        unit=Unit.COUNT, decimals=2, datasets=("orders",), numerator="customer_sales", denominator="active_customers",
        min_denominator=None,
    ),
    Aggregate(
        id="new_customer_revenue", label=_text("CA des nouveaux clients", "Revenue from new customers"),
        definition=_text("Chiffre d'affaires des clients dont la première commande tombe dans la période.",
                         "Revenue from customers whose first order falls in the period."),
        unit=Unit.CURRENCY, decimals=0, datasets=("orders",), source="orders_new_or_returning",
        expression="SUM(f.amount) FILTER (WHERE f.is_new)",
    ),
    Aggregate(
        id="returning_customer_revenue", label=_text("CA des clients existants", "Revenue from returning customers"),
        definition=_text("Chiffre d'affaires des clients qui avaient déjà commandé avant la période.",
                         "Revenue from customers who had ordered before the period."),
        unit=Unit.CURRENCY, decimals=0, datasets=("orders",), source="orders_new_or_returning",
        expression="SUM(f.amount) FILTER (WHERE NOT f.is_new)",
    ),
    Aggregate(
        id="arr", label=_text("Revenu récurrent annualisé (ARR)", "Annual recurring revenue (ARR)"),
        definition=_text("Chiffre d'affaires des lignes d'abonnement de la période ramené à l'année (12 × le "
                         "récurrent mensuel, 4 × le trimestriel) ; sur une période en cours, le récurrent à date. Il "
                         "faut une colonne qui dit quelles lignes sont des abonnements.",
                         "Revenue of the period's subscription lines, annualised (12 × monthly recurring revenue, "
                         "4 × quarterly); for a period in progress, the recurring revenue to date. Needs a column "
                         "saying which lines are subscriptions."),
        unit=Unit.CURRENCY, decimals=0, datasets=("orders",), requires=("orders.is_recurring",), source="orders",
        expression="SUM(f.amount) FILTER (WHERE f.is_recurring) * $periods_per_year",
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
                         "structurel ; entre les deux : à surveiller. Par région, segment, produit… (filtre ou "
                         "ventilation), seules comptent les commandes de cette valeur : un client parisien est "
                         "fidélisé s'il recommande à Paris.",
                         "Customers active in the previous window and again in the current one ÷ customers "
                         "active in the previous window. ≥ 85 %: healthy; < 70 %: structural problem; "
                         "in between: watch. By region, segment, product… (filter or breakdown), only that value's "
                         "orders count: a Paris customer is retained when they order again in Paris."),
        unit=Unit.PERCENT, datasets=("orders",), numerator="retained_customers", denominator="retention_base",
        thresholds=Thresholds(good=0.85, bad=0.70),
    ),
    # Revenue retention: the base window's customers weighed by their revenue (queries `revenue_retention`).
    Aggregate(
        id="base_revenue", label=_text("CA de base des clients", "Customers' base revenue"),
        definition=_text("Chiffre d'affaires, sur la fenêtre précédente, des clients qui y ont acheté (à date "
                         "pareil pendant une période en cours).",
                         "Revenue, in the previous window, of the customers who bought in it (to date alike while "
                         "a period is in progress)."),
        unit=Unit.CURRENCY, decimals=0, datasets=("orders",), source="revenue_retention",
        expression="SUM(f.base_revenue)",
    ),
    Aggregate(
        id="retained_revenue", label=_text("CA conservé des clients", "Revenue kept from customers"),
        definition=_text("Chiffre d'affaires de la fenêtre courante des clients de la fenêtre précédente (jamais "
                         "négatif par client).",
                         "Revenue in the current window from the previous window's customers (never negative per "
                         "customer)."),
        unit=Unit.CURRENCY, decimals=0, datasets=("orders",), source="revenue_retention", expression="SUM(f.revenue)",
    ),
    Aggregate(
        id="expansion_revenue", label=_text("Expansion du CA", "Expansion revenue"),
        definition=_text("Ce que les clients qui achètent plus qu'avant ont ajouté à leur chiffre d'affaires de base.",
                         "What the customers who buy more than before added to their base revenue."),
        unit=Unit.CURRENCY, decimals=0, datasets=("orders",), source="revenue_retention",
        expression="SUM(GREATEST(f.revenue - f.base_revenue, 0))",
    ),
    Aggregate(
        id="contraction_revenue", label=_text("Contraction du CA", "Contraction revenue"),
        definition=_text("Ce que les clients restés mais qui achètent moins ont retiré à leur chiffre d'affaires de "
                         "base.", "What the customers who stayed but buy less took off their base revenue."),
        unit=Unit.CURRENCY, decimals=0, higher_is_better=False, datasets=("orders",), source="revenue_retention",
        expression="SUM(f.base_revenue - f.revenue) FILTER (WHERE f.revenue > 0 AND f.revenue < f.base_revenue)",
    ),
    Aggregate(
        id="churned_revenue", label=_text("CA perdu (clients partis)", "Churned revenue"),
        definition=_text("Chiffre d'affaires de base des clients qui n'ont rien acheté sur la fenêtre courante.",
                         "Base revenue of the customers who bought nothing in the current window."),
        unit=Unit.CURRENCY, decimals=0, higher_is_better=False, datasets=("orders",), source="revenue_retention",
        expression="SUM(f.base_revenue) FILTER (WHERE f.revenue <= 0)",
    ),
    Aggregate(
        id="kept_base_revenue", label=_text("CA de base conservé", "Base revenue kept"),
        definition=_text("Pour chaque client de la fenêtre précédente, le plus petit de ses chiffres d'affaires de "
                         "base et courant : ce qui est resté, expansion non comptée.",
                         "For each customer of the previous window, the smaller of their base and current revenue: "
                         "what stayed, expansion left out."),
        unit=Unit.CURRENCY, decimals=0, datasets=("orders",), source="revenue_retention",
        expression="SUM(LEAST(f.revenue, f.base_revenue))",
    ),
    Ratio(
        id="net_revenue_retention", label=_text("Rétention nette du CA (NRR)", "Net revenue retention (NRR)"),
        definition=_text("CA conservé des clients de la fenêtre précédente ÷ leur CA de base = 100 % + expansion − "
                         "contraction − CA perdu. Au-dessus de 100 %, les clients existants font grandir le chiffre "
                         "d'affaires sans aucun nouveau client.",
                         "Revenue kept from the previous window's customers ÷ their base revenue = 100 % + expansion "
                         "− contraction − churned revenue. Above 100 %, existing customers grow revenue without any "
                         "new customer."),
        unit=Unit.PERCENT, datasets=("orders",), numerator="retained_revenue", denominator="base_revenue",
        min_denominator=None, exceeds_one=True,
    ),
    Ratio(
        id="gross_revenue_retention", label=_text("Rétention brute du CA (GRR)", "Gross revenue retention (GRR)"),
        definition=_text("CA de base conservé ÷ CA de base = 100 % − contraction − CA perdu : ce que la base garde, "
                         "sans compter l'expansion ; jamais au-dessus de 100 %.",
                         "Base revenue kept ÷ base revenue = 100 % − contraction − churned revenue: what the base "
                         "keeps, expansion left out; never above 100 %."),
        unit=Unit.PERCENT, datasets=("orders",), numerator="kept_base_revenue", denominator="base_revenue",
        min_denominator=None,
    ),
    # Funnel
    Aggregate(
        id="deals_created", label=_text("Affaires créées", "Deals created"),
        definition=_text("Affaires créées sur la période : elles ont toutes atteint la première étape.",
                         "Deals created in the period: all of them reached the first stage."),
        unit=Unit.COUNT, datasets=("deals",), source="deals_created", expression="COUNT(*)",
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
        definition=_text("Pour chaque étape, parmi les affaires créées sur la période qui l'ont atteinte et l'ont "
                         "quittée (passées à l'étape suivante ou perdues à cette étape) : la part passée à l'étape "
                         "suivante. Une affaire encore ouverte à l'étape n'a ni converti ni échoué et ne compte pas. "
                         f"Taux non affiché sous {MATURITY.min_decided} affaires décidées ou si plus de "
                         f"{_OPEN_MAX} des affaires de l'étape sont encore ouvertes ; provisoire "
                         f"sous {MATURITY.small_decided} ou au-delà de {_OPEN_PROVISIONAL}. 100 "
                         "contacts → 25 rendez-vous (25 %) → 10 propositions (40 %).",
                         "For each stage, among the deals created in the period that reached it and left it (moved on "
                         "to the next stage or were lost there): the share that moved on. A deal still open at the "
                         f"stage has neither converted nor failed and does not count. Not shown under "
                         f"{MATURITY.min_decided} decided deals or while more than {_OPEN_MAX} of "
                         f"the stage's deals are still open; provisional under {MATURITY.small_decided} or above "
                         f"{_OPEN_PROVISIONAL}. 100 contacted → 25 meetings (25 %) → 10 proposals "
                         "(40 %)."),
        unit=Unit.PERCENT, datasets=("deals",),
    ),
    Conversion(
        id="overall_conversion", label=_text("Conversion globale", "Overall conversion"),
        definition=_text("Part des affaires créées sur la période qui iront de la première à la dernière étape : "
                         "produit des conversions par étape (chacune comptée sur les affaires qui ont quitté "
                         "l'étape). Non affichée tant qu'une étape n'est pas lisible.",
                         "Share of the deals created in the period that go from the first stage to the last: the "
                         "product of the stage-to-stage conversions (each counted on the deals that left the stage). "
                         "Not shown while one stage cannot be read."),
        unit=Unit.PERCENT, datasets=("deals",),
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
    Aggregate(
        id="won_amount", label=_text("Montant signé", "Amount won"),
        definition=_text("Montant des affaires gagnées clôturées sur la période.",
                         "Amount of the won deals closed in the period."),
        unit=Unit.CURRENCY, decimals=0, datasets=("deals",), requires=("deals.amount",), source="deals_closed",
        expression="SUM(f.amount) FILTER (WHERE f.status = 'won')",
    ),
    Ratio(
        id="avg_won_deal", label=_text("Montant moyen d'une affaire gagnée", "Average won deal"),
        definition=_text("Montant signé ÷ affaires gagnées sur la période : le panier d'une vente du pipeline.",
                         "Amount won ÷ deals won in the period: the basket of a pipeline sale."),
        unit=Unit.CURRENCY, decimals=0, datasets=("deals",), numerator="won_amount", denominator="deals_won",
    ),
    Ratio(
        id="win_rate", label=_text("Taux de signature", "Win rate"),
        definition=_text("Affaires gagnées ÷ affaires clôturées (gagnées + perdues) sur la période.",
                         "Won deals ÷ closed (won + lost) deals closed in the period."),
        unit=Unit.PERCENT, datasets=("deals",), numerator="deals_won", denominator="deals_closed",
    ),
)

CATALOG += (
    # Weekly activity
    Aggregate(
        id="contacts_volume", label=_text("Prises de contact", "Contacts made"),
        definition=_text("Appels et e-mails de prospection passés sur la période.",
                         "Prospecting calls and e-mails made in the period."),
        unit=Unit.COUNT, datasets=("activities",), source="activities",
        expression="COUNT(*) FILTER (WHERE f.activity_type IN ('call', 'email'))",
    ),
    Aggregate(
        id="calls_count", label=_text("Appels", "Calls"),
        definition=_text("Appels passés sur la période.", "Calls made in the period."),
        unit=Unit.COUNT, datasets=("activities",), source="activities",
        expression="COUNT(*) FILTER (WHERE f.activity_type = 'call')",
    ),
    Aggregate(
        id="meetings_set", label=_text("Rendez-vous obtenus", "Meetings set"),
        definition=_text("Prises de contact qui ont décroché un rendez-vous.", "Contacts that set a meeting."),
        unit=Unit.COUNT, datasets=("activities",), source="activities",
        expression="COUNT(*) FILTER (WHERE f.meeting_set AND f.activity_type IN ('call', 'email'))",
    ),
    Ratio(
        id="meeting_rate", label=_text("Taux de prise de rendez-vous", "Meeting rate"),
        definition=_text("Rendez-vous obtenus ÷ prises de contact (appels et e-mails).",
                         "Meetings set ÷ contacts made (calls and e-mails)."),
        unit=Unit.PERCENT, datasets=("activities",), numerator="meetings_set", denominator="contacts_volume",
    ),
    Aggregate(
        id="leads_created", label=_text("Leads reçus", "Leads received"),
        definition=_text("Leads créés sur la période.", "Leads created in the period."),
        unit=Unit.COUNT, datasets=("leads",), source="leads", expression="COUNT(*)",
    ),
    Aggregate(
        id="lead_response_time", label=_text("Délai médian de réponse aux leads", "Median lead response time"),
        definition=_text("Médiane, en heures, du temps entre l'arrivée d'un lead et la première réponse ; la "
                         "moitié des leads attend plus longtemps.",
                         "Median hours between a lead's arrival and the first response; half the leads wait "
                         "longer."),
        unit=Unit.HOURS, decimals=1, higher_is_better=False, datasets=("leads",), source="leads", empty_value=None,
        expression="quantile_cont(date_diff('second', f.created_at, f.first_response_at) / 3600.0, 0.5)",
    ),
    Aggregate(
        id="lead_response_time_p90", label=_text("Délai de réponse aux leads au 90e centile",
                                                 "90th-percentile lead response time"),
        definition=_text("90e centile, en heures : 9 leads sur 10 ont une réponse dans ce délai, le dernier "
                         "attend plus.", "90th percentile in hours: 9 leads in 10 get an answer within it."),
        unit=Unit.HOURS, decimals=1, higher_is_better=False, datasets=("leads",), source="leads", empty_value=None,
        expression="quantile_cont(date_diff('second', f.created_at, f.first_response_at) / 3600.0, 0.9)",
    ),
    # Monthly team
    Aggregate(
        id="mql_count", label=_text("Leads marketing qualifiés (MQL)", "Marketing-qualified leads (MQL)"),
        definition=_text("Leads créés sur la période et qualifiés par le marketing.",
                         "Leads created in the period and qualified by marketing."),
        unit=Unit.COUNT, datasets=("leads",), source="leads", expression="COUNT(*) FILTER (WHERE f.is_mql)",
    ),
    Aggregate(
        id="leads_qualified", label=_text("Leads qualifiés", "Qualified leads"),
        definition=_text("Leads créés sur la période et qualifiés par l'équipe commerciale.",
                         "Leads created in the period and qualified by sales."),
        unit=Unit.COUNT, datasets=("leads",), requires=("leads.is_qualified",), source="leads",
        expression="COUNT(*) FILTER (WHERE f.is_qualified)",
    ),
    Aggregate(
        id="leads_contacted", label=_text("Leads contactés", "Leads contacted"),
        definition=_text("Leads créés sur la période qui ont eu une première réponse.",
                         "Leads created in the period that got a first response."),
        unit=Unit.COUNT, datasets=("leads",), requires=("leads.first_response_at",), source="leads",
        expression="COUNT(*) FILTER (WHERE f.first_response_at IS NOT NULL)",
    ),
    Aggregate(
        id="leads_contacted_qualified", label=_text("Leads contactés et qualifiés", "Leads contacted and qualified"),
        definition=_text("Leads créés sur la période, contactés et qualifiés par l'équipe commerciale.",
                         "Leads created in the period, contacted and qualified by sales."),
        unit=Unit.COUNT, datasets=("leads",), requires=("leads.first_response_at", "leads.is_qualified"),
        source="leads", expression="COUNT(*) FILTER (WHERE f.first_response_at IS NOT NULL AND f.is_qualified)",
    ),
    Ratio(
        id="bdr_capacity", label=_text("Taux de qualification des BDR", "BDR qualification rate"),
        definition=_text("Leads qualifiés ÷ leads contactés, parmi les leads créés sur la période, par commercial de "
                         "prospection (BDR).",
                         "Qualified leads ÷ leads contacted, among the leads created in the period, per business "
                         "development rep."),
        unit=Unit.PERCENT, datasets=("leads",), numerator="leads_contacted_qualified",
        denominator="leads_contacted",
    ),
    Aggregate(
        id="leads_qualified_converted", label=_text("Leads qualifiés devenus clients",
                                                    "Qualified leads turned customers"),
        definition=_text("Leads créés sur la période, qualifiés puis devenus clients.",
                         "Leads created in the period, qualified, then turned customers."),
        unit=Unit.COUNT, datasets=("leads",), requires=("leads.is_qualified", "leads.converted"), source="leads",
        expression="COUNT(*) FILTER (WHERE f.is_qualified AND f.converted)",
    ),
    Ratio(
        id="ae_capacity", label=_text("Taux de signature des AE", "AE close rate"),
        definition=_text("Leads qualifiés devenus clients ÷ leads qualifiés, parmi les leads créés sur la période, "
                         "par commercial chargé de conclure (AE).",
                         "Qualified leads turned customers ÷ qualified leads, among the leads created in the period, "
                         "per account executive."),
        unit=Unit.PERCENT, datasets=("leads",), numerator="leads_qualified_converted",
        denominator="leads_qualified",
    ),
    Aggregate(
        id="deals_won_of_created", label=_text("Affaires de la période gagnées", "Deals of the period won"),
        definition=_text("Affaires créées sur la période et gagnées depuis.",
                         "Deals created in the period and won since."),
        unit=Unit.COUNT, datasets=("deals",), source="deals_created",
        expression="COUNT(*) FILTER (WHERE f.status = 'won')",
    ),
    Ratio(
        id="win_rate_contacted", label=_text("Taux de signature (sur contactés)", "Win rate (of contacted)"),
        definition=_text("Parmi les prospects contactés (affaires créées) sur la période, la part gagnée depuis : la "
                         "définition de certaines équipes, plus basse que le taux sur affaires clôturées. Cohorte de "
                         f"création : non affiché tant que plus de {_OPEN_MAX} de ces affaires "
                         f"sont encore ouvertes, provisoire au-delà de {_OPEN_PROVISIONAL}.",
                         "Among the prospects contacted (deals created) in the period, the share won since: the "
                         "definition some teams use, lower than the rate on closed deals. Creation cohort: not shown "
                         f"while more than {_OPEN_MAX} of these deals are still open, provisional "
                         f"above {_OPEN_PROVISIONAL}."),
        unit=Unit.PERCENT, datasets=("deals",), numerator="deals_won_of_created", denominator="deals_created",
        pending="deals_open",
    ),
    # Pipeline health
    Aggregate(
        id="sales_cycle_days", label=_text("Cycle de vente (médiane)", "Sales cycle (median)"),
        definition=_text("Médiane des jours entre la création et la signature des affaires gagnées sur la période.",
                         "Median days from creation to signature of the deals won in the period."),
        unit=Unit.DAYS, decimals=0, higher_is_better=False, datasets=("deals",), source="deals_closed",
        empty_value=None,
        expression="quantile_cont(date_diff('day', f.created_date, f.closed_date), 0.5) "
                   "FILTER (WHERE f.status = 'won')",
    ),
    Table(
        id="lost_reasons", label=_text("Raisons de perte", "Lost reasons"),
        definition=_text("Affaires perdues sur la période par raison, en nombre et en montant.",
                         "Deals lost in the period by reason, count and amount."),
        unit=Unit.COUNT, datasets=("deals",),
    ),
    Table(
        id="time_in_stage", label=_text("Temps passé par étape", "Time in stage"),
        definition=_text("Jours médians entre l'entrée dans une étape et l'entrée dans la suivante, pour les affaires "
                         "créées sur la période ; il faut une date d'entrée par étape dans les données (comme les "
                         "colonnes « Date entered » de HubSpot).",
                         "Median days from entering a stage to entering the next, for the deals created in the "
                         "period; needs one entry date per stage in the data (like HubSpot's “Date entered” "
                         "columns)."),
        unit=Unit.DAYS, higher_is_better=False, datasets=("deals",),
    ),
    Aggregate(
        id="open_pipeline", label=_text("Pipeline ouvert", "Open pipeline"),
        definition=_text("Montant des affaires encore ouvertes à la fin de la période.",
                         "Amount of the deals still open at the end of the period."),
        unit=Unit.CURRENCY, decimals=0, datasets=("deals",), requires=("deals.amount",), source="deals_open_at_end",
        expression="SUM(f.amount)",
    ),
    # Sales velocity: how much revenue the pipeline produces per day, and its four drivers (bridge.VELOCITY).
    Aggregate(
        id="open_deals", label=_text("Affaires ouvertes", "Open deals"),
        definition=_text("Affaires créées avant la fin de la période et encore ouvertes à cette date.",
                         "Deals created before the end of the period and still open at that date."),
        unit=Unit.COUNT, datasets=("deals",), source="deals_open_at_end", expression="COUNT(*)",
    ),
    Product(
        id="expected_pipeline_value", label=_text("Valeur attendue du pipeline", "Expected pipeline value"),
        definition=_text("Affaires ouvertes × taux de signature × montant moyen d'une affaire gagnée : ce que les "
                         "affaires en cours rapporteront si elles se signent comme celles de la période.",
                         "Open deals × win rate × average won deal: what the deals in progress will bring if they "
                         "close like the period's."),
        unit=Unit.CURRENCY, decimals=0, datasets=("deals",), factors=("open_deals", "win_rate", "avg_won_deal"),
    ),
    Ratio(
        id="sales_velocity", label=_text("Vélocité commerciale (par jour)", "Sales velocity (per day)"),
        definition=_text("Affaires ouvertes × taux de signature × montant moyen d'une affaire gagnée ÷ cycle de "
                         "vente en jours : le chiffre d'affaires que le pipeline produit chaque jour. Quatre leviers "
                         "la font monter : plus d'affaires, un meilleur taux, de plus grosses affaires, un cycle "
                         "plus court.",
                         "Open deals × win rate × average won deal ÷ sales cycle in days: the revenue the pipeline "
                         "produces each day. Four levers raise it: more deals, a better rate, bigger deals, a "
                         "shorter cycle."),
        unit=Unit.CURRENCY, decimals=0, datasets=("deals",), numerator="expected_pipeline_value",
        denominator="sales_cycle_days", min_denominator=None,
    ),
    # Targets
    Aggregate(
        id="target", label=_text("Objectif", "Target"),
        definition=_text("Objectif de chiffre d'affaires de la période : somme des objectifs mensuels ; une semaine "
                         "porte la part de l'objectif du mois qui correspond à ses jours ouvrés.",
                         "Revenue target of the period: sum of the monthly targets; a week carries the share of "
                         "its month's target that its working days represent."),
        unit=Unit.CURRENCY, decimals=0, higher_is_better=None, datasets=("targets",), source="targets",
        empty_value=None, expression="SUM(f.target) FILTER (WHERE COALESCE(f.kpi, 'revenue') = 'revenue')",
    ),
    Ratio(
        id="target_attainment", label=_text("Atteinte de l'objectif", "Target attainment"),
        definition=_text("Chiffre d'affaires ÷ objectif de la période.", "Revenue ÷ the period's target."),
        unit=Unit.PERCENT, datasets=("orders", "targets"), numerator="revenue", denominator="target",
        min_denominator=None, exceeds_one=True,
    ),
    Difference(
        id="remaining_to_target", label=_text("Reste à faire", "Remaining to target"),
        definition=_text("Objectif − chiffre d'affaires déjà fait sur la période (zéro une fois l'objectif "
                         "dépassé).", "Target − revenue already made in the period (zero once it is passed)."),
        unit=Unit.CURRENCY, decimals=0, higher_is_better=False, datasets=("orders", "targets"),
        minuend="target", subtrahend="revenue",
    ),
    WorkingDays(
        id="working_days", label=_text("Jours ouvrés de la période", "Working days in the period"),
        definition=_text("Du lundi au vendredi, jours fériés français exclus.",
                         "Monday to Friday, French public holidays excluded."),
        unit=Unit.DAYS, decimals=0, higher_is_better=None, datasets=(), span="period",
    ),
    WorkingDays(
        id="working_days_elapsed", label=_text("Jours ouvrés écoulés", "Working days elapsed"),
        definition=_text("Jours ouvrés de la période jusqu'au dernier jour des données inclus.",
                         "Working days of the period up to the data's last day, included."),
        unit=Unit.DAYS, decimals=0, higher_is_better=None, datasets=(), span="elapsed",
    ),
    WorkingDays(
        id="working_days_left", label=_text("Jours ouvrés restants", "Working days left"),
        definition=_text("Jours ouvrés de la période après le dernier jour des données.",
                         "Working days of the period after the data's last day."),
        unit=Unit.DAYS, decimals=0, higher_is_better=None, datasets=(), span="left",
    ),
    Ratio(
        id="daily_revenue", label=_text("CA par jour ouvré", "Revenue per working day"),
        definition=_text("Chiffre d'affaires ÷ jours ouvrés écoulés : le rythme actuel.",
                         "Revenue ÷ working days elapsed: the current pace."),
        unit=Unit.CURRENCY, decimals=0, datasets=("orders",), numerator="revenue",
        denominator="working_days_elapsed", min_denominator=None,
    ),
    Product(
        id="revenue_projection", label=_text("Atterrissage prévu", "Projected revenue"),
        definition=_text("Chiffre d'affaires attendu en fin de période au rythme actuel : CA par jour ouvré × "
                         "jours ouvrés de la période (le CA réel une fois la période finie).",
                         "Revenue expected at the end of the period at the current pace: revenue per working day × "
                         "working days of the period (the actual revenue once the period is over)."),
        unit=Unit.CURRENCY, decimals=0, datasets=("orders",), factors=("daily_revenue", "working_days"),
    ),
    Ratio(
        id="projected_attainment", label=_text("Atteinte prévue", "Projected attainment"),
        definition=_text("Atterrissage prévu ÷ objectif : où la période finira au rythme actuel.",
                         "Projected revenue ÷ target: where the period will end at the current pace."),
        unit=Unit.PERCENT, datasets=("orders", "targets"), numerator="revenue_projection", denominator="target",
        min_denominator=None, exceeds_one=True, thresholds=Thresholds(good=1.0, bad=0.9),
    ),
    Ratio(
        id="run_rate_needed", label=_text("CA à faire par jour ouvré restant", "Revenue needed per working day left"),
        definition=_text("Reste à faire ÷ jours ouvrés restants : le rythme à tenir pour atteindre l'objectif.",
                         "Remaining to target ÷ working days left: the pace that reaches the target."),
        unit=Unit.CURRENCY, decimals=0, higher_is_better=False, datasets=("orders", "targets"),
        numerator="remaining_to_target", denominator="working_days_left", min_denominator=None,
    ),
    Ratio(
        id="pipeline_coverage", label=_text("Couverture du pipeline", "Pipeline coverage"),
        definition=_text("Pipeline ouvert ÷ reste à faire : combien de fois les affaires en cours couvrent ce "
                         "qu'il reste à signer (3× est un repère courant).",
                         "Open pipeline ÷ remaining to target: how many times the deals in progress cover what is "
                         "left to sign (3× is a common benchmark)."),
        unit=Unit.RATIO, decimals=1, datasets=("deals", "orders", "targets"), numerator="open_pipeline",
        denominator="remaining_to_target", min_denominator=None,
    ),
    Estimate(
        id="revenue_forecast", label=_text("Prévision de fin de période", "End-of-period forecast"),
        definition=_text("Chiffre d'affaires attendu à la fin de la période en cours : déjà facturé + chaque affaire "
                         "ouverte × la probabilité, apprise sur vos affaires des 12 derniers mois, qu'une affaire à "
                         "son étape et à son âge soit signée avant la fin + ce que les commandes hors de ces affaires "
                         "ont apporté sur les mêmes derniers jours des périodes passées. Intervalle à 80 %.",
                         "Revenue expected at the end of the period in progress: already invoiced + each open deal × "
                         "the probability, learned from your deals of the last 12 months, that a deal at its stage "
                         "and age is won before the end + what orders beyond those deals brought in the same last "
                         "days of past periods. 80% interval."),
        unit=Unit.CURRENCY, decimals=0, datasets=("orders", "deals"), requires=("deals.status", "deals.amount"),
    ),
    # Quarterly economics
    Aggregate(
        id="marketing_spend", label=_text("Dépenses commerciales et marketing", "Sales and marketing spend"),
        definition=_text("Dépenses commerciales et marketing des mois de la période.",
                         "Sales and marketing spend of the period's months."),
        unit=Unit.CURRENCY, decimals=0, higher_is_better=False, datasets=("spend",), source="spend",
        expression="SUM(f.amount)",
    ),
    Aggregate(
        id="new_customers", label=_text("Nouveaux clients", "New customers"),
        definition=_text("Clients dont la toute première commande tombe dans la période ; par région, segment, "
                         "produit… (filtre ou ventilation), leur première commande de cette valeur.",
                         "Customers whose very first order falls in the period; by region, segment, product… (filter "
                         "or breakdown), their first order of that value."),
        unit=Unit.COUNT, datasets=("orders",), source="new_customers", expression="COUNT(DISTINCT f.customer_id)",
    ),
    Ratio(
        id="cac", label=_text("Coût d'acquisition client (CAC)", "Customer acquisition cost (CAC)"),
        definition=_text("Dépenses commerciales et marketing ÷ nouveaux clients de la période.",
                         "Sales and marketing spend ÷ new customers of the period."),
        unit=Unit.CURRENCY, decimals=0, higher_is_better=False, datasets=("spend", "orders"),
        numerator="marketing_spend", denominator="new_customers",
    ),
    Aggregate(
        id="lifetime_revenue", label=_text("Chiffre d'affaires cumulé", "Cumulative revenue"),
        definition=_text("Chiffre d'affaires de toutes les commandes jusqu'à la fin de la période.",
                         "Revenue of every order up to the end of the period."),
        unit=Unit.CURRENCY, decimals=0, datasets=("orders",), source="orders_to_date", expression="SUM(f.amount)",
    ),
    Aggregate(
        id="lifetime_customer_revenue", label=_text("CA cumulé des clients identifiés",
                                                    "Cumulative revenue from identified customers"),
        definition=_text("Chiffre d'affaires des commandes avec code client jusqu'à la fin de la période.",
                         "Revenue of orders with a customer id up to the end of the period."),
        unit=Unit.CURRENCY, decimals=0, datasets=("orders",), source="orders_to_date",
        expression="SUM(f.amount) FILTER (WHERE f.customer_id IS NOT NULL)",
    ),
    Aggregate(
        id="lifetime_customers", label=_text("Clients depuis le début", "Customers to date"),
        definition=_text("Clients ayant passé au moins une commande jusqu'à la fin de la période.",
                         "Customers with at least one order up to the end of the period."),
        unit=Unit.COUNT, datasets=("orders",), source="orders_to_date",
        expression="COUNT(DISTINCT f.customer_id) FILTER (WHERE f.order_total > 0)",
    ),
    Ratio(
        id="ltv", label=_text("Valeur client (LTV, cumulée)", "Customer lifetime value (LTV, cumulative)"),
        definition=_text("Chiffre d'affaires cumulé des clients identifiés ÷ clients depuis le début, jusqu'à la "
                         "fin de la période.",
                         "Cumulative revenue from identified customers ÷ customers to date, up to the end of the "
                         "period."),
        unit=Unit.CURRENCY, decimals=0, datasets=("orders",), numerator="lifetime_customer_revenue",
        denominator="lifetime_customers",
    ),
    Ratio(
        id="revenue_per_customer", label=_text("Chiffre d'affaires par client actif", "Revenue per active customer"),
        definition=_text("Chiffre d'affaires des clients identifiés ÷ clients actifs.",
                         "Revenue from identified customers ÷ active customers."),
        unit=Unit.CURRENCY, decimals=0, datasets=("orders",), numerator="customer_revenue",
        denominator="active_customers",
    ),
    Aggregate(
        id="lost_customers", label=_text("Clients perdus", "Customers lost"),
        definition=_text("Clients de la fenêtre précédente qui n'ont pas recommandé sur la fenêtre courante.",
                         "Customers of the previous window who did not order again in the current one."),
        unit=Unit.COUNT, higher_is_better=False, datasets=("orders",), source="retention",
        expression="COUNT(*) FILTER (WHERE NOT f.retained)",
    ),
    Ratio(
        id="churn_rate", label=_text("Taux d'attrition", "Churn rate"),
        definition=_text("Clients perdus ÷ clients de la fenêtre précédente (1 − taux de rétention).",
                         "Customers lost ÷ customers of the previous window (1 − retention rate)."),
        unit=Unit.PERCENT, higher_is_better=False, datasets=("orders",), numerator="lost_customers",
        denominator="retention_base",
    ),
    Ratio(
        id="ltv_predictive", label=_text("Valeur client (LTV, prédictive)", "Customer lifetime value (predictive)"),
        definition=_text("Panier moyen × commandes par client sur la période ÷ taux d'attrition : ce qu'un client "
                         "rapporte s'il reste en moyenne 1 ÷ attrition périodes.",
                         "Average basket × orders per customer in the period ÷ churn rate: what a customer brings "
                         "if they stay 1 ÷ churn periods on average."),
        unit=Unit.CURRENCY, decimals=0, datasets=("orders",), numerator="revenue_per_customer",
        denominator="churn_rate", min_denominator=None,
    ),
    Ratio(
        id="ltv_cac_ratio", label=_text("Ratio LTV / CAC", "LTV / CAC ratio"),
        definition=_text("Valeur client cumulée ÷ coût d'acquisition : au-dessus de 3, l'acquisition est "
                         "rentable ; sous 1, chaque client coûte plus qu'il ne rapporte.",
                         "Cumulative lifetime value ÷ acquisition cost: above 3 acquisition pays; below 1 each "
                         "customer costs more than they bring."),
        unit=Unit.RATIO, decimals=1, datasets=("orders", "spend"), numerator="ltv", denominator="cac",
        min_denominator=None,
    ),
    Aggregate(
        id="revenue_growth_annualised", label=_text("Croissance du CA annualisée", "Annualised revenue growth"),
        definition=_text("(Chiffre d'affaires de la période − celui de la période précédente, à date) × nombre de "
                         "périodes dans l'année.",
                         "(Revenue of the period − that of the previous one, to date) × periods in a year."),
        unit=Unit.CURRENCY, decimals=0, datasets=("orders",), source="orders_two_periods",
        expression="(COALESCE(SUM(f.amount) FILTER (WHERE f.in_current), 0) "
                   "- COALESCE(SUM(f.amount) FILTER (WHERE NOT f.in_current), 0)) * $periods_per_year",
    ),
    Aggregate(
        id="previous_spend", label=_text("Dépenses de la période précédente", "Previous period's spend"),
        definition=_text("Dépenses commerciales et marketing de la période précédente.",
                         "Sales and marketing spend of the previous period."),
        unit=Unit.CURRENCY, decimals=0, higher_is_better=False, datasets=("spend",), source="spend_previous",
        expression="SUM(f.amount)",
    ),
    Ratio(
        id="magic_number", label=_text("Nombre magique (magic number)", "Magic number"),
        definition=_text("(CA du trimestre − CA du trimestre précédent) × 4 ÷ dépenses commerciales et marketing "
                         "du trimestre précédent : le chiffre d'affaires annuel gagné par euro dépensé. Au-dessus "
                         "de 0,75, investir davantage se justifie.",
                         "(Quarter revenue − previous quarter revenue) × 4 ÷ previous quarter's sales and marketing "
                         "spend: annual revenue gained per euro spent. Above 0.75, spending more is justified."),
        unit=Unit.RATIO, decimals=2, datasets=("orders", "spend"), numerator="revenue_growth_annualised",
        denominator="previous_spend", min_denominator=None,
    ),
)

KPIS: dict[str, Kpi] = {kpi.id: kpi for kpi in CATALOG}


Extra = Mapping[str, Kpi] | None  # a user's own KPIs (custom.py), looked up before the catalog


def get(kpi_id: str, extra: Extra = None) -> Kpi:
    if extra and kpi_id in extra:
        return extra[kpi_id]
    try:
        return KPIS[kpi_id]
    except KeyError:
        raise KeyError(f"unknown KPI: {kpi_id!r}") from None


def table_columns(kpi_ids, lang: str, extra: Extra = None) -> dict[str, tuple]:
    """`formatting.format_table` columns for KPIs: label, unit and decimals from their declaration."""
    return {k: (get(k, extra).label[lang], get(k, extra).unit, get(k, extra).decimals) for k in kpi_ids}


def dependencies(kpi_id: str, extra: Extra = None) -> list[str]:
    """The KPI and every KPI it is computed from, inputs first."""
    return [*(dependency for part in parts(get(kpi_id, extra)) for dependency in dependencies(part, extra)), kpi_id]


def parts(kpi: Kpi) -> tuple[str, ...]:
    """The catalog KPIs a ratio or a difference is computed from."""
    if isinstance(kpi, Ratio):
        return (kpi.numerator, kpi.denominator) + ((kpi.pending,) if kpi.pending else ())
    if isinstance(kpi, Difference):
        return kpi.minuend, kpi.subtrahend
    if isinstance(kpi, Product):
        return kpi.factors
    return ()


_PARAMETER = re.compile(r"\$([a-z_][a-z0-9_]*)")
# The only session values an expression may bind.
SQL_PARAMETERS = {"stage_count", "periods_per_year", *MATURITY.params()}


def check(catalog: tuple[Kpi, ...] = CATALOG, known: dict[str, Kpi] | None = None) -> list[str]:
    """Every inconsistency of a catalog; empty when it is sound. With `known` (KPIs already checked, by id), only
    `catalog`'s KPIs are checked, their parts looked up there too: linear in the KPIs added."""
    problems = []
    ids = Counter(kpi.id for kpi in catalog)
    own = {kpi.id: kpi for kpi in catalog}
    known = known or {}
    for kpi in catalog:
        if ids[kpi.id] > 1 or known.get(kpi.id, kpi) is not kpi:
            problems.append(f"{kpi.id}: declared twice")
        if not re.fullmatch(r"[a-z][a-z0-9_]*", kpi.id):
            problems.append(f"{kpi.id}: id is not snake_case")
        for lang in ("fr", "en"):
            if not kpi.label.get(lang) or not kpi.definition.get(lang):
                problems.append(f"{kpi.id}: label or definition missing in {lang}")
        if not (kpi.datasets or isinstance(kpi, WorkingDays)) or set(kpi.datasets) - set(DATASETS):
            problems.append(f"{kpi.id}: datasets must be canonical datasets")
        for required in kpi.requires:
            dataset, _, name = required.partition(".")
            if dataset not in kpi.datasets or name not in {spec.name for spec in fields(dataset)}:
                problems.append(f"{kpi.id}: requires an unknown field {required!r}")
        if isinstance(kpi, Product) and len(kpi.factors) < 2:
            problems.append(f"{kpi.id}: a product needs two factors or more")
        if isinstance(kpi, WorkingDays) and kpi.span not in WORKING_DAYS:
            problems.append(f"{kpi.id}: unknown span {kpi.span!r}")
        if kpi.thresholds and (kpi.thresholds.good < kpi.thresholds.bad) == kpi.higher_is_better:
            problems.append(f"{kpi.id}: thresholds contradict its direction")
        if isinstance(kpi, Aggregate | Conversion):
            if kpi.source not in SOURCES:
                problems.append(f"{kpi.id}: unknown source {kpi.source!r}")
            elif SOURCES[kpi.source].dataset not in kpi.datasets:
                problems.append(f"{kpi.id}: source dataset not among its datasets")
        if isinstance(kpi, Aggregate):
            if set(_PARAMETER.findall(kpi.expression)) - SQL_PARAMETERS - {name for name, _ in kpi.params}:
                problems.append(f"{kpi.id}: expression binds an unknown parameter")
        for part in parts(kpi):
            found = own.get(part) or known.get(part)
            if found is None:
                problems.append(f"{kpi.id}: {part!r} is not in the catalog")
            elif isinstance(found, Structured):
                problems.append(f"{kpi.id}: {part!r} is not a number per window")
            elif not set(found.datasets) <= set(kpi.datasets):
                problems.append(f"{kpi.id}: needs the datasets of {part!r}")
    return problems


_problems = check()
if _problems:
    raise ValueError("KPI catalog is inconsistent: " + "; ".join(_problems))
