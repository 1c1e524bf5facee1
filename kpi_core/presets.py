"""Known exports (HubSpot, Pipedrive, Salesforce, French invoicing tools): their own column names."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Preset:
    """A vendor export: canonical field → the header spellings it uses (English and French UI)."""

    id: str
    dataset: str
    columns: dict[str, tuple[str, ...]]


PRESETS = (
    Preset("hubspot_deals", "deals", {
        "deal_id": ("Record ID", "ID de fiche d'informations", "Deal ID"),
        "created_date": ("Create Date", "Date de création"),
        "stage": ("Deal Stage", "Phase de la transaction", "Étape de la transaction"),
        "amount": ("Amount", "Montant"),
        "closed_date": ("Close Date", "Date de fermeture"),
        "rep": ("Deal owner", "Propriétaire de la transaction"),
        "segment": ("Deal Type", "Type de transaction"),
        "source": ("Original Source Type", "Source d'origine"),
        "lost_reason": ("Closed Lost Reason", "Raison de la perte de la transaction"),
    }),
    Preset("pipedrive_deals", "deals", {
        "deal_id": ("Deal - ID", "Affaire - ID"),
        "created_date": ("Deal - Deal created", "Deal - Deal created on", "Affaire - Affaire créée"),
        "stage": ("Deal - Stage", "Affaire - Étape"),
        "status": ("Deal - Status", "Affaire - Statut"),
        "amount": ("Deal - Value", "Affaire - Valeur"),
        "closed_date": ("Deal - Deal closed on", "Deal - Won time", "Affaire - Affaire conclue le"),
        "rep": ("Deal - Owner", "Affaire - Propriétaire"),
        "source": ("Deal - Source origin", "Deal - Source channel", "Deal - Source"),
        "lost_reason": ("Deal - Lost reason", "Affaire - Raison de la perte"),
    }),
    Preset("salesforce_opportunities", "deals", {
        "deal_id": ("Opportunity ID", "Opportunity Name", "ID de l'opportunité", "Nom de l'opportunité"),
        "created_date": ("Created Date", "Date de création"),
        "stage": ("Stage", "Étape"),
        "amount": ("Amount", "Montant"),
        "closed_date": ("Close Date", "Date de clôture"),
        "rep": ("Opportunity Owner", "Propriétaire de l'opportunité"),
        "segment": ("Type",),
        "source": ("Lead Source", "Origine de la piste"),
        "region": ("Billing State/Province", "Billing City", "Région de facturation"),
    }),
    Preset("french_invoices", "orders", {
        "order_id": ("N° facture", "Numéro de facture", "N° de facture", "Numéro", "Facture"),
        "customer_id": ("Code client", "N° client", "Client", "Tiers"),
        "order_date": ("Date de facture", "Date facture", "Date"),
        "amount": ("Total HT", "Montant HT", "Montant total HT", "Total H.T."),
        "product": ("Désignation", "Article", "Produit"),
        "rep": ("Commercial", "Vendeur"),
        "region": ("Code postal", "Ville", "Région"),
        "segment": ("Catégorie client", "Type de client"),
    }),
)
