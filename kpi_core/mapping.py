"""Mapping source columns and values onto the canonical datasets, with French and English synonyms."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field

from kpi_core import mapping_file
from kpi_core.mapping_file import FileEntry
from kpi_core.presets import PRESETS, Preset
from kpi_core.schemas import DATASETS, DIMENSIONS, fields

DEFAULT_STAGES = ("Prospect contacté", "Rendez-vous", "Proposition", "Négociation", "Signé")


def normalize(label) -> str:
    """`Montant HT (€)` → `montant ht`: no accents, case, punctuation or extra spaces."""
    text = unicodedata.normalize("NFKD", str(label)).encode("ascii", "ignore").decode()
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", text)  # camelCase export headers
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


_ORDER_ID = ("order id", "commande", "n commande", "numero commande", "no commande", "id commande",
             "ref commande", "facture", "n facture", "numero facture", "num facture", "no facture",
             "ref facture", "invoice", "invoice id", "invoice number", "order number", "order", "invoice no",
             "numero de facture", "n de facture", "reference", "ref", "numero de commande", "n de commande")
_CUSTOMER = ("customer id", "customer", "client", "code client", "id client", "n client", "numero client",
             "client id", "account", "account id", "compte", "societe", "raison sociale", "company", "entreprise",
             "customer name", "nom du client", "tiers")
_AMOUNT = ("amount", "montant", "montant ht", "ca", "ca ht", "chiffre d affaires", "chiffre d affaires ht",
           "total ht", "net amount", "revenue", "deal amount", "close value", "amount excl tax", "montant net",
           "prix total ht", "valeur", "value", "opportunity amount", "sales", "sales amount", "line total",
           "net sales", "revenue amount")
# In order of preference when several are present: the coarsest place a sales team is organised by first (a
# region rather than a city, a city rather than a country of one value).
_REGION = ("region", "territoire", "territory", "regional office", "sales office", "zone", "departement",
           "department", "state", "province", "code postal", "cp", "postcode", "postal code", "zip", "ville", "city",
           "billing city", "localite", "agence", "office", "pays", "country", "billing country")
_SEGMENT = ("segment", "type client", "customer type", "categorie client", "secteur", "sector", "industry", "taille",
            "segment client", "type de client", "account type")
_REP = ("rep", "commercial", "vendeur", "sales rep", "owner", "proprietaire", "responsable", "deal owner",
        "opportunity owner", "account executive", "salesperson", "charge d affaires", "commercial e",
        "utilisateur", "user", "assigned to", "attribue a", "sales agent", "agent", "sales person", "seller",
        "account manager", "sales manager")
QUANTITY_SYNONYMS = ("quantite", "qte", "qty", "quantity", "nombre", "nb", "quantite vendue", "units")
UNIT_PRICE_SYNONYMS = ("prix unitaire", "prix unitaire ht", "pu", "pu ht", "unit price", "prix unit ht", "prix u ht",
               "prix de vente unitaire", "unit price excl tax")
_SOURCE = ("source", "origine", "lead source", "canal d acquisition", "original source", "source du lead")

COLUMN_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "orders": {
        "order_id": _ORDER_ID,
        "customer_id": _CUSTOMER,
        "order_date": ("order date", "date", "date commande", "date facture", "invoice date", "date de facture",
                       "date de commande", "date vente", "sale date", "date d emission", "date piece"),
        "amount": _AMOUNT,
        "region": _REGION,
        "segment": _SEGMENT,
        "rep": _REP,
        "product": ("product", "produit", "article", "designation", "gamme", "sku", "reference produit",
                    "product name", "item", "libelle", "description", "stock code", "product code",
                    "code article"),
        "channel": ("channel", "canal", "canal de vente", "sales channel"),
        "is_recurring": ("recurring", "abonnement", "recurrent", "subscription", "revenu recurrent",
                         "recurring revenue", "mrr"),
    },
    "deals": {
        "deal_id": ("deal id", "id", "opportunity id", "opportunite", "id opportunite", "record id", "deal",
                    "affaire", "n affaire", "id affaire", "deal name", "nom de l affaire", "opportunity name"),
        "created_date": ("created date", "create date", "date de creation", "creation", "date creation",
                         "created", "created at", "deal created", "add time", "deal created on", "engage date",
                         "engaged date", "date engaged", "open date", "opened date", "date d ouverture",
                         "cree le", "creee le", "created on", "date d ajout"),
        "stage": ("stage", "etape", "deal stage", "phase", "stade", "pipeline stage", "etape de vente",
                  "etape de la transaction", "stage name"),
        "status": ("status", "statut", "etat", "outcome", "resultat", "won lost", "statut de l affaire"),
        "amount": _AMOUNT,
        "closed_date": ("close date", "closed date", "date de cloture", "cloture", "date cloture", "won time",
                        "close time", "date signature", "date de signature", "closed at", "expected close date",
                        "date de fermeture", "cloturee le", "cloture le", "closed on", "conclue le", "date de gain"),
        "rep": _REP,
        "region": _REGION,
        "segment": _SEGMENT,
        "source": _SOURCE,
        "lost_reason": ("lost reason", "raison perte", "motif de perte", "closed lost reason",
                        "raison de la perte", "motif perte", "loss reason", "raison"),
    },
    "activities": {
        "activity_date": ("activity date", "date", "date activite", "due date", "done date",
                          "date de l activite", "date d activite"),
        "rep": _REP,
        "activity_type": ("activity type", "type", "type d activite", "type activite", "nature"),
        "meeting_set": ("meeting set", "rdv pris", "rendez vous pris", "rdv obtenu", "meeting booked"),
        "lead_id": ("lead id", "id lead", "id prospect", "prospect"),
        "deal_id": ("deal id", "id affaire", "opportunite", "deal", "affaire"),
    },
    "leads": {
        "lead_id": ("lead id", "id", "id lead", "id prospect", "record id", "contact id"),
        "created_at": ("created at", "create date", "date de creation", "created", "date creation",
                       "date d entree", "created date"),
        "first_response_at": ("first response at", "premiere reponse", "date premiere reponse", "first contact",
                              "premier contact", "date premier contact", "first outreach"),
        "source": _SOURCE,
        "is_mql": ("is mql", "mql", "marketing qualified", "marketing qualified lead"),
        "is_qualified": ("is qualified", "qualified", "qualifie", "sql", "lead qualifie"),
        "converted": ("converted", "converti", "is converted", "transforme"),
        "rep": _REP,
        "region": _REGION,
        "segment": _SEGMENT,
    },
    "spend": {
        "month": ("month", "mois", "date", "periode", "period"),
        "amount": ("amount", "montant", "depense", "depenses", "cout", "cost", "spend", "montant ht"),
        "category": ("category", "categorie", "poste", "type", "nature", "poste de depense"),
    },
    "targets": {
        "period": ("period", "periode", "mois", "month", "date"),
        "target": ("target", "objectif", "quota", "objectif ca", "goal", "montant objectif"),
        "rep": _REP,
        "region": _REGION,
        "kpi": ("kpi", "indicateur", "metric"),
    },
}

# Canonical values of categorical fields and how exports spell them (normalized).
VALUE_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "status": {
        "won": ("won", "gagne", "gagnee", "closed won", "closedwon", "signe", "signee", "win", "conclu",
                "conclue", "accepte", "acceptee", "accepted", "deal won", "conclu gagne", "ferme gagne"),
        "lost": ("lost", "perdu", "perdue", "closed lost", "closedlost", "abandonne", "abandonnee", "refuse",
                 "refusee", "rejected", "annule", "annulee", "deal lost", "conclu perdu", "ferme perdu"),
        "open": ("open", "en cours", "ouvert", "ouverte", "in progress", "active", "pending", "en attente",
                 "nouveau", "new"),
    },
    "activity_type": {
        "call": ("call", "appel", "appels", "appel telephonique", "telephone", "phone", "phone call", "tel",
                 "calls"),
        "email": ("email", "e mail", "mail", "courriel", "emails"),
        "meeting": ("meeting", "rendez vous", "rdv", "reunion", "visite", "demo", "demonstration", "visio",
                    "meetings"),
        "other": ("other", "autre", "task", "tache", "note"),
    },
}

# Export stage names by position in the default five-stage pipeline (HubSpot, Pipedrive, Salesforce).
STAGE_SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("prospect contacte", "prospect", "contacte", "contacted", "prospecting", "lead", "lead in",
     "nouveau", "new", "qualification", "premier contact"),
    ("rendez vous", "rdv", "meeting", "appointment scheduled", "appointmentscheduled", "demo", "engaging",
     "qualified", "qualifie", "qualifiedtobuy", "qualified to buy", "discovery", "decouverte", "demo scheduled",
     "meeting scheduled",
     "contact made", "needs analysis", "id decision makers", "rendez vous programme", "qualifie pour l achat"),
    ("proposition", "proposal", "devis", "quote", "proposal price quote", "presentation scheduled",
     "presentationscheduled", "proposition envoyee", "offre", "proposal made", "value proposition",
     "decision maker bought in", "decisionmakerboughtin", "perception analysis", "presentation programmee",
     "decideur implique"),
    ("negociation", "negotiation", "negotiation review", "negotiations started", "contract sent",
     "contractsent", "closing", "en negociation", "contrat envoye"),
    ("signe", "signed", "won", "gagne", "closed won", "closedwon", "conclu", "conclu gagne"),
)


def header_score(column: str, synonyms: tuple[str, ...]) -> float:
    """3 for an exact synonym (a little more for one listed earlier: synonyms are in order of preference), 1–2
    when the header contains one as whole words (longer is better)."""
    name = normalize(column)
    if name in synonyms:
        return 3.0 + (len(synonyms) - synonyms.index(name)) / 1000
    padded = f" {name} "
    contained = [len(synonym) for synonym in synonyms if len(synonym) >= 3 and f" {synonym} " in padded]
    return 1.0 + max(contained) / 100 if contained else 0.0


def suggest_columns(columns: list[str], dataset: str, joined=()) -> dict[str, str]:
    """Best source column for each canonical field, each source column used once; a column `joined` from a lookup
    file only for a dimension (an account's `revenue` is not a deal's amount)."""
    candidates = []
    for spec in fields(dataset):
        synonyms = (normalize(spec.name),) + COLUMN_SYNONYMS[dataset].get(spec.name, ())
        for position, column in enumerate(columns):
            if column in joined and spec.name not in DIMENSIONS:
                continue
            score = header_score(column, synonyms)
            if score:
                # Required fields pick first; among equals, the leftmost column.
                candidates.append((-score, not spec.required, position, spec.name, column))
    chosen: dict[str, str] = {}
    for _, _, _, name, column in sorted(candidates):
        if name not in chosen and column not in chosen.values():
            chosen[name] = column
    return {spec.name: chosen[spec.name] for spec in fields(dataset) if spec.name in chosen}


def guess_dataset(columns: list[str], *, dated: bool = True) -> str | None:
    """The dataset the header fits best: its required fields first, then how many fields it has;
    a file missing one required column (to map by hand) still goes to the right dataset. With `dated`, only a
    dataset whose date the header names (without, the values may still show one: recognition.complete)."""
    best, best_score = None, 0.0
    for dataset in DATASETS:
        suggestion = suggest_columns(columns, dataset)
        required = [spec.name for spec in fields(dataset) if spec.required]
        covered = sum(name in suggestion for name in required) / len(required)
        score = covered + 0.1 * len(suggestion)
        # Every dataset is events in time: a file without its date (a list of accounts) is not one of them.
        has_date = all(spec.name in suggestion for spec in fields(dataset)
                       if spec.required and spec.kind in ("date", "datetime"))
        if covered >= 0.5 and (has_date or not dated) and score > best_score:
            best, best_score = dataset, score
    return best


def canonical_value(value, field_name: str) -> str | None:
    """`Gagné` → `won` for status, `Appel` → `call` for activity_type; None when unknown."""
    name = normalize(value)
    for canonical, synonyms in VALUE_SYNONYMS[field_name].items():
        if name == canonical or name in synonyms:
            return canonical
    return None


def stage_position(value, stages: tuple[str, ...]) -> int | None:
    """1-based position of a source stage name in the pipeline, None when it is not a stage."""
    # HubSpot appends the pipeline: `Contract Sent (Sales Pipeline)`.
    name = normalize(re.sub(r"\s*\([^()]*\)\s*$", "", str(value)) or value)
    for position, stage in enumerate(stages, start=1):
        if name == normalize(stage):
            return position
    if len(stages) == len(STAGE_SYNONYMS):
        for position, synonyms in enumerate(STAGE_SYNONYMS, start=1):
            if name in synonyms:
                return position
    return None


_STAGE_DATE = re.compile(
    r"^(?:date entered|date d.entr[ée]e(?: dans l.[ée]tape)?)\s*[«\"“']?\s*(?P<stage>.+?)\s*[»\"”']?\s*$",
    re.IGNORECASE,
)


def suggest_stage_dates(header: list[str], stages: tuple[str, ...]) -> dict[str, str]:
    """HubSpot-style `Date entered "Contract Sent (Sales Pipeline)"` columns → {column: pipeline stage}."""
    found = {}
    for column in header:
        match = _STAGE_DATE.match(str(column).strip())
        position = match and stage_position(match["stage"], stages)
        if position:
            found[column] = stages[position - 1]
    return found


_DATE_WORDS = ("date", "at", "on", "le", "time")


def suggest_named_stage_dates(header: list[str], stages: tuple[str, ...], taken=()) -> dict[str, str]:
    """Date columns named after a stage (`engage_date` for `Engaging`, `Date de proposition`) → {column: stage}: a
    deal with such a date reached that stage. Neither the first stage (the creation) nor the last (the signature),
    nor a column `taken` for another field (`close_date` is the closing, not `Closing`)."""
    found = {}
    for column in header:
        words = normalize(column).split()
        named = " ".join(word for word in words if word not in (*_DATE_WORDS, "de", "d", "du"))
        if column in taken or not named or not set(words) & set(_DATE_WORDS):
            continue
        for position in range(2, len(stages)):
            names = {normalize(stages[position - 1])}
            if len(stages) == len(STAGE_SYNONYMS):
                names |= set(STAGE_SYNONYMS[position - 1])
            if any(named == name or (min(len(named), len(name)) >= 5 and named[:5] == name[:5]) for name in names):
                found[column] = stages[position - 1]
                break
    return found


def suggest_amount_product(header: list[str]) -> tuple[str, str] | None:
    """`Quantité` and `Prix unitaire HT` when an invoice export has no line total."""
    quantity = _best(header, QUANTITY_SYNONYMS)
    unit_price = _best(header, UNIT_PRICE_SYNONYMS)
    return (quantity, unit_price) if quantity and unit_price and quantity != unit_price else None


def _best(header: list[str], synonyms: tuple[str, ...]) -> str | None:
    scored = [(header_score(column, synonyms), -position, column) for position, column in enumerate(header)]
    score, _, column = max(scored, default=(0, 0, None))
    return column if score else None


def preset_columns(preset: Preset, header: list[str]) -> dict[str, str]:
    """The preset's columns found in this header (the first spelling present wins)."""
    present = {normalize(column): column for column in header}
    found = {}
    for name, spellings in preset.columns.items():
        column = next((present[normalize(s)] for s in spellings if normalize(s) in present), None)
        if column is not None:
            found[name] = column
    return found


def recognise_preset(header: list[str], dataset: str | None = None) -> Preset | None:
    """The known export this header comes from: every required field found under its vendor spelling."""
    matches = []
    for preset in PRESETS:
        if dataset not in (None, preset.dataset):
            continue
        found = preset_columns(preset, header)
        required = {spec.name for spec in fields(preset.dataset) if spec.required}
        if "amount" in required and "amount" not in found and suggest_amount_product(header):
            required.discard("amount")
        if required <= set(found):
            matches.append((len(found), preset))
    return max(matches, key=lambda match: match[0])[1] if matches else None


def suggest_values(field_name: str, sources: list[str], stages: tuple[str, ...]) -> dict[str, str | None]:
    """What each distinct source value most likely means: a stage name, a status, an activity type."""
    if field_name == "stage":
        positions = {value: stage_position(value, stages) for value in sources}
        return {value: stages[p - 1] if p else None for value, p in positions.items()}
    return {value: canonical_value(value, field_name) for value in sources}


@dataclass
class DatasetMapping:
    """How one source file (recognised by its header) becomes one canonical dataset."""

    dataset: str
    columns: dict[str, str]
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    amount_product: tuple[str, str] | None = None
    day_first: bool = True
    header: tuple[str, ...] = ()
    stage_dates: dict[str, str] = field(default_factory=dict)
    preset: str | None = None
    # None = detected from the file; set when the user corrected the detection.
    encoding: str | None = None
    delimiter: str | None = None
    reject_blank: bool = False  # reject rows with a blank where blanks are allowed (orders without a customer)
    # The stage a lost deal whose stage column says only `Lost` counts at; None: the furthest its dates show.
    lost_stage: str | None = None
    fallbacks: dict[str, str] = field(default_factory=dict)  # a date field → the column used where it is empty
    currency: str | None = None  # None: as the amounts' symbols and headers say (currency.found_in)

    @classmethod
    def suggest(cls, header: list[str], dataset: str | None = None, stages: tuple[str, ...] = DEFAULT_STAGES,
                joined=()) -> DatasetMapping | None:
        """A preset when the header is a known export, else synonyms; None when no dataset fits. Columns `joined`
        from lookup files are only dimensions."""
        own = [column for column in header if column not in joined]
        preset = recognise_preset(own, dataset)
        dataset = preset.dataset if preset else dataset or guess_dataset(own)
        if dataset is None:
            return None
        columns = preset_columns(preset, own) if preset else {}
        for name, column in suggest_columns(header, dataset, joined).items():
            if name not in columns and column not in columns.values():
                columns[name] = column
        columns = {spec.name: columns[spec.name] for spec in fields(dataset) if spec.name in columns}
        product = None
        if "amount" not in columns and "amount" in {spec.name for spec in fields(dataset)}:
            product = suggest_amount_product(own)
        stage_dates = {}
        if dataset == "deals":
            taken = [column for name, column in columns.items() if name != "created_date"]
            stage_dates = suggest_named_stage_dates(own, stages, taken) | suggest_stage_dates(own, stages)
        return cls(dataset, columns, amount_product=product, header=tuple(header), stage_dates=stage_dates,
                   preset=preset.id if preset else None)

    @classmethod
    def from_entry(cls, entry: FileEntry) -> DatasetMapping:
        return cls(dataset=entry.dataset, columns=dict(entry.columns),
                   values={name: dict(meanings) for name, meanings in entry.values.items()},
                   amount_product=entry.amount_product, day_first=entry.day_first, header=tuple(entry.header),
                   stage_dates=dict(entry.stage_dates), preset=entry.preset, encoding=entry.encoding,
                   delimiter=entry.delimiter, reject_blank=entry.reject_blank,
                   lost_stage=entry.lost_stage, fallbacks=dict(entry.fallbacks), currency=entry.currency)


@dataclass(frozen=True)
class LookupJoin:
    """A lookup file (recognised by its header) joined on its `key` column to a data file's `on` column."""

    header: tuple[str, ...]
    key: str
    on: str


@dataclass
class Mapping:
    """Everything a user sets up once and reuses: one mapping per file header, the pipeline stages, the lookup
    files joined to data files, and the month the fiscal year starts in."""

    files: list[DatasetMapping] = field(default_factory=list)
    stages: tuple[str, ...] = DEFAULT_STAGES
    custom_kpis: list[dict] = field(default_factory=list)  # the user's own KPIs (custom.CustomKpi as data)
    lookups: list[LookupJoin] = field(default_factory=list)
    fiscal_year_start: int = 1  # the month the fiscal year starts in: quarters are counted from it

    def remember_join(self, join: LookupJoin) -> None:
        """Keep one join per lookup header and data column: the latest wins."""
        self.lookups = [j for j in self.lookups if (j.header, j.on) != (join.header, join.on)] + [join]

    def for_header(self, header: list[str], dataset: str | None = None) -> DatasetMapping | None:
        """The saved mapping of a file with exactly this header (and dataset, when given)."""
        for saved in reversed(self.files):
            if list(saved.header) == list(header) and dataset in (None, saved.dataset):
                return saved
        return None

    def remember(self, mapping: DatasetMapping) -> None:
        """Keep one mapping per header: the latest wins."""
        self.files = [m for m in self.files if m.header != mapping.header] + [mapping]

    def to_json(self) -> str:
        return json.dumps({"version": 1, **asdict(self)}, ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str | bytes) -> Mapping:
        """A saved mapping file; InvalidMapping (one sentence's key) when it is not a valid one."""
        saved = mapping_file.parse(text)
        return cls([DatasetMapping.from_entry(entry) for entry in saved.files],
                   tuple(saved.stages) if saved.stages else DEFAULT_STAGES,
                   [entry.model_dump() for entry in saved.custom_kpis],
                   [LookupJoin(tuple(entry.header), entry.key, entry.on) for entry in saved.lookups],
                   saved.fiscal_year_start)
