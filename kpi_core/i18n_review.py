"""The French/English sentences of the monthly report (cover, section titles, methods page)."""

from __future__ import annotations

REVIEW_MESSAGES: dict[str, tuple[str, str]] = {
    "review.button": ("Rapport mensuel", "Monthly report"),
    "review.button_help": (
        "La revue de la période et des filtres choisis, à emporter en réunion : un fichier HTML (graphiques "
        "interactifs, s'ouvre sans connexion) ou un PDF A4 à imprimer.",
        "The review of the chosen period and filters, to take to a meeting: an HTML file (interactive charts, opens "
        "offline) or an A4 PDF to print."),
    "review.html": ("HTML", "HTML"),
    "review.pdf": ("PDF", "PDF"),
    "review.preparing": ("Préparation du rapport…", "Preparing the report…"),
    "review.file": ("rapport", "report"),
    "review.title": ("Revue commerciale", "Sales review"),
    "review.source": ("Données", "Data"),
    "review.period": ("Période", "Period"),
    "review.granularity": ("Découpage", "Periods"),
    "review.filters": ("Filtres", "Filters"),
    "review.no_filter": ("aucun (toute l'entreprise)", "none (the whole company)"),
    "review.range": ("Données couvertes", "Data covered"),
    "review.range_value": ("du {first} au {last}", "{first} to {last}"),
    "review.generated": ("Rapport établi le", "Report generated on"),
    "review.sample_source": ("Données d'exemple — Compas Industrie (entreprise fictive)",
                             "Sample data — Compas Industrie (a fictional company)"),
    "review.page": ("Page {page} / {pages}", "Page {page} of {pages}"),
    "review.core": ("Les indicateurs clés", "The key indicators"),
    "review.core_intro": (
        "Chaque indicateur de la période, comparé à la période précédente et à la même période un an plus tôt, "
        "avec ce que l'évolution signifie.",
        "Each indicator of the period, against the previous period and the same period a year earlier, with what "
        "the change means."),
    "review.trends": ("Chiffre d'affaires, panier et rétention sur 12 périodes",
                      "Revenue, basket and retention over 12 periods"),
    "review.trends_intro": ("Une période en cours est dessinée en gris : elle n'est pas finie.",
                            "A period still in progress is drawn in grey: it is not over."),
    "review.funnel": ("La conversion étape par étape", "Conversion stage by stage"),
    "review.compare": ("Segments et régions", "Segments and regions"),
    "review.compare_intro": ("{a} face aux autres valeurs ({dimension}), indicateur par indicateur, avec les "
                             "intervalles de confiance à 95\u202f%.",
                             "{a} against the other values ({dimension}), indicator by indicator, with 95% "
                             "confidence intervals."),
    "review.ranking": ("Classement — {kpi}", "Ranking — {kpi}"),
    "review.at_risk": ("Les clients à rappeler", "Customers to call"),
    "review.at_risk_intro": (
        "Les {count} clients dont le chiffre d'affaires des {span} dernières périodes est passé sous celui des "
        "{span} précédentes, le plus de chiffre en jeu d'abord{more}.",
        "The {count} customers whose revenue over the last {span} periods fell below the {span} before, most "
        "revenue at stake first{more}."),
    "review.at_risk_more": (" ({total} en tout, la liste complète est sur la page Rétention)",
                            " ({total} in all, the full list is on the Retention page)"),
    "review.methods": ("Méthodes et définitions", "Methods and definitions"),
    "review.to_date": (
        "« À date » : une période en cours est comparée aux mêmes premiers jours de la période précédente et de "
        "l'an dernier, jamais à une période entière.",
        "“To date”: a period in progress is compared with the same first days of the previous period and of last "
        "year, never with a whole period."),
    "review.small": (
        "Petits effectifs : un groupe de moins de {small} observations est signalé « * » ; sa valeur peut varier "
        "beaucoup par hasard, aucune conclusion n'en est tirée.",
        "Small samples: a group of fewer than {small} observations is marked “*”; its value may move a lot by "
        "chance, and no conclusion is drawn from it."),
    "review.missing": (
        "« — » : la donnée ne permet pas de calculer la valeur (rien à diviser, fichier absent, affaires encore "
        "ouvertes) ; la raison est donnée à côté.",
        "“—”: the data cannot support the value (nothing to divide by, a file missing, deals still open); the "
        "reason is given beside it."),
    "review.significance": (
        "Une différence est dite significative quand l'intervalle de confiance à 95\u202f% de l'écart exclut zéro "
        "(test de Welch pour les moyennes, test de deux proportions pour les taux).",
        "A difference is called significant when the 95% confidence interval of the gap excludes zero (Welch's "
        "test for means, a two-proportion test for rates)."),
    "review.definitions": ("Définitions des indicateurs de ce rapport", "Definitions of this report's indicators"),
    "review.no_data": ("Aucune donnée chargée : le rapport n'a rien à montrer.",
                       "No data loaded: the report has nothing to show."),
}
