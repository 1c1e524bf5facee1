"""The French/English sentences about reading the user's files and mapping them (merged into i18n.MESSAGES)."""

from __future__ import annotations

INPUT_MESSAGES: dict[str, tuple[str, str]] = {
    # Saved mapping files (one sentence each: where in the file, and what was expected there)
    "mapping.error.too_large": ("Le fichier de correspondance dépasse {limit_kb} Ko : ce n'est pas un fichier "
                                "enregistré par Boussole.",
                                "The mapping file is over {limit_kb} KB: it is not a file saved by Boussole."),
    "mapping.error.encoding": ("Le fichier de correspondance n'est pas en UTF-8 : téléchargez-le de nouveau depuis "
                               "Boussole.", "The mapping file is not UTF-8: download it again from Boussole."),
    "mapping.error.json": ("Le fichier de correspondance n'est pas du JSON valide (ligne {line}, colonne {column}).",
                           "The mapping file is not valid JSON (line {line}, column {column})."),
    "mapping.error.deep": ("Le fichier de correspondance est imbriqué trop profondément : ce n'est pas un fichier "
                           "enregistré par Boussole.",
                           "The mapping file is nested too deep: it is not a file saved by Boussole."),
    "mapping.error.field": ("Fichier de correspondance refusé : « {where} » ne convient pas ({detail}).",
                            "Mapping file refused: “{where}” is not valid ({detail})."),
    "mapping.expected.object": ("Fichier de correspondance refusé : « {where} » doit être un objet JSON.",
                                "Mapping file refused: “{where}” must be a JSON object."),
    "mapping.expected.list": ("Fichier de correspondance refusé : « {where} » doit être une liste.",
                              "Mapping file refused: “{where}” must be a list."),
    "mapping.expected.text": ("Fichier de correspondance refusé : « {where} » doit être un texte.",
                              "Mapping file refused: “{where}” must be a text."),
    "mapping.expected.boolean": ("Fichier de correspondance refusé : « {where} » doit valoir true ou false.",
                                 "Mapping file refused: “{where}” must be true or false."),
    "mapping.expected.number": ("Fichier de correspondance refusé : « {where} » doit être un nombre.",
                                "Mapping file refused: “{where}” must be a number."),
    "mapping.expected.missing": ("Fichier de correspondance refusé : « {where} » manque.",
                                 "Mapping file refused: “{where}” is missing."),
    "mapping.expected.too_long": ("Fichier de correspondance refusé : « {where} » a trop d'éléments.",
                                  "Mapping file refused: “{where}” has too many items."),
    "mapping.expected.too_short": ("Fichier de correspondance refusé : « {where} » a trop peu d'éléments.",
                                   "Mapping file refused: “{where}” has too few items."),
    "mapping.expected.too_long_text": ("Fichier de correspondance refusé : un texte de « {where} » est trop long.",
                                       "Mapping file refused: a text in “{where}” is too long."),
    "mapping.expected.one_of": ("Fichier de correspondance refusé : « {where} » vaut « {value} », qui n'est pas "
                                "permis (attendu : {expected}).",
                                "Mapping file refused: “{where}” is “{value}”, which is not allowed (expected: "
                                "{expected})."),
    "mapping.expected.encoding": ("Fichier de correspondance refusé : « {value} » (« {where} ») n'est pas un "
                                  "encodage de texte connu, comme utf-8 ou cp1252.",
                                  "Mapping file refused: “{value}” (“{where}”) is not a known text encoding, such "
                                  "as utf-8 or cp1252."),
    "mapping.expected.field": ("Fichier de correspondance refusé : « {value} » (« {where} ») n'est pas un champ "
                               "de {dataset}.", "Mapping file refused: “{value}” (“{where}”) is not a field of "
                               "{dataset}."),
    # Files and validation
    "file.too_large": ("Le fichier dépasse {limit_mb} Mo : compressez-le (.csv.gz ou .zip), exportez-le en Parquet, "
                       "ou filtrez l'export.",
                       "The file is over {limit_mb} MB: compress it (.csv.gz or .zip), export it as Parquet, or "
                       "filter the export."),
    "file.bad_archive": ("Cette archive est illisible (abîmée, protégée par mot de passe ou compressée deux fois) : "
                         "envoyez le CSV qu'elle contient.", "This archive cannot be read (damaged, password-protected "
                         "or compressed twice): send the CSV inside."),
    "file.zip_contents": ("Cette archive .zip contient {count} fichier(s) : il en faut un seul, en CSV ou TXT.",
                          "This .zip archive holds {count} file(s): it must hold exactly one, CSV or TXT."),
    "file.bad_parquet": ("Ce fichier Parquet est illisible : exportez-le de nouveau.",
                         "This Parquet file cannot be read: export it again."),
    "file.unpacked": ("« {name} » lu dans « {archive} ».", "“{name}” read from “{archive}”."),
    "file.line_too_long": ("La ligne {line} dépasse {limit_mb} Mo : ce n'est pas un export de tableau ; vérifiez "
                           "ses fins de ligne ou exportez de nouveau.",
                           "Line {line} is over {limit_mb} MB: this is not a table export; check its line endings "
                           "or export again."),
    "file.too_many_columns": ("Le fichier a {count} colonnes ; {limit} au plus : exportez seulement les colonnes "
                              "utiles.", "The file has {count} columns; {limit} at most: export only the columns "
                              "you need."),
    "file.replaced": ("Quelques octets ne sont pas du {encoding} valide : ils sont remplacés par « \ufffd » sur "
                      "{count} ligne(s) (dont {lines}) ; vérifiez ces lignes dans l'export.",
                      "Some bytes are not valid {encoding}: they are replaced by “\ufffd” on {count} line(s) "
                      "(including {lines}); check those lines in the export."),
    "file.inflates": ("Ce classeur se décompresse en plus de {limit_mb} Mo : exportez-le en CSV.",
                      "This workbook unpacks to more than {limit_mb} MB: export it as CSV."),
    "file.too_many_rows": ("Ce classeur dépasse {limit} lignes : exportez-le en CSV, qui n'a pas cette limite.",
                           "This workbook has more than {limit} rows: export it as CSV, which has no such limit."),
    "file.sheets_read": ("Feuilles lues ensemble (mêmes colonnes) : {sheets} ; les lignes sont numérotées "
                         "Feuille!ligne.", "Sheets read together (same columns): {sheets}; rows are numbered "
                         "Sheet!row."),
    "file.sheet_left_out": ("La feuille « {sheet} » ({rows} lignes) n'a pas les colonnes de la première et n'est "
                            "pas lue : enregistrez-la dans un fichier à part.",
                            "Sheet “{sheet}” ({rows} rows) does not have the first sheet's columns and is not "
                            "read: save it as a file of its own."),
    "file.empty": ("Le fichier est vide : exportez-le de nouveau avec ses lignes.",
                   "The file is empty: export it again with its rows."),
    "file.binary": ("Ce n'est pas un fichier texte ni Excel : exportez en CSV ou en .xlsx.",
                    "This is neither a text nor an Excel file: export it as CSV or .xlsx."),
    "file.malformed": ("Le fichier est illisible ({detail}) : vérifiez qu'il s'agit bien d'un CSV ou d'un .xlsx.",
                       "The file cannot be read ({detail}): check it is a CSV or an .xlsx file."),
    "file.quote_after_spaces": ("Une cellule commence par des espaces puis un guillemet : enregistrez l'export sans "
                                "espace après le séparateur.",
                                "A cell starts with spaces then a quote: save the export without spaces after the "
                                "delimiter."),
    "file.old_excel": ("Ancien format Excel (.xls) : ouvrez-le dans Excel et enregistrez-le en .xlsx ou en CSV.",
                       "Old Excel format (.xls): open it in Excel and save it as .xlsx or CSV."),
    "file.html": ("C'est une page web ou du XML enregistré sous un nom de tableur : ouvrez-le dans Excel et "
                  "enregistrez-le en .xlsx ou en CSV.",
                  "This is a web page or XML saved under a spreadsheet name: open it in Excel and save it as "
                  ".xlsx or CSV."),
    "file.too_many_fields": (
        "La ligne {line} a {saw} colonnes alors que l'en-tête en a {expected} : vérifiez le séparateur ou "
        "les guillemets de cette ligne, puis exportez de nouveau.",
        "Line {line} has {saw} columns but the header has {expected}: check the delimiter or the quotes on "
        "that line, then export again.",
    ),
    "file.too_many_fields_somewhere": (
        "Des lignes ont plus de colonnes que l'en-tête : vérifiez le séparateur ou les guillemets, puis exportez "
        "de nouveau.",
        "Some lines have more columns than the header: check the delimiter or the quotes, then export again.",
    ),
    "file.unclosed_quote": (
        "Un guillemet ouvert ligne {line} n'est jamais fermé : corrigez cette cellule ou exportez de nouveau.",
        "A quote opened on line {line} is never closed: fix that cell or export again.",
    ),
    "file.bad_workbook": ("Ce classeur Excel est endommagé ou n'en est pas un : ouvrez-le dans Excel et "
                          "enregistrez-le de nouveau en .xlsx, ou exportez en CSV.",
                          "This Excel workbook is damaged or is not one: open it in Excel and save it again as "
                          ".xlsx, or export as CSV."),
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
    "validation.blank": ("{rows} ligne(s) sans client ({amount}) gardées : comptées dans le chiffre d'affaires et "
                         "les ventes, pas dans les indicateurs clients (clients actifs, rétention, LTV).",
                         "{rows} row(s) without a customer ({amount}) kept: counted in revenue and sales, not in "
                         "customer KPIs (active customers, retention, LTV)."),
    "validation.lost_at": ("{count} affaire(s) perdue(s) sans étape propre comptée(s) à l'étape « {stage} » : "
                           "{why}.",
                           "{count} lost deal(s) with no stage of their own counted at the stage “{stage}”: {why}."),
    "validation.lost_at_dated": ("la plus avancée que montrent leurs dates (modifiable dans les colonnes)",
                                 "the furthest their dates show (can be changed under columns)"),
    "validation.lost_at_first": ("aucune date ne montre une étape plus avancée (modifiable dans les colonnes)",
                                 "no date shows a further stage (can be changed under columns)"),
    "validation.lost_at_chosen": ("l'étape choisie dans les colonnes", "the stage chosen under columns"),
    "upload.lost_stage": ("Étape d'une affaire perdue sans étape", "Stage of a lost deal with no stage"),
    "upload.lost_stage_auto": ("La plus avancée que montrent ses dates", "The furthest its dates show"),
    "upload.lost_stage_help": (
        "Quand la colonne d'étape ne dit que « Perdu », l'affaire compte à cette étape dans l'entonnoir.",
        "When the stage column only says “Lost”, the deal counts at this stage in the funnel."),
    "upload.fallback": ("Si la date de création est vide, prendre", "When the creation date is empty, use"),
    "lookup.coverage": ("{lookup} joint sur « {on} » ({columns}) : {found} ligne(s) sur {rows} trouvées, {missing} "
                        "sans correspondance.",
                        "{lookup} joined on “{on}” ({columns}): {found} of {rows} row(s) found, {missing} without a "
                        "match."),
    "upload.lookup_used": ("Fichier de correspondance ({rows} lignes, sans date) : ses colonnes complètent les "
                           "fichiers de données par « {keys} ».",
                           "Lookup file ({rows} rows, no dates): its columns complete the data files through "
                           "“{keys}”."),
    "upload.lookup_unused": ("Ni données datées ni correspondance : aucune colonne d'un fichier de données ne contient "
                             "ses identifiants. Ajoutez le fichier qu'il complète, ou une colonne de date s'il "
                             "s'agit de données.",
                             "Neither dated data nor a lookup: no column of a data file holds its keys. Add the file "
                             "it completes, or a date column if it holds data."),
    "currency.found": ("Montants en {currency}.", "Amounts in {currency}."),
    "currency.mixed": ("Montants en plusieurs monnaies ({currencies}) : un jeu de données n'en a qu'une. Exportez une "
                       "monnaie par fichier, ou choisissez celle du fichier.",
                       "Amounts in several currencies ({currencies}): a data set has only one. Export one currency "
                       "per file, or choose the file's."),
    "currency.mix_files": ("Ces fichiers ne sont pas dans la même monnaie ({currencies}) : chargez-en une à la fois.",
                           "These files are not in the same currency ({currencies}): load one at a time."),
    "upload.currency": ("Monnaie des montants", "Currency of the amounts"),
    "upload.currency_auto": ("Selon le fichier", "As the file says"),
    "recognition.found": ("Reconnu : {fields}.", "Recognised: {fields}."),
    "recognition.item": ("{field} ← {column} ({confidence})", "{field} ← {column} ({confidence})"),
    "recognition.high": ("sûr", "sure"),
    "recognition.medium": ("probable", "likely"),
    "recognition.low": ("à vérifier", "to check"),
    "recognition.ask": ("À vérifier avant de charger : {fields}. Aucun nom de colonne connu ne les désigne, ou leurs "
                        "valeurs ne collent pas ; corrigez dans les colonnes si besoin.",
                        "Check before loading: {fields}. No known column name says so, or their values do not fit; "
                        "correct under columns if needed."),
    "upload.reject_blank": ("Rejeter les lignes sans client", "Reject rows without a customer"),
    "upload.reject_blank_help": (
        "Par défaut, une ligne sans code client (vente au comptoir, commande invité) compte dans le chiffre "
        "d'affaires et les ventes, mais pas dans les indicateurs clients. Cochez pour la rejeter.",
        "By default a row without a customer id (counter sale, guest checkout) counts in revenue and sales but not "
        "in customer KPIs. Tick to reject it."),
    "validation.usable": ("Fichier utilisable.", "The file is usable."),
    "validation.unusable": ("Fichier inutilisable.", "The file is not usable."),
    "validation.problem": ("{column} — {check} : {count} ligne(s), ex. lignes {rows}, valeurs {values}",
                           "{column} — {check}: {count} row(s), e.g. rows {rows}, values {values}"),
    "check.required": ("valeur obligatoire manquante", "required value missing"),
    "check.unique": ("identifiant en double", "duplicate identifier"),
    "check.allowed": ("valeur non autorisée", "value not allowed"),
    "check.min": ("valeur trop petite (négative ?)", "value too small (negative?)"),
    "check.max": ("valeur trop grande", "value too large"),
    "check.future": ("date postérieure à demain : un événement ne peut pas être à venir (date fictive ?)",
                     "date after tomorrow: an event cannot lie ahead (a placeholder date?)"),
    "check.far_future": ("date à plus de trois ans (date fictive comme 31/12/2099 ?)",
                         "date more than three years ahead (a placeholder such as 31/12/2099?)"),
    "check.too_long": ("cellule de plus de 32 767 caractères (export abîmé ?)",
                       "cell longer than 32,767 characters (a broken export?)"),
    "check.absurd": ("montant hors de proportion (au-delà de 1 000 milliards)",
                     "amount out of all proportion (over a thousand billion)"),
    "check.date_range": ("date trop ancienne ou trop lointaine", "date too old or too far ahead"),
    "check.type": ("type incorrect", "wrong type"),
    "check.number": ("nombre illisible", "unreadable number"),
    "check.date": ("date illisible", "unreadable date"),
    "check.bool": ("oui/non illisible", "unreadable yes/no"),
    "check.unknown_value": ("valeur inconnue", "unknown value"),
    "check.other": ("contrôle échoué", "check failed"),
    # Upload & mapping
    "page.upload": ("Import & correspondances", "Upload & mapping"),
    "upload.title": ("Importer vos fichiers", "Upload your files"),
    "upload.intro": (
        "Déposez les exports de votre CRM, de votre facturation ou de vos tableurs (CSV, TXT, Excel ou Parquet, "
        "compressés en .gz ou .zip si besoin), "
        "tels quels : Boussole reconnaît les colonnes, vous corrigez si besoin, et rien n'est perdu sans "
        "que vous le sachiez. Vos données restent dans cette session de navigateur.",
        "Drop the exports of your CRM, invoicing tool or spreadsheets (CSV, TXT, Excel or Parquet, compressed as "
        ".gz or .zip if need be) as they are: "
        "Boussole recognises the columns, you correct them if needed, and nothing is lost without you "
        "knowing. Your data stays in this browser session.",
    ),
    "upload.files": ("Fichiers à importer", "Files to upload"),
    "upload.files_help": ("Plusieurs fichiers à la fois : ventes, opportunités, activités, leads, dépenses, "
                          "objectifs. Plusieurs exports mensuels d'un même type s'additionnent. Jusqu'à {limit_mb} Mo "
                          "par fichier, {total_mb} Mo en tout.",
                          "Several files at once: orders, deals, activities, leads, spend, targets. Several "
                          "monthly exports of one kind add up. Up to {limit_mb} MB per file, {total_mb} MB in all."),
    "upload.file_too_large": ("« {name} » dépasse {limit_mb} Mo : compressez-le (.csv.gz ou .zip : un export de "
                              "ventes y tient souvent en dix fois moins), exportez-le en Parquet, ou filtrez "
                              "l'export (une période, les colonnes utiles).",
                              "“{name}” is over {limit_mb} MB: compress it (.csv.gz or .zip: a sales export often "
                              "shrinks tenfold), export it as Parquet, or filter the export (one period, the columns "
                              "you need)."),
    "upload.total_too_large": ("« {name} » n'est pas lu : ensemble, les fichiers dépasseraient {limit_mb} Mo ; "
                               "importez-les en plusieurs fois.",
                               "“{name}” is not read: together the files would exceed {limit_mb} MB; upload them "
                               "in several goes."),
    "upload.settings": ("Étapes du pipeline et correspondances enregistrées", "Pipeline stages and saved mappings"),
    "upload.stages": ("Étapes du pipeline, dans l'ordre (une par ligne)", "Pipeline stages, in order (one per line)"),
    "upload.stages_help": ("La dernière étape est la signature. Une affaire perdue compte comme ayant atteint "
                           "l'étape où elle a été perdue.",
                           "The last stage is the signature. A lost deal counts as having reached the stage "
                           "it was lost at."),
    "upload.stages_too_few": ("Il faut au moins deux étapes : la liste précédente est conservée.",
                              "At least two stages are needed: the previous list is kept."),
    "upload.mapping_file": ("Correspondances enregistrées (JSON)", "Saved mapping (JSON)"),
    "upload.mapping_help": ("Le fichier téléchargé lors d'un import précédent : il est réappliqué "
                            "automatiquement aux fichiers qui ont les mêmes colonnes.",
                            "The file downloaded after a previous upload: it is applied automatically to "
                            "files with the same columns."),
    "upload.dataset": ("Ce fichier contient", "This file holds"),
    "upload.choose": ("Choisissez…", "Choose…"),
    "upload.unknown_dataset": ("Colonnes non reconnues : indiquez ce que contient ce fichier.",
                               "Columns not recognised: say what this file holds."),
    "upload.preset": ("Export reconnu : {preset}.", "Recognised export: {preset}."),
    "upload.saved_applied": ("Correspondance enregistrée réappliquée (mêmes colonnes).",
                             "Saved mapping applied again (same columns)."),
    "upload.reading": ("Lecture du fichier (encodage, séparateur)", "How the file is read (encoding, delimiter)"),
    "upload.encoding": ("Encodage", "Encoding"),
    "upload.delimiter": ("Séparateur", "Delimiter"),
    "upload.auto": ("Automatique", "Automatic"),
    "upload.columns": ("Colonnes (* obligatoire)", "Columns (* required)"),
    "upload.amount_column": ("une colonne", "one column"),
    "upload.amount_product": ("quantité × prix unitaire", "quantity × unit price"),
    "upload.quantity": ("Quantité", "Quantity"),
    "upload.unit_price": ("Prix unitaire", "Unit price"),
    "upload.stage_dates": ("{count} colonnes de date d'entrée par étape : l'entonnoir utilise les vraies entrées "
                           "dans chaque étape.",
                           "{count} date-entered-stage columns: the funnel uses the true entries into each stage."),
    "upload.day_first": ("Dates au format jour/mois (France)", "Dates are day/month (French)"),
    "upload.day_first_help": ("Décochez si le fichier écrit les dates mois/jour (01/02/2025 = 2 janvier).",
                              "Switch off if the file writes dates month/day (01/02/2025 = 2 January)."),
    "upload.values": ("Valeurs : étapes, statuts, types", "Values: stages, statuses, types"),
    "upload.from_column": ("colonne « {column} »", "column “{column}”"),
    "upload.more_values": ("{count} autres valeurs, moins fréquentes, sont reconnues automatiquement.",
                           "{count} other, less frequent values are recognised automatically."),
    "upload.unmapped_stage": ("— pas une étape (ex. Perdu)", "— not a stage (e.g. Lost)"),
    "upload.unmapped_value": ("— non reconnu", "— not recognised"),
    "upload.convention": ("{column} : {convention}", "{column}: {convention}"),
    "upload.detected": ("Détecté : {conventions}", "Detected: {conventions}"),
    "upload.ambiguous_dates": (
        "Des dates comme 01/02/2025 peuvent se lire des deux façons : elles sont lues jour/mois "
        "(1er février). Changez le réglage « Dates au format jour/mois » si ce n'est pas le cas.",
        "Dates such as 01/02/2025 can be read both ways: they are read day/month (1 February). "
        "Change the “Dates are day/month” setting if that is wrong.",
    ),
    "upload.validating": ("Contrôle de {rows} lignes…", "Checking {rows} rows…"),
    "upload.read": ("Lignes lues", "Rows read"),
    "upload.accepted": ("Acceptées", "Accepted"),
    "upload.rejected": ("Rejetées", "Rejected"),
    "upload.no_problem": ("Aucune anomalie : toutes les lignes sont acceptées.",
                          "No problem: every row is accepted."),
    "upload.problems": ("{count} ligne(s) rejetée(s). Vous pouvez continuer avec les lignes acceptées, ou "
                        "corriger le fichier et le déposer de nouveau.",
                        "{count} row(s) rejected. You can go on with the accepted rows, or fix the file and "
                        "upload it again."),
    "upload.problem_column": ("Colonne", "Column"),
    "upload.problem_check": ("Problème", "Problem"),
    "upload.problem_count": ("Lignes", "Rows"),
    "upload.problem_rows": ("Exemples de lignes", "Example rows"),
    "upload.problem_values": ("Exemples de valeurs", "Example values"),
    "upload.rejected_file": ("lignes_rejetees", "rejected_rows"),
    "download.csv": ("CSV", "CSV"),
    "download.xlsx": ("Excel", "Excel"),
    "upload.reason_column": ("Motif du rejet", "Reason"),
    "upload.download_rejected_csv": ("Lignes rejetées (CSV)", "Rejected rows (CSV)"),
    "upload.download_rejected_xlsx": ("Lignes rejetées (Excel)", "Rejected rows (Excel)"),
    "upload.ready": ("Prêt à charger : {datasets}.", "Ready to load: {datasets}."),
    "upload.ready_item": ("{dataset} ({rows} lignes)", "{dataset} ({rows} rows)"),
    "upload.load": ("Charger ces données", "Load these data"),
    "upload.nothing_usable": ("Aucun fichier utilisable pour l'instant.", "No usable file yet."),
    "session.released": ("La connexion a été coupée et vos données ont été libérées : voici à nouveau l'entreprise "
                         "d'exemple. Rechargez vos fichiers depuis la page « Import & correspondances ».",
                         "The connection dropped and your data was released: this is the sample company again. "
                         "Load your files again from the “Upload & mapping” page."),
    "upload.loaded": ("Vos données sont chargées : {datasets}. Elles ne sont visibles que dans cette session.",
                      "Your data is loaded: {datasets}. Only this session can see it."),
    "upload.duplicates": ("{count} ligne(s) écartée(s) : identifiant déjà présent dans un autre fichier "
                          "(ex. {examples}).",
                          "{count} row(s) left out: identifier already in another file (e.g. {examples})."),
    "upload.download_mapping": ("Télécharger les correspondances (JSON)", "Download the mapping (JSON)"),
    "preset.hubspot_deals": ("HubSpot (transactions)", "HubSpot (deals)"),
    "preset.pipedrive_deals": ("Pipedrive (affaires)", "Pipedrive (deals)"),
    "preset.salesforce_opportunities": ("Salesforce (opportunités)", "Salesforce (opportunities)"),
    "preset.french_invoices": ("factures (export type français)", "invoices (French export)"),
    "dialect.xlsx": ("Classeur Excel (.xlsx)", "Excel workbook (.xlsx)"),
    "dialect.parquet": ("Fichier Parquet", "Parquet file"),
    "dialect.csv": ("Texte {encoding}, séparateur {delimiter}", "Text {encoding}, {delimiter}-separated"),
    "delimiter.semicolon": ("point-virgule", "semicolon"),
    "delimiter.comma": ("virgule", "comma"),
    "delimiter.tab": ("tabulation", "tab"),
    "delimiter.pipe": ("barre verticale", "pipe"),
    "convention.decimal_comma": ("virgule décimale (1 234,56)", "decimal comma (1 234,56)"),
    "convention.decimal_point": ("point décimal (1,234.56)", "decimal point (1,234.56)"),
    "convention.utc": (", heures avec fuseau (Z, +02:00) converties en UTC, les autres lues telles quelles",
                       ", times with an offset (Z, +02:00) converted to UTC, the others read as written"),
    "value.open": ("en cours", "open"),
    "value.won": ("gagné", "won"),
    "value.lost": ("perdu", "lost"),
    "value.call": ("appel", "call"),
    "value.email": ("e-mail", "email"),
    "value.meeting": ("rendez-vous", "meeting"),
    "value.other": ("autre", "other"),
    "value.true": ("oui", "yes"),
    "value.false": ("non", "no"),
    "field.order_id": ("N° de commande / facture", "Order / invoice number"),
    "field.customer_id": ("Client", "Customer"),
    "field.order_date": ("Date de commande", "Order date"),
    "field.amount": ("Montant HT", "Amount excl. tax"),
    "field.region": ("Région / ville", "Region / city"),
    "field.segment": ("Segment", "Segment"),
    "field.rep": ("Commercial", "Sales rep"),
    "field.product": ("Produit", "Product"),
    "field.channel": ("Canal", "Channel"),
    "field.is_recurring": ("Abonnement (récurrent)", "Subscription (recurring)"),
    "field.deal_id": ("Identifiant de l'affaire", "Deal id"),
    "field.created_date": ("Date de création", "Created date"),
    "field.stage": ("Étape atteinte", "Stage reached"),
    "field.status": ("Statut (en cours / gagné / perdu)", "Status (open / won / lost)"),
    "field.closed_date": ("Date de clôture", "Close date"),
    "field.source": ("Source", "Source"),
    "field.lost_reason": ("Motif de perte", "Lost reason"),
    "field.activity_date": ("Date de l'activité", "Activity date"),
    "field.activity_type": ("Type d'activité", "Activity type"),
    "field.meeting_set": ("Rendez-vous obtenu", "Meeting set"),
    "field.lead_id": ("Identifiant du lead", "Lead id"),
    "field.created_at": ("Date d'arrivée du lead", "Lead created at"),
    "field.first_response_at": ("Première réponse", "First response at"),
    "field.is_mql": ("MQL", "MQL"),
    "field.is_qualified": ("Qualifié", "Qualified"),
    "field.converted": ("Converti", "Converted"),
    "field.month": ("Mois", "Month"),
    "field.category": ("Catégorie", "Category"),
    "field.period": ("Mois de l'objectif", "Target month"),
    "field.target": ("Objectif", "Target"),
    "field.kpi": ("Indicateur visé", "Target KPI"),
}
