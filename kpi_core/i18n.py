"""The French/English catalog of every user-facing sentence (KPI names live in the KPI catalog)."""

from __future__ import annotations

DEFAULT_LANGUAGE = "fr"

MESSAGES: dict[str, tuple[str, str]] = {
    # Navigation
    "app.title": ("Boussole — indicateurs commerciaux", "Boussole — sales KPIs"),
    "section.data": ("Données", "Data"),
    "section.indicators": ("Indicateurs", "Indicators"),
    "section.analysis": ("Analyse", "Analysis"),
    "page.home": ("Tableau de bord", "Scorecard"),
    "page.data": ("Données chargées", "Loaded data"),
    "page.funnel": ("Entonnoir de vente", "Sales funnel"),
    "page.revenue": ("Chiffre d'affaires & panier", "Revenue & basket"),
    "page.retention": ("Rétention", "Retention"),
    # Sidebar
    "sidebar.language": ("Langue", "Language"),
    "sidebar.granularity": ("Période d'analyse", "Period granularity"),
    "sidebar.period": ("Période", "Period"),
    "sidebar.filters": ("Filtres", "Filters"),
    "sidebar.retention_window": ("Fenêtre de rétention (périodes)", "Retention window (periods)"),
    "sidebar.retention_help": (
        "Comparer les clients actifs sur ce nombre de périodes avec ceux des périodes précédentes "
        "(ex. 3 mois pour des clients B2B qui commandent chaque trimestre).",
        "Compare customers active over this many periods with those of the periods before "
        "(e.g. 3 months for B2B customers who order quarterly).",
    ),
    "granularity.week": ("Semaine", "Week"),
    "granularity.month": ("Mois", "Month"),
    "granularity.quarter": ("Trimestre", "Quarter"),
    "dimension.region": ("Région", "Region"),
    "dimension.segment": ("Segment", "Segment"),
    "dimension.rep": ("Commercial", "Sales rep"),
    "dimension.product": ("Produit", "Product"),
    "dimension.channel": ("Canal", "Channel"),
    "dimension.source": ("Source", "Source"),
    "filter.all": ("Tous", "All"),
    # Sample data and empty states
    "sample.banner": (
        "Vous explorez les **données d'exemple** d'une PME fictive (Compas Industrie). "
        "Chargez vos propres exports pour voir vos chiffres.",
        "You are exploring the **sample data** of a fictional company (Compas Industrie). "
        "Load your own exports to see your numbers.",
    ),
    "sample.use_own": ("Utiliser mes fichiers", "Use my own files"),
    "sample.restore": ("Revenir aux données d'exemple", "Back to the sample data"),
    "empty.dataset": (
        "Cette page a besoin des données « {datasets} », qui ne sont pas chargées. "
        "Chargez-les depuis la page Données, ou revenez aux données d'exemple.",
        "This page needs the “{datasets}” data, which is not loaded. "
        "Load it from the Data page, or go back to the sample data.",
    ),
    "empty.period": ("Aucune donnée sur cette période avec ces filtres.", "No data in this period with these filters."),
    # Values that cannot be computed
    "reason.missing_dataset": ("données « {datasets} » non chargées", "“{datasets}” data not loaded"),
    "reason.zero_denominator": ("{kpi} = 0 sur la période", "{kpi} = 0 in the period"),
    "reason.no_observation": ("aucune observation sur la période", "no observation in the period"),
    "reason.not_a_number": ("indicateur non numérique", "not a single number"),
    # Cards
    "card.vs_previous": ("vs période précédente", "vs previous period"),
    "card.vs_last_year": ("vs N-1 : {change}", "vs last year: {change}"),
    "card.small_sample": ("⚠ petit échantillon ({count} observations)", "⚠ small sample ({count} observations)"),
    "card.partial": (
        "Période en cours : comparée à date ({days} premiers jours de chaque période).",
        "Period in progress: compared to date (first {days} days of each period).",
    ),
    "status.good": ("sain", "healthy"),
    "status.watch": ("à surveiller", "watch"),
    "status.problem": ("problème structurel", "structural problem"),
    # Home
    "home.title": ("Tableau de bord — {period}", "Scorecard — {period}"),
    "home.diagnostics": ("Ce que disent les chiffres", "What the numbers say"),
    "home.trend": ("Évolution sur 12 périodes", "Trend over 12 periods"),
    # Diagnostics
    "diag.weakest.approach": (
        "Le maillon faible est le passage « {from_stage} → {to_stage} » ({conversion}) : un problème de "
        "qualification ou d'approche. Revoyez le ciblage et le premier message.",
        "The weakest link is “{from_stage} → {to_stage}” ({conversion}): a qualification or approach "
        "problem. Review the targeting and the first message.",
    ),
    "diag.weakest.closing": (
        "Le maillon faible est le passage « {from_stage} → {to_stage} » ({conversion}) : une argumentation "
        "insuffisante ou un prix mal ajusté. Travaillez les objections et la proposition de valeur.",
        "The weakest link is “{from_stage} → {to_stage}” ({conversion}): weak argumentation or ill-fitted "
        "pricing. Work on objections and the value proposition.",
    ),
    "diag.weakest.middle": (
        "Le maillon faible est le passage « {from_stage} → {to_stage} » ({conversion}) : les affaires "
        "calent en cours de cycle. Vérifiez la découverte du besoin et l'implication du décideur.",
        "The weakest link is “{from_stage} → {to_stage}” ({conversion}): deals stall mid-cycle. "
        "Check needs discovery and the decision-maker's involvement.",
    ),
    "diag.immature_funnel": (
        "{share} des affaires créées sur la période sont encore ouvertes : leur conversion n'est pas "
        "définitive et les dernières étapes paraissent plus faibles qu'elles ne le seront.",
        "{share} of the deals created in the period are still open: their conversion is not final yet and "
        "the last stages look weaker than they will be.",
    ),
    "diag.basket_decline": (
        "Le panier moyen baisse depuis {periods} périodes consécutives : vérifiez remises, mix produit et "
        "clients qui réduisent leurs commandes (souvent avant de partir).",
        "The average basket has fallen for {periods} consecutive periods: check discounts, product mix and "
        "customers ordering less (often before they leave).",
    ),
    "diag.retention.good": (
        "Rétention saine : {value} des clients de la fenêtre précédente sont revenus (seuil 85 %).",
        "Healthy retention: {value} of the previous window's customers came back (threshold 85 %).",
    ),
    "diag.retention.watch": (
        "Rétention à surveiller : {value} (entre 70 % et 85 %). Appelez les clients à risque.",
        "Retention to watch: {value} (between 70 % and 85 %). Call the at-risk customers.",
    ),
    "diag.retention.problem": (
        "Rétention faible : {value} (< 70 %), un problème structurel — offre, service ou suivi client.",
        "Low retention: {value} (< 70 %), a structural problem — offer, service or account follow-up.",
    ),
    "diag.revenue.up": (
        "Le chiffre d'affaires progresse de {change} par rapport à la période précédente.",
        "Revenue is up {change} on the previous period.",
    ),
    "diag.revenue.down": (
        "Le chiffre d'affaires recule de {change} par rapport à la période précédente.",
        "Revenue is down {change} on the previous period.",
    ),
    "diag.small_sample": (
        "{kpi} repose sur {count} observations seulement : à interpréter avec prudence.",
        "{kpi} rests on only {count} observations: read it with caution.",
    ),
    # Funnel
    "funnel.title": ("Entonnoir — {period}", "Funnel — {period}"),
    "funnel.derived": (
        "Entonnoir déduit de l'étape la plus avancée atteinte par chaque affaire créée sur la période "
        "(une affaire perdue compte comme ayant atteint l'étape où elle a été perdue).",
        "Funnel derived from the furthest stage reached by each deal created in the period "
        "(a lost deal counts as having reached the stage it was lost at).",
    ),
    "funnel.breakdown": ("Conversion d'étape en étape, par", "Stage-to-stage conversion, by"),
    "column.stage": ("Étape", "Stage"),
    "column.reached": ("Affaires ayant atteint l'étape", "Deals that reached the stage"),
    "column.conversion": ("Conversion depuis l'étape précédente", "Conversion from previous stage"),
    "column.period": ("Période", "Period"),
    "column.customer": ("Client", "Customer"),
    "column.orders_before": ("Commandes avant", "Orders before"),
    "column.orders_recent": ("Commandes récentes", "Recent orders"),
    "column.basket_before": ("Panier avant", "Basket before"),
    "column.basket_recent": ("Panier récent", "Recent basket"),
    "column.revenue_before": ("CA avant", "Revenue before"),
    "column.last_order": ("Dernière commande", "Last order"),
    "column.cohort": ("Cohorte", "Cohort"),
    "column.age": ("Périodes depuis la première commande", "Periods since first order"),
    "column.value": ("Valeur", "Value"),
    "column.kpi": ("Indicateur", "KPI"),
    "column.last_year": ("vs N-1", "vs last year"),
    # Revenue
    "revenue.title": ("Chiffre d'affaires & panier — {period}", "Revenue & basket — {period}"),
    "revenue.by": ("Répartir par", "Break down by"),
    # Retention
    "retention.title": ("Rétention — {period}", "Retention — {period}"),
    "retention.cohorts": ("Cohortes : part des clients encore actifs", "Cohorts: share of customers still active"),
    "retention.at_risk": ("Clients à risque", "At-risk customers"),
    "retention.at_risk_help": (
        "Clients dont le nombre de commandes a au moins diminué de moitié, ou le panier d'au moins 25 %, "
        "sur les {span} dernières périodes par rapport aux {span} précédentes. À appeler en priorité.",
        "Customers whose orders at least halved, or whose basket fell by at least 25 %, over the last "
        "{span} periods compared with the {span} before. Call them first.",
    ),
    "retention.none_at_risk": ("Aucun client à risque sur la période.", "No at-risk customer in the period."),
    # Loaded data page
    "data.title": ("Données chargées", "Loaded data"),
    "data.rows": ("{rows} lignes", "{rows} rows"),
    "data.missing": ("non chargé", "not loaded"),
    "data.range": ("Données du {first} au {last}", "Data from {first} to {last}"),
    "dataset.orders": ("Ventes / factures", "Orders / invoices"),
    "dataset.deals": ("Opportunités", "Deals"),
    "dataset.activities": ("Activités", "Activities"),
    "dataset.leads": ("Leads", "Leads"),
    "dataset.spend": ("Dépenses", "Spend"),
    "dataset.targets": ("Objectifs", "Targets"),
    # Files and validation
    "file.too_large": ("Le fichier dépasse {limit_mb} Mo : découpez-le ou filtrez l'export.",
                       "The file is over {limit_mb} MB: split it or filter the export."),
    "file.empty": ("Le fichier est vide : exportez-le de nouveau avec ses lignes.",
                   "The file is empty: export it again with its rows."),
    "file.binary": ("Ce n'est pas un fichier texte ni Excel : exportez en CSV ou en .xlsx.",
                    "This is neither a text nor an Excel file: export it as CSV or .xlsx."),
    "file.malformed": ("Le fichier est illisible ({detail}) : vérifiez qu'il s'agit bien d'un CSV ou d'un .xlsx.",
                       "The file cannot be read ({detail}): check it is a CSV or an .xlsx file."),
    "file.not_found": ("Fichier introuvable : {path}.", "File not found: {path}."),
    "file.unknown_dataset": (
        "Impossible de reconnaître le type de données de ce fichier : précisez-le (--dataset).",
        "Cannot tell what data this file holds: say it (--dataset).",
    ),
    "validation.missing_columns": (
        "Colonnes obligatoires introuvables : {columns}. Indiquez quelle colonne du fichier correspond.",
        "Required columns not found: {columns}. Say which column of the file holds them.",
    ),
    "validation.counts": ("{read} lignes lues = {accepted} acceptées + {rejected} rejetées",
                          "{read} rows read = {accepted} accepted + {rejected} rejected"),
    "validation.usable": ("Fichier utilisable.", "The file is usable."),
    "validation.unusable": ("Fichier inutilisable.", "The file is not usable."),
    "validation.problem": ("{column} — {check} : {count} ligne(s), ex. lignes {rows}, valeurs {values}",
                           "{column} — {check}: {count} row(s), e.g. rows {rows}, values {values}"),
    "check.required": ("valeur obligatoire manquante", "required value missing"),
    "check.unique": ("identifiant en double", "duplicate identifier"),
    "check.allowed": ("valeur non autorisée", "value not allowed"),
    "check.min": ("valeur trop petite (négative ?)", "value too small (negative?)"),
    "check.max": ("valeur trop grande", "value too large"),
    "check.type": ("type incorrect", "wrong type"),
    "check.number": ("nombre illisible", "unreadable number"),
    "check.date": ("date illisible ou impossible", "unreadable or impossible date"),
    "check.bool": ("oui/non illisible", "unreadable yes/no"),
    "check.unknown_value": ("valeur inconnue", "unknown value"),
    "check.other": ("contrôle échoué", "check failed"),
    "error.generic": ("Une erreur inattendue est survenue : {detail}", "Something unexpected happened: {detail}"),
}

_INDEX = {"fr": 0, "en": 1}


def t(key: str, lang: str = DEFAULT_LANGUAGE, **params) -> str:
    """The message `key` in `lang`, with `{params}` filled in."""
    text = MESSAGES[key][_INDEX.get(lang, 0)]
    return text.format(**params) if params else text


def language_from_locale(locale: str | None) -> str:
    """`en-US` → `en`; French otherwise (the product's default)."""
    return "en" if locale and locale.lower().startswith("en") else DEFAULT_LANGUAGE
