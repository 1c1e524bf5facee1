"""The French/English catalog of every user-facing sentence (KPI names live in the KPI catalog)."""

from __future__ import annotations

from kpi_core.i18n_input import INPUT_MESSAGES
from kpi_core.i18n_review import REVIEW_MESSAGES

DEFAULT_LANGUAGE = "fr"

MESSAGES: dict[str, tuple[str, str]] = {
    # Navigation
    "app.title": ("Boussole — indicateurs commerciaux", "Boussole — sales KPIs"),
    "section.data": ("Données", "Data"),
    "section.indicators": ("Indicateurs", "Indicators"),
    "section.analysis": ("Analyse", "Analysis"),
    "section.plan": ("Plan", "Plan"),
    "section.by": ("Par", "By"),
    "page.activity": ("Activité hebdomadaire", "Weekly activity"),
    "page.team": ("Équipe", "Team"),
    "page.economics": ("Économie trimestrielle", "Quarterly economics"),
    "page.targets": ("Objectifs", "Targets"),
    "activity.title": ("Activité — {period}", "Activity — {period}"),
    "activity.intro": ("Le volume de prospection et ce qu'il donne, semaine après semaine : choisissez « Semaine » "
                       "à gauche pour le suivi hebdomadaire.", "Prospecting volume and what it yields, week after "
                       "week: choose “Week” on the left for the weekly follow-up."),
    "team.title": ("Équipe — {period}", "Team — {period}"),
    "team.intro": ("Ce que chaque rôle transforme, des leads aux clients signés, et les deux définitions du taux de "
                   "signature. BDR : le commercial qui prospecte et qualifie les leads ; AE : celui qui conclut ; "
                   "MQL : un lead que le marketing juge prêt à être contacté.",
                   "What each role converts, from leads to signed customers, and both definitions of the win rate. "
                   "BDR: the rep who prospects and qualifies leads; AE: the one who closes; MQL: a lead marketing "
                   "deems ready to be contacted."),
    "economics.title": ("Économie — {period}", "Economics — {period}"),
    "economics.intro": ("Ce que coûte un client et ce qu'il rapporte : choisissez « Trimestre » à gauche pour la "
                        "lecture trimestrielle.", "What a customer costs and brings: choose “Quarter” on the left "
                        "for the quarterly reading."),
    "targets.title": ("Objectifs — {period}", "Targets — {period}"),
    "targets.intro": ("Où en est le chiffre d'affaires par rapport à l'objectif, et ce que le pipeline ouvert "
                      "couvre du reste à faire.", "Where revenue stands against the target, and how much of what "
                      "is left the open pipeline covers."),
    "funnel.health": ("Santé du pipeline", "Pipeline health"),
    "funnel.true_entries": ("Entonnoir tiré des dates d'entrée dans chaque étape de vos données ; une affaire "
                            "perdue compte jusqu'à la dernière étape où elle est entrée.",
                            "Funnel from the entry dates into each stage in your data; a lost deal counts up to the "
                            "last stage it entered."),
    "funnel.median_days": ("Jours (médiane)", "Days (median)"),
    "column.deals_count": ("{count} affaires", "{count} deals"),
    "column.observations_count": ("{count} observations", "{count} observations"),
    "page.custom": ("Indicateur sur mesure", "Custom KPI"),
    "custom.title": ("Indicateurs sur mesure — {period}", "Custom KPIs — {period}"),
    "custom.intro": ("Votre « chiffre magique » sans écrire de code : choisissez des données, un calcul, des "
                     "filtres et, si besoin, un indicateur à diviser par. Il est enregistré avec votre paramétrage "
                     "(fichier JSON) et calculé comme les autres.", "Your own “magic number” without writing code: "
                     "pick data, a calculation, filters and, if needed, a KPI to divide by. It is saved with your "
                     "mapping (JSON file) and computed like the others."),
    "custom.none": ("Aucun indicateur sur mesure pour l'instant : créez le premier ci-dessous.",
                    "No custom KPI yet: create the first one below."),
    "custom.new": ("Créer un indicateur", "Create a KPI"),
    "custom.name": ("Nom", "Name"),
    "custom.description": ("Ce qu'il mesure (facultatif)", "What it measures (optional)"),
    "custom.dataset": ("Données", "Data"),
    "custom.aggregation": ("Calcul", "Calculation"),
    "custom.aggregation.count": ("Nombre de lignes", "Number of rows"),
    "custom.aggregation.count_distinct": ("Nombre de valeurs distinctes", "Number of distinct values"),
    "custom.aggregation.sum": ("Somme", "Sum"),
    "custom.aggregation.avg": ("Moyenne", "Average"),
    "custom.field": ("De la colonne", "Of the column"),
    "custom.filter": ("Filtre {number}", "Filter {number}"),
    "custom.no_filter": ("(aucun)", "(none)"),
    "custom.operator": ("Condition", "Condition"),
    "custom.operator.in": ("est l'une de", "is one of"),
    "custom.operator.not_in": ("n'est aucune de", "is none of"),
    "custom.operator.is_true": ("est vrai", "is true"),
    "custom.operator.is_false": ("est faux", "is false"),
    "custom.operator.at_least": ("au moins", "at least"),
    "custom.operator.at_most": ("au plus", "at most"),
    "custom.values": ("Valeurs", "Values"),
    "custom.denominator": ("Divisé par", "Divided by"),
    "custom.unit": ("Affiché en", "Shown as"),
    "custom.higher_is_better": ("Plus c'est haut, mieux c'est", "Higher is better"),
    "custom.create": ("Créer l'indicateur", "Create the KPI"),
    "custom.created": ("Indicateur « {name} » créé et enregistré avec le paramétrage.",
                       "KPI “{name}” created and saved with the mapping."),
    "custom.delete": ("Supprimer « {name} »", "Delete “{name}”"),
    "custom.sql": ("Comment il est calculé", "How it is computed"),
    "custom.dated": ("Compté sur la période selon la date de « {field} ».", "Counted in the period by “{field}”."),
    "custom.unusable": ("Indicateur sur mesure « {name} » ignoré : sa définition ne correspond pas aux données.",
                        "Custom KPI “{name}” ignored: its definition does not fit the data."),
    "custom.error.name": ("Donnez-lui un nom.", "Give it a name."),
    "custom.error.dataset": ("Données inconnues : {value}.", "Unknown data: {value}."),
    "custom.error.aggregation": ("Calcul inconnu : {value}.", "Unknown calculation: {value}."),
    "custom.error.field": ("Choisissez une colonne qui se prête à ce calcul ({value}).",
                           "Choose a column this calculation applies to ({value})."),
    "custom.error.condition": ("Filtre impossible sur cette colonne : {value}.",
                               "This filter does not apply to that column: {value}."),
    "custom.error.values": ("Choisissez au moins une valeur pour le filtre sur {value}.",
                            "Choose at least one value for the filter on {value}."),
    "custom.error.number": ("Ce n'est pas un nombre : {value}.", "Not a number: {value}."),
    "custom.error.too_many_values": ("Le filtre sur {value} liste {count} valeurs ; {limit} au plus : regroupez-les "
                                     "ou filtrez dans l'autre sens.", "The filter on {value} lists {count} values; "
                                     "{limit} at most: group them or filter the other way round."),
    "custom.error.denominator": ("Indicateur inconnu pour le dénominateur : {value}.",
                                 "Unknown KPI for the denominator: {value}."),
    "custom.error.unit": ("Format d'affichage inconnu : {value}.", "Unknown display format: {value}."),
    "custom.error.taken": ("Un indicateur porte déjà ce nom.", "A KPI already has this name."),
    "unit.count": ("Nombre", "Number"),
    "unit.currency": ("Euros", "Euros"),
    "unit.percent": ("Pourcentage", "Percentage"),
    "unit.ratio": ("Ratio (×)", "Ratio (×)"),
    "bridge.title": ("Pont de chiffre d'affaires", "Revenue bridge"),
    "bridge.against": ("Par rapport à", "Compared with"),
    "bridge.previous": ("la période précédente", "the previous period"),
    "bridge.last_year": ("la même période l'an dernier", "the same period last year"),
    "bridge.to_date": ("{period} à date", "{period} to date"),
    "bridge.none": ("Pas de chiffre d'affaires sur l'une des deux périodes : rien à expliquer.",
                    "No revenue in one of the two periods: nothing to explain."),
    "bridge.no_drivers": ("Un des facteurs est nul sur l'une des périodes (aucun client ou aucune vente) : la "
                          "décomposition en clients × fréquence × panier n'a pas de sens ici.",
                          "One of the drivers is zero in one period (no customer or no sale): the split into "
                          "customers × frequency × basket means nothing here."),
    "bridge.broken": (
        "Une partie du chiffre d'affaires n'a pas de client identifié : il ne se décompose pas en clients × "
        "fréquence × panier. Sa part est montrée à droite, à côté des nouveaux clients et des clients existants.",
        "Part of the revenue has no customer id: it does not split into customers × frequency × basket. Its share "
        "is shown on the right, beside new and returning customers."),
    "bridge.kpi": ("Facteur", "Driver"),
    "bridge.by_driver": ("Clients × fréquence × panier", "Customers × frequency × basket"),
    "bridge.by_origin": ("Nouveaux clients et clients existants", "New and returning customers"),
    "bridge.change": ("Évolution", "Change"),
    "bridge.effect": ("Effet sur le CA", "Effect on revenue"),
    "bridge.method": ("CA = clients actifs × commandes par client × panier moyen. La part de chaque facteur est "
                      "calculée par la méthode des moyennes logarithmiques (LMDI) : les parts s'additionnent "
                      "exactement à l'écart et ne dépendent pas de l'ordre des facteurs. Nouveaux clients : "
                      "première commande dans la période.",
                      "Revenue = active customers × orders per customer × average basket. Each driver's share "
                      "uses the logarithmic mean method (LMDI): the shares add up exactly to the change and do not "
                      "depend on the order of the drivers. New customers: first order in the period."),
    "bridge.moved": ("{total} : {change} ; le facteur qui a le plus pesé est « {driver} » ({effect}).",
                     "{total}: {change}; the driver that weighed most is “{driver}” ({effect})."),
    "velocity.title": ("Ce qui a fait bouger la vélocité commerciale", "What moved sales velocity"),
    "velocity.none": ("Vélocité non calculable sur l'une des deux périodes (aucune affaire gagnée, pas de montant ou "
                      "pas de cycle de vente) : rien à expliquer.",
                      "Velocity cannot be computed in one of the two periods (no deal won, no amount or no sales "
                      "cycle): nothing to explain."),
    "velocity.no_drivers": ("Un des quatre leviers est nul sur l'une des périodes : la décomposition n'a pas de sens "
                            "ici.", "One of the four levers is zero in one period: the split means nothing here."),
    "velocity.by_driver": ("Affaires × taux × montant ÷ cycle", "Deals × rate × amount ÷ cycle"),
    "velocity.effect": ("Effet sur la vélocité (par jour)", "Effect on velocity (per day)"),
    "velocity.method": ("Vélocité = affaires ouvertes × taux de signature × montant moyen d'une affaire gagnée ÷ "
                        "cycle de vente (jours). La part de chaque levier est calculée par la méthode des moyennes "
                        "logarithmiques (LMDI) : les parts s'additionnent exactement à l'écart ; un cycle qui "
                        "s'allonge pèse négativement.",
                        "Velocity = open deals × win rate × average won deal ÷ sales cycle (days). Each lever's "
                        "share uses the logarithmic mean method (LMDI): the shares add up exactly to the change; a "
                        "longer cycle weighs negatively."),
    "forecast.title": ("Prévision de fin de période", "End-of-period forecast"),
    "forecast.sentence": ("D'après vos affaires et vos commandes des {history} dernières périodes, {period} devrait "
                          "finir à {expected} (80 % de chances entre {low} et {high}).",
                          "From your deals and orders of the last {history} periods, {period} should end at "
                          "{expected} (80% likely between {low} and {high})."),
    "forecast.versus_target": ("Objectif {target} : la prévision en fait {share} ; chance de l'atteindre : {chance}.",
                               "Target {target}: the forecast makes {share} of it; chance of reaching it: {chance}."),
    "forecast.booked": ("Déjà facturé", "Already invoiced"),
    "forecast.pipeline": ("Attendu des affaires ouvertes", "Expected from open deals"),
    "forecast.other": ("Attendu des autres commandes", "Expected from other orders"),
    "forecast.deals": ("Les affaires qui pèsent le plus", "The deals that weigh most"),
    "forecast.probability": ("Chance de signer", "Win chance"),
    "forecast.expected": ("Montant attendu", "Expected amount"),
    "forecast.age": ("Âge (jours)", "Age (days)"),
    "forecast.no_deals": ("Aucune affaire ouverte : la prévision repose sur le déjà facturé et les autres commandes.",
                          "No open deal: the forecast rests on what is invoiced and other orders."),
    "forecast.method": ("Méthode : pour chacune des {history} périodes passées, les affaires ouvertes au même nombre "
                        "de jours avant la fin (telles qu'on les connaissait alors) et celles signées avant la fin "
                        "donnent leur chance de signer avant la fin par {cells} ; un taux vu sur peu d'affaires est "
                        "rapproché du taux plus large ({prior} affaires de poids). Les autres commandes : ce que ces "
                        "derniers jours ont facturé au-delà de ce que les affaires ouvertes laissaient attendre, en "
                        "proportion de ce qui était facturé avant (un mois calme le reste). L'intervalle tire "
                        "{draws} fois chaque affaire signée ou non et l'écart de ce complément comme ceux du passé.",
                        "Method: for each of the last {history} periods, the deals open the same number of days "
                        "before its end (as they were known then) and those won before the end give the chance to win "
                        "before the end per {cells}; a rate seen on few deals is pulled towards the broader one "
                        "({prior} deals' weight). Other orders: what those last days invoiced beyond what the open "
                        "deals led to expect, in proportion to what was invoiced before (a quiet month stays quiet). "
                        "The interval draws each deal won or not and that remainder's miss like the past ones', "
                        "{draws} times."),
    "forecast.cells_staged": ("étape et âge de l'affaire", "deal stage and age"),
    "forecast.cells_age": ("âge de l'affaire (les données n'ont pas les dates d'entrée dans chaque étape)",
                           "deal age (the data has no entry date per stage)"),
    "forecast.closed": ("La période est close : son chiffre d'affaires est connu. Ci-dessous, ce qu'aurait prévu la "
                        "méthode à mi-période.",
                        "The period is closed: its revenue is known. Below, what the method would have forecast at "
                        "mid-period."),
    "backtest.title": ("Faut-il s'y fier ? Les prévisions passées", "How far to trust it: past forecasts"),
    "backtest.intro": ("Pour chacune des dernières périodes closes, la prévision faite à mi-période avec les seules "
                       "données connues alors, face au réel et à la prévision naïve « comme la période "
                       "précédente ».",
                       "For each of the last closed periods, the forecast made at mid-period with only the data "
                       "known then, against what happened and the naive “same as the period before”."),
    "backtest.summary": ("Écart moyen : {error} pour cette prévision, {naive} pour « comme la période précédente » ; "
                         "le réel est tombé dans l'intervalle à 80 % {inside} fois sur {count}.",
                         "Average miss: {error} for this forecast, {naive} for “same as the period before”; the "
                         "actual fell in the 80% interval {inside} times out of {count}."),
    "backtest.none": ("Pas assez d'historique pour tester la prévision sur des périodes passées.",
                      "Not enough history to test the forecast on past periods."),
    "backtest.made_on": ("Prévue le", "Made on"),
    "backtest.forecast": ("Prévision", "Forecast"),
    "backtest.interval": ("Intervalle à 80 %", "80% interval"),
    "backtest.actual": ("Réel", "Actual"),
    "backtest.error": ("Écart", "Miss"),
    "backtest.naive": ("Période précédente", "Period before"),
    "backtest.naive_error": ("Écart naïf", "Naive miss"),
    "backtest.inside": ("Dans l'intervalle", "In the interval"),
    "backtest.low": ("Bas de l'intervalle", "Interval low"),
    "backtest.high": ("Haut de l'intervalle", "Interval high"),
    "backtest.yes": ("oui", "yes"),
    "backtest.no": ("non", "no"),
    "sidebar.fiscal_start": ("Début de l'exercice", "Fiscal year starts in"),
    "sidebar.fiscal_help": ("Le mois où commence votre exercice comptable : les trimestres en partent (T1 = ses "
                            "trois premiers mois). Enregistré avec les correspondances.",
                            "The month your fiscal year starts in: quarters are counted from it (Q1 = its first "
                            "three months). Saved with the mapping."),
    "plan.sales": ("ventes", "sales"),
    "plan.calls": ("appels", "calls"),
    "plan.stage": ("« {stage} »", "“{stage}”"),
    "plan.one_sale": ("1 vente", "1 sale"),
    "plan.ratios": ("Ce que coûte une vente", "What one sale takes"),
    "plan.rates": ("Taux observés du {start} au {end} sur les affaires qui ont quitté chaque étape : {sales} "
                   "ventes attendues sur {deals} affaires créées.",
                   "Rates observed from {start} to {end} on the deals that left each stage: {sales} sales expected "
                   "out of {deals} deals created."),
    "plan.no_sale": ("Aucune affaire créée sur cette durée n'est arrivée à la dernière étape : pas de taux pour "
                     "planifier.", "No deal created over this span reached the last stage: no rate to plan with."),
    "plan.title": ("Planificateur inversé", "Reverse planner"),
    "plan.intro": ("Pour faire ce montant au panier et aux taux de conversion actuels : les ventes, les affaires "
                   "à chaque étape et les appels nécessaires. Si une partie du chiffre d'affaires vient de "
                   "commandes récurrentes hors pipeline, ne saisissez que ce que les nouvelles affaires doivent "
                   "apporter.", "To bring in this amount at the current basket and conversion rates: the sales, "
                   "the deals at each stage and the calls it takes. If part of revenue comes from repeat orders "
                   "outside the pipeline, enter only what new deals must bring."),
    "plan.amount": ("Montant à faire (€)", "Amount to bring in (€)"),
    "plan.basket": ("Panier d'une vente", "Basket of a sale"),
    "plan.months": ("Taux calculés sur", "Rates computed over"),
    "plan.months_n": ("les {months} derniers mois", "the last {months} months"),
    "plan.no_basket": ("Il faut un montant des affaires ou des commandes pour connaître le panier.",
                       "A deal amount or orders are needed to know the basket."),
    "plan.nothing": ("Rien à faire : le montant est nul.", "Nothing to do: the amount is zero."),
    "plan.step": ("Étape", "Step"),
    "plan.needed": ("Nécessaires", "Needed"),
    "plan.per_sale": ("Par vente", "Per sale"),
    "plan.per_day": ("Par jour ouvré restant", "Per working day left"),
    "plan.basket_used": ("panier retenu : {basket}", "basket used: {basket}"),
    "targets.days": ("{elapsed} jours ouvrés écoulés sur {total}, {left} restants",
                     "{elapsed} working days elapsed out of {total}, {left} left"),
    "targets.holidays": ("jours fériés exclus : {days}", "public holidays excluded: {days}"),
    "targets.exclude_holidays": ("Exclure les jours fériés français", "Exclude French public holidays"),
    "funnel.lost_reasons": ("Affaires perdues sur la période, par raison", "Deals lost in the period, by reason"),
    "column.reason": ("Raison", "Reason"),
    "column.deals": ("Affaires", "Deals"),
    "column.amount": ("Montant", "Amount"),
    "column.deal": ("Affaire", "Deal"),
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
    "reason.missing_dataset": ("données « {datasets} » non chargées (page Import & correspondances)",
                               "“{datasets}” data not loaded (Upload & mapping page)"),
    "reason.zero_denominator": ("{kpi} = 0 sur la période", "{kpi} = 0 in the period"),
    "reason.missing_field": ("colonne « {fields} » absente des données", "“{fields}” column not in the data"),
    "reason.no_observation": ("aucune observation sur la période", "no observation in the period"),
    "reason.not_a_number": ("indicateur non numérique", "not a single number"),
    "reason.scope_mixed": ("« {dataset} » sans colonne « {dimension} » : le filtre ne peut s'appliquer qu'à une "
                           "partie de l'indicateur",
                           "“{dataset}” has no “{dimension}” column: the filter could only apply to part of this "
                           "figure"),
    "card.interval": ("80 % de chances entre {low} et {high}", "80% likely between {low} and {high}"),
    "card.target": ("{share} de l'objectif ({target})", "{share} of the target ({target})"),
    "card.unfiltered": ("sans le filtre {dimensions} (absent de ces données)",
                        "without the {dimensions} filter (not in this data)"),
    "reason.cohort_open": ("{share} de ces affaires sont encore ouvertes", "{share} of these deals are still open"),
    "reason.period_closed": ("période close : son chiffre d'affaires est connu",
                             "the period is closed: its revenue is known"),
    "reason.short_history": ("il faut au moins {count} périodes d'historique pour apprendre",
                             "at least {count} periods of history are needed to learn from"),
    "reason.stage_open": ("{share} des affaires arrivées à « {from_stage} » y sont encore : le passage vers "
                          "« {to_stage} » n'est pas encore lisible",
                          "{share} of the deals that reached “{from_stage}” are still there: the step to "
                          "“{to_stage}” cannot be read yet"),
    "reason.few_decided": ("{count} affaires seulement ont quitté « {from_stage} » (il en faut {minimum})",
                           "only {count} deals have left “{from_stage}” ({minimum} needed)"),
    # Command line
    "cli.filter.syntax": ("Filtre illisible « {text} » : écrivez dimension=valeur1,valeur2 (par exemple "
                          "region=Paris,Lyon).",
                          "Unreadable filter “{text}”: write dimension=value1,value2 (for example region=Paris,Lyon)."),
    "cli.filter.dimension": ("Aucun fichier chargé n'a de dimension « {dimension} » ; filtres possibles : "
                             "{dimensions}.",
                             "No loaded file has a “{dimension}” dimension; possible filters: {dimensions}."),
    "cli.filter.value": ("Valeur inconnue pour {dimension} : {values} (valeurs présentes : {known}).",
                         "Unknown value for {dimension}: {values} (values found: {known})."),
    "report.blank": ("(non renseigné)", "(blank)"),
    "report.filters": ("Filtres : {filters}", "Filters: {filters}"),
    "report.by": ("Par {dimension}", "By {dimension}"),
    # At-risk customers
    "risk.basket": ("panier {before} → {recent}", "basket {before} → {recent}"),
    "risk.frequency": ("commandes {before} → {recent}", "orders {before} → {recent}"),
    "risk.silent": ("sans commande depuis {days} j (d'habitude tous les {rhythm} j)",
                    "no order for {days} d (usually every {rhythm} d)"),
    "column.revenue_at_risk": ("CA en recul", "Revenue at risk"),
    "column.why": ("Pourquoi", "Why"),
    "column.revenue_recent": ("CA récent", "Recent revenue"),
    # Cards
    "card.vs_previous": ("vs période précédente", "vs previous period"),
    "card.no_change": ("stable", "no change"),
    "tone.good": ("favorable", "good news"),
    "tone.bad": ("défavorable", "bad news"),
    "card.vs_last_year": ("vs N-1 : {change}", "vs last year: {change}"),
    "card.small_sample": ("⚠ petit échantillon ({count} observations)", "⚠ small sample ({count} observations)"),
    "card.provisional": ("⚠ provisoire : des affaires sont encore ouvertes",
                         "⚠ provisional: some deals are still open"),
    "card.partial": (
        "Période en cours : {days} jours sur {total} écoulés (données jusqu'au {last}), comparée à date aux "
        "{days} premiers jours de chaque période.",
        "Period in progress: {days} days out of {total} elapsed (data up to {last}), compared to date with the "
        "first {days} days of each period.",
    ),
    "filters.active": ("Filtres actifs : {filters}", "Active filters: {filters}"),
    "loading.sample": ("Préparation des données d'exemple… (quelques secondes, une seule fois)",
                       "Preparing the sample data… (a few seconds, once)"),
    "export.kpi": ("Indicateur", "Indicator"),
    "export.unit": ("Unité", "Unit"),
    "export.value": ("Valeur", "Value"),
    "export.previous": ("Période précédente", "Previous period"),
    "export.change": ("Évolution", "Change"),
    "export.last_year": ("Même période N-1", "Same period last year"),
    "export.change_last_year": ("Évolution vs N-1", "Change vs last year"),
    "export.note": ("Remarque", "Note"),
    "filters.clear": ("Effacer les filtres", "Clear filters"),
    "filters.remove": ("Retirer ce filtre ({filter}) : la page revient à toutes les valeurs.",
                       "Remove this filter ({filter}): the page goes back to every value."),
    "filters.from_chart": ("Votre clic sur le graphique a filtré toute la vue : {filter}. Retirez ce filtre par sa "
                           "croix en haut de la page, ou revenez en arrière avec le navigateur.",
                           "Your click on the chart filtered the whole view: {filter}. Remove this filter with its "
                           "cross at the top of the page, or go back with the browser."),
    "view.period_help": ("La période affichée et sa granularité : changez-les dans le panneau de gauche.",
                         "The period shown and its granularity: change them in the left panel."),
    "filters.not_applied": ("(non appliqué ici : absent des données {datasets})",
                            "(not applied here: not in the {datasets} data)"),
    "filters.help": ("Chaque indicateur est calculé sur les seules lignes de ces valeurs. Un indicateur qui "
                     "mêlerait des données filtrées et d'autres qui ne peuvent pas l'être (un objectif fixé pour "
                     "toute l'entreprise) affiche « — » avec la raison.",
                     "Each figure is computed on the rows of these values only. A figure that would mix filtered "
                     "data with data that cannot be filtered (a target set for the whole company) shows “—” with "
                     "the reason."),
    "status.good": ("sain", "healthy"),
    "status.watch": ("à surveiller", "watch"),
    "status.problem": ("problème structurel", "structural problem"),
    # Home
    "home.title": ("Tableau de bord — {period}", "Scorecard — {period}"),
    "home.intro": ("Les ventes de la période en un coup d'œil : ce qui a bougé par rapport à la période précédente "
                   "et à l'an dernier, et si c'est une bonne nouvelle.", "The period's sales at a glance: what moved "
                   "since the previous period and last year, and whether it is good news."),
    "home.diagnostics": ("Ce que disent les chiffres", "What the numbers say"),
    "home.trend": ("Évolution sur 12 périodes", "Trend over 12 periods"),
    # Diagnostics
    "diag.weakest.basis": ("Sur les affaires créées en {period} ({decided} décidées à ce passage)",
                           "On the deals created in {period} ({decided} decided at this step)"),
    "diag.weakest.basis_earlier": (
        "Sur les affaires créées en {period}, dernière période aux taux établis ({decided} décidées à ce passage)",
        "On the deals created in {period}, the latest period with settled rates ({decided} decided at this step)",
    ),
    "diag.weakest.approach": (
        "{basis}, le maillon faible est le passage « {from_stage} → {to_stage} » ({conversion}) : un problème "
        "de qualification ou d'approche. Revoyez le ciblage et le premier message.",
        "{basis}, the weakest link is “{from_stage} → {to_stage}” ({conversion}): a qualification or approach "
        "problem. Review the targeting and the first message.",
    ),
    "diag.weakest.closing": (
        "{basis}, le maillon faible est le passage « {from_stage} → {to_stage} » ({conversion}) : une "
        "argumentation insuffisante ou un prix mal ajusté. Travaillez les objections et la proposition de valeur.",
        "{basis}, the weakest link is “{from_stage} → {to_stage}” ({conversion}): weak argumentation or "
        "ill-fitted pricing. Work on objections and the value proposition.",
    ),
    "diag.weakest.middle": (
        "{basis}, le maillon faible est le passage « {from_stage} → {to_stage} » ({conversion}) : les affaires "
        "calent en cours de cycle. Vérifiez la découverte du besoin et l'implication du décideur.",
        "{basis}, the weakest link is “{from_stage} → {to_stage}” ({conversion}): deals stall mid-cycle. "
        "Check needs discovery and the decision-maker's involvement.",
    ),
    "diag.immature_funnel": (
        "{share} des affaires créées sur la période sont encore ouvertes : une conversion qui repose sur trop peu "
        "d'affaires décidées n'est pas affichée, et une conversion provisoire peut encore bouger.",
        "{share} of the deals created in the period are still open: a conversion resting on too few decided deals "
        "is not shown, and a provisional one may still move.",
    ),
    "diag.basket_decline": (
        "Le panier moyen baisse depuis {periods} périodes consécutives : vérifiez remises, mix produit et "
        "clients qui réduisent leurs commandes (souvent avant de partir).",
        "The average basket has fallen for {periods} consecutive periods: check discounts, product mix and "
        "customers ordering less (often before they leave).",
    ),
    "diag.retention.good": (
        "Rétention saine : {value} des clients de la fenêtre précédente sont revenus (seuil 85 %).",
        "Healthy retention: {value} of the previous window's customers came back (threshold 85%).",
    ),
    "diag.retention.watch": (
        "Rétention à surveiller : {value} (entre 70 % et 85 %). Appelez les clients à risque.",
        "Retention to watch: {value} (between 70% and 85%). Call the at-risk customers.",
    ),
    "diag.retention.problem": (
        "Rétention faible : {value} (< 70 %), un problème structurel — offre, service ou suivi client.",
        "Low retention: {value} (< 70%), a structural problem — offer, service or account follow-up.",
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
    "funnel.intro": ("Combien d'affaires passent chaque étape, où elles se perdent et pourquoi.",
                     "How many deals get through each stage, where they are lost and why."),
    "funnel.method": (
        "Méthode : chaque passage compte seulement les affaires qui ont quitté l'étape (passées à la suivante ou "
        "perdues à cette étape) ; une affaire encore ouverte n'a ni converti ni échoué. Un taux repose sur au moins "
        "{minimum} affaires décidées et au plus {open_max} d'affaires encore ouvertes à l'étape, sinon « — » ; "
        "« * » = provisoire (moins de {small} décidées, ou plus de {open_provisional} encore ouvertes). La lecture "
        "brute, affaires ouvertes comprises, est dans le tableau.",
        "Method: each step counts only the deals that have left the stage (moved on, or lost at that stage); a "
        "deal still open has neither converted nor failed. A rate rests on at least {minimum} decided deals and at "
        "most {open_max} of the stage's deals still open, otherwise “—”; “*” = provisional (fewer than {small} "
        "decided, or more than {open_provisional} still open). The raw reading, open deals included, is in the "
        "table.",
    ),
    "funnel.no_status": ("Vos affaires n'ont pas de statut (ouverte, gagnée, perdue) : une affaire qui n'a pas "
                         "atteint la dernière étape est comptée comme arrêtée à son étape, même si elle est encore "
                         "en cours. Ajoutez la colonne de statut pour des taux qui attendent les affaires ouvertes.",
                         "Your deals have no status (open, won, lost): a deal below the last stage counts as stopped "
                         "at its stage, even if it is still in progress. Map the status column for rates that wait "
                         "for open deals."),
    "funnel.no_deals": ("Aucune affaire créée sur la période avec ces filtres.",
                        "No deal created in the period with these filters."),
    "funnel.no_weakest": (
        "Pas de maillon faible désigné : aucune des {lookback} dernières périodes n'a des taux établis à toutes "
        "les étapes.",
        "No weakest link named: none of the last {lookback} periods has settled rates at every step.",
    ),
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
    "column.still_open": ("Encore ouvertes à l'étape", "Still open at the stage"),
    "column.decided": ("Affaires décidées au passage", "Deals decided at the step"),
    "column.raw_conversion": ("Lecture brute (atteint ÷ atteint avant, ouvertes comprises)",
                              "Raw reading (reached ÷ reached before, open deals included)"),
    "column.period": ("Période", "Period"),
    "column.customer": ("Client", "Customer"),
    "column.orders_before": ("Commandes avant", "Orders before"),
    "column.orders_recent": ("Commandes récentes", "Recent orders"),
    "column.basket_before": ("Panier avant", "Basket before"),
    "column.basket_recent": ("Panier récent", "Recent basket"),
    "column.revenue_before": ("CA avant", "Revenue before"),
    "column.last_order": ("Dernière commande", "Last order"),
    "column.cohort": ("Cohorte", "Cohort"),
    "column.active_share": ("Part encore active", "Share still active"),
    "column.revenue": ("Chiffre d'affaires", "Revenue"),
    "column.revenue_share": ("CA en part du premier", "Revenue as a share of the first"),
    "column.age": ("Périodes depuis la première commande", "Periods since first order"),
    "column.value": ("Valeur", "Value"),
    "column.kpi": ("Indicateur", "KPI"),
    "column.last_year": ("vs N-1", "vs last year"),
    # Revenue
    "revenue.title": ("Chiffre d'affaires & panier — {period}", "Revenue & basket — {period}"),
    "revenue.intro": ("D'où vient le chiffre d'affaires : combien de clients, combien de commandes chacun, pour quel "
                      "panier, et ce qui l'a fait bouger.", "Where revenue comes from: how many customers, how "
                      "many orders each, what basket, and what moved it."),
    "revenue.by": ("Répartir par", "Break down by"),
    # Retention
    "retention.title": ("Rétention — {period}", "Retention — {period}"),
    "retention.intro": ("Combien de clients reviennent commander, et lesquels rappeler avant de les perdre.",
                        "How many customers come back to order, and which ones to call before losing them."),
    "retention.cohorts": ("Cohortes", "Cohorts"),
    "retention.cohorts_customers": ("Part des clients encore actifs", "Share of customers still active"),
    "retention.cohorts_revenue": ("Chiffre d'affaires en part de celui de la première période",
                                  "Revenue as a share of the cohort's first period"),
    "retention.revenue": ("Rétention du chiffre d'affaires", "Revenue retention"),
    "retention.revenue_intro": (
        "Les clients de la fenêtre précédente, pesés par leur chiffre d'affaires : ce qu'ils rapportent maintenant "
        "(NRR, expansion comprise) et ce que la base garde (GRR, sans expansion). La fenêtre se règle dans la barre "
        "latérale : 12 mois pour une rétention annuelle.",
        "The previous window's customers weighed by their revenue: what they bring now (NRR, expansion included) "
        "and what the base keeps (GRR, expansion left out). The window is set in the sidebar: 12 months for an "
        "annual retention."),
    "retention.base": ("CA de base", "Base revenue"),
    "retention.kept": ("CA conservé", "Revenue kept"),
    "retention.at_risk": ("Clients à risque", "At-risk customers"),
    "retention.at_risk_help": (
        "Clients dont le chiffre d'affaires des {span} dernières périodes est inférieur à celui des {span} "
        "précédentes, parce que leur panier a baissé d'au moins 25 %, que leurs commandes ont au moins diminué de "
        "moitié, ou qu'ils n'ont pas commandé depuis plus de deux fois leur rythme habituel. Classés par "
        "chiffre d'affaires en recul : à appeler en priorité.",
        "Customers whose revenue over the last {span} periods is below that of the {span} before, because their "
        "basket fell by at least 25%, their orders at least halved, or they have not ordered for over twice "
        "their usual gap. Ranked by revenue at risk: call them first.",
    ),
    "retention.none_at_risk": ("Aucun client à risque sur la période.", "No at-risk customer in the period."),
    # Loaded data page
    "data.title": ("Données chargées", "Loaded data"),
    "data.intro": ("Ce qui est chargé : chaque jeu de données, sa période, ses lignes et ses colonnes.",
                   "What is loaded: each data set, its period, its rows and its columns."),
    "data.rows": ("{rows} lignes", "{rows} rows"),
    "data.missing": ("non chargé", "not loaded"),
    "data.range": ("Données du {first} au {last}", "Data from {first} to {last}"),
    "dataset.orders": ("Ventes / factures", "Orders / invoices"),
    "dataset.deals": ("Opportunités", "Deals"),
    "dataset.activities": ("Activités", "Activities"),
    "dataset.leads": ("Leads", "Leads"),
    "dataset.spend": ("Dépenses", "Spend"),
    "dataset.targets": ("Objectifs", "Targets"),
    # Segments & regions
    "page.compare": ("Segments & régions", "Segments & regions"),
    "compare.title": ("Segments & régions — {period}", "Segments & regions — {period}"),
    "compare.intro": ("Un groupe contre un autre, indicateur par indicateur, avec l'intervalle de confiance à 95 % "
                      "de chaque valeur et un test : un écart n'est dit réel que s'il l'est.",
                      "One group against another, KPI by KPI, with each value's 95% confidence interval and a "
                      "test: a gap is called real only when it is."),
    "breakdown.click": ("Cliquez une barre pour filtrer toutes les pages sur cette valeur (retirez-la dans les "
                        "filtres à gauche).", "Click a bar to filter every page on that value (remove it in the "
                        "filters on the left)."),
    "lost.no_reason": ("(sans raison)", "(no reason given)"),
    "compare.partial": ("Période en cours : ses {days} premiers jours, les mêmes pour les deux groupes.",
                        "Period in progress: its first {days} days, the same for both groups."),
    "compare.dimension": ("Comparer par", "Compare by"),
    "compare.group_a": ("Groupe A", "Group A"),
    "compare.group_b": ("Groupe B", "Group B"),
    "compare.rest": ("tous les autres", "all the others"),
    "compare.others": ("les autres", "the others"),
    "compare.chosen": ("des valeurs choisies", "chosen values"),
    "compare.group_b_values": ("Valeurs du groupe B", "Group B values"),
    "compare.pick_a": ("Choisissez au moins une valeur pour le groupe A.", "Pick at least one value for group A."),
    "compare.no_dimension": ("Aucune dimension (région, segment, commercial…) dans les données chargées.",
                             "No dimension (region, segment, rep…) in the loaded data."),
    "compare.column.kpi": ("Indicateur", "KPI"),
    "compare.column.a": ("A", "A"),
    "compare.column.b": ("B", "B"),
    "compare.column.difference": ("Écart A − B", "Gap A − B"),
    "compare.column.interval_a": ("Intervalle 95 % (A)", "95% interval (A)"),
    "compare.column.interval_b": ("Intervalle 95 % (B)", "95% interval (B)"),
    "compare.column.observations": ("Observations A / B", "Observations A / B"),
    "compare.column.low": ("Borne basse (95\u202f%)", "Lower bound (95%)"),
    "compare.column.high": ("Borne haute (95\u202f%)", "Upper bound (95%)"),
    "compare.column.count": ("Observations", "Observations"),
    # Worded so that nothing agrees with the groups or the KPI: `ETI, PME` is two values, `Conversion` feminine.
    "compare.verdict.higher": ("{kpi} : {gap} de plus pour {a} que pour {b}, différence significative à 95 %.",
                               "{kpi}: {gap} higher for {a} than for {b}, significant at 95%."),
    "compare.verdict.lower": ("{kpi} : {gap} de moins pour {a} que pour {b}, différence significative à 95 %.",
                              "{kpi}: {gap} lower for {a} than for {b}, significant at 95%."),
    "compare.verdict.not_significant": ("{kpi} : écart de {gap} entre {a} et {b}, non significatif à 95 %.",
                                        "{kpi}: a {gap} gap between {a} and {b}, not significant at 95%."),
    "compare.verdict.too_few": ("{kpi} : écart de {gap}, mais trop peu d'observations pour conclure ({count}).",
                                "{kpi}: a {gap} gap, but too few observations to conclude ({count})."),
    "compare.verdict.total": ("{kpi} : un total dépend de la taille de chaque groupe, il n'est pas testé.",
                              "{kpi}: a total depends on each group's size, so it is not tested."),
    "compare.rank.title": ("Classement", "Ranking"),
    "compare.rank.kpi": ("Indicateur à classer", "KPI to rank"),
    "compare.rank.caption": ("Barres : valeur sur la période, traits : intervalle de confiance à 95 %. "
                             "En gris et marqués *, les petits groupes (moins de {small} observations) : "
                             "leur valeur peut bouger beaucoup d'une période à l'autre.",
                             "Bars: value over the period; whiskers: 95% confidence interval. Grey and marked *, "
                             "small groups (fewer than {small} observations): their value can move a lot from one "
                             "period to the next."),
    "compare.rank.click": ("Cliquez une barre ou un point de la carte pour en faire le groupe A.",
                           "Click a bar or a map point to make it group A."),
    "compare.rank.empty": ("{kpi} : aucune valeur par « {dimension} » sur la période, ses données n'ont pas "
                           "cette colonne.", "{kpi}: no value by “{dimension}” over the period, its data has no "
                           "such column."),
    "compare.rank.small": ("Petits groupes : {names}.", "Small groups: {names}."),
    "mix.title": ("À mix égal", "At equal mix"),
    "mix.stratum": ("Ajuster sur", "Adjust for"),
    "mix.intro": ("Si {a} et {b} n'ont pas le même mix (de segments, de produits…), l'écart brut mélange deux "
                  "choses : la performance et la composition. Ici, chaque groupe est pesé comme l'ensemble des deux.",
                  "If {a} and {b} do not have the same mix (of segments, products…), the raw gap mixes two things: "
                  "performance and composition. Here each group is weighed like both together."),
    "mix.flipped": ("{kpi} : écart brut {a} − {b} de {raw}, mais de {adjusted} à {stratum} égal — le sens "
                    "s'inverse : l'écart vient de la composition (« {driver} » pèse {share_a} pour {a}, {share_b} "
                    "pour {b}).",
                    "{kpi}: raw gap {a} − {b} of {raw}, but {adjusted} at equal {stratum} — it turns over: the gap "
                    "comes from the composition (“{driver}” weighs {share_a} for {a}, {share_b} for {b})."),
    "mix.vanishes": ("{kpi} : écart brut {a} − {b} de {raw}, significatif ; à {stratum} égal ({adjusted}), il ne "
                     "l'est plus : il tient surtout à la composition (« {driver} » pèse {share_a} pour {a}, "
                     "{share_b} pour {b}).",
                     "{kpi}: raw gap {a} − {b} of {raw}, significant; at equal {stratum} ({adjusted}) it no longer "
                     "is: it is mostly the composition (“{driver}” weighs {share_a} for {a}, {share_b} for {b})."),
    "mix.appears": ("{kpi} : écart brut {a} − {b} de {raw}, non significatif ; à {stratum} égal ({adjusted}), il "
                    "l'est : la composition le masquait (« {driver} » pèse {share_a} pour {a}, {share_b} pour {b}).",
                    "{kpi}: raw gap {a} − {b} of {raw}, not significant; at equal {stratum} ({adjusted}) it is: the "
                    "composition hid it (“{driver}” weighs {share_a} for {a}, {share_b} for {b})."),
    "mix.same": ("À {stratum} égal, aucun écart ne change de sens ni de verdict.",
                 "At equal {stratum}, no gap changes direction or verdict."),
    "mix.none": ("Aucun indicateur ne peut être ajusté sur cette dimension avec ces données.",
                 "No indicator can be adjusted for this dimension with this data."),
    "mix.column.raw": ("Écart brut", "Raw gap"),
    "mix.column.adjusted": ("Écart à mix égal", "Gap at equal mix"),
    "mix.column.p_raw": ("p brut", "Raw p"),
    "mix.column.p_adjusted": ("p à mix égal", "p at equal mix"),
    "mix.column.strata": ("Valeurs comparées", "Values compared"),
    "mix.method": ("Panier : standardisation directe (l'écart de chaque valeur pesé par sa part des ventes des deux "
                   "groupes réunis). Taux : Mantel-Haenszel (écart de taux commun aux valeurs, test de "
                   "Cochran-Mantel-Haenszel). Seules les valeurs présentes dans les deux groupes comptent.",
                   "Basket: direct standardisation (each value's gap weighed by its share of both groups' sales "
                   "together). Rates: Mantel-Haenszel (rate gap common to the values, Cochran-Mantel-Haenszel "
                   "test). Only values present in both groups count."),
    "mix.basket": ("Panier par vente : {a} − {b} = {difference} (intervalle bootstrap BCa à 95 % : {interval}) ; "
                   "médianes : {a} {median_a}, {b} {median_b}. Les paniers sont asymétriques : quelques grosses "
                   "ventes tirent la moyenne, la médiane dit la vente typique.",
                   "Basket per sale: {a} − {b} = {difference} (95% BCa bootstrap interval: {interval}); medians: "
                   "{a} {median_a}, {b} {median_b}. Baskets are skewed: a few large sales pull the mean, the median "
                   "tells the typical sale."),
    "compare.rank.raw": ("valeur de la période", "value over the period"),
    "compare.rank.shrunk": ("valeur ajustée (ordre)", "adjusted value (order)"),
    "compare.rank.order": ("Ordre selon la valeur ajustée (losange) : chaque valeur est rapprochée de la valeur "
                           "d'ensemble d'autant plus que son intervalle est large — un petit groupe premier par "
                           "chance ne prend pas la tête. ▲/▼ : diffère du reste, avec au plus {fdr} de fausses "
                           "découvertes parmi les {count} comparaisons (Benjamini-Hochberg).",
                           "Ordered by the adjusted value (diamond): each value is pulled towards the overall one "
                           "the more its interval is wide — a small group first by luck does not take the lead. "
                           "▲/▼: differs from the rest, with at most {fdr} false discoveries among the {count} "
                           "comparisons (Benjamini-Hochberg)."),
    "compare.rank.fdr": ("{kept} valeur(s) sur {count} se distinguent vraiment du reste ; sans tenir compte du "
                         "nombre de comparaisons, on en aurait annoncé {raw}.",
                         "{kept} value(s) out of {count} really stand out from the rest; without accounting for "
                         "the number of comparisons, {raw} would have been announced."),
    "compare.rank.view": ("Vue", "View"),
    "compare.rank.bars": ("Barres", "Bars"),
    "compare.rank.funnel": ("Entonnoir de contrôle", "Funnel plot"),
    "compare.funnel.title": ("{kpi} selon la taille — par {dimension}", "{kpi} by size — by {dimension}"),
    "compare.funnel.size": ("Observations (échelle log)", "Observations (log scale)"),
    "compare.funnel.limit": ("limites {level}", "{level} limits"),
    "compare.funnel.caption": ("Chaque point : une valeur et son nombre d'observations. Entre les limites, l'écart à "
                               "la valeur d'ensemble peut venir du hasard ; hors des limites à 99,8 % (en rouge), "
                               "rarement. Les petits groupes sont à gauche, où l'entonnoir est large.",
                               "Each point: a value and its number of observations. Between the limits, the gap to "
                               "the overall value can be chance; outside the 99.8% limits (red), rarely. Small "
                               "groups sit on the left, where the funnel is wide."),
    "compare.funnel.none": ("L'entonnoir de contrôle lit un taux ou une moyenne : pas un total ni une conversion "
                            "à travers plusieurs étapes.",
                            "The funnel plot reads a rate or an average: not a total nor a conversion through "
                            "several stages."),
    "compare.column.shrunk": ("Valeur ajustée", "Adjusted value"),
    "compare.column.p_value": ("p (contre le reste)", "p (against the rest)"),
    "compare.column.q_value": ("q (Benjamini-Hochberg)", "q (Benjamini-Hochberg)"),
    "compare.column.differs": ("Diffère du reste", "Differs from the rest"),
    "compare.differs.1": ("au-dessus", "above"),
    "compare.differs.-1": ("en dessous", "below"),
    "compare.differs.0": ("non", "no"),
    "compare.small_mark": ("{count} (petit groupe)", "{count} (small group)"),
    "map.title": ("carte", "map"),
    "map.inset": ("Paris et petite couronne", "Paris and inner suburbs"),
    "chart.point": ("{name} : {value}", "{name}: {value}"),
    "map.grouped": ("Plusieurs valeurs tombent dans un même département : le classement et la carte les "
                    "additionnent par département (par région quand certaines valeurs sont des régions). Un clic "
                    "prend toutes les valeurs de la zone comme groupe A.",
                    "Several values fall in one department: the ranking and the map add them up by department (by "
                    "region when some values are regions). A click takes every value of the area as group A."),
    "map.no_data": ("Pas de données", "No data"),
    "map.unplaced": ("Hors carte (pas une région ou un département français) : {names}.",
                     "Not on the map (not a French region or department): {names}."),
    "compare.verdict.missing": ("{kpi} : pas de valeur pour l'un des groupes sur la période.",
                                "{kpi}: no value for one of the groups in the period."),
}

MESSAGES.update(INPUT_MESSAGES)
MESSAGES.update(REVIEW_MESSAGES)
_INDEX = {"fr": 0, "en": 1}


def t(key: str, lang: str = DEFAULT_LANGUAGE, **params) -> str:
    """The message `key` in `lang`, with `{params}` filled in."""
    text = MESSAGES[key][_INDEX.get(lang, 0)]
    return text.format(**params) if params else text


def language_from_locale(locale: str | None) -> str:
    """`en-US` → `en`; French otherwise (the product's default)."""
    return "en" if locale and locale.lower().startswith("en") else DEFAULT_LANGUAGE
