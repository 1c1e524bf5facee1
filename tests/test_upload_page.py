"""The Upload & mapping page through AppTest: real uploads, a hand-fixed column, a saved mapping re-applied."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from kpi_core.mapping import Mapping
from kpi_core.reader import read_path
from kpi_core.recognition import mapping_for
from tests.conftest import ROOT

UPLOADS = ROOT / "tests" / "data" / "upload"
BAD = ROOT / "tests" / "data" / "bad"
INVOICES = ("factures_octobre.csv", (UPLOADS / "factures_octobre.csv").read_bytes(), "text/csv")
DEALS = ("deals_en.csv", (UPLOADS / "deals_en.csv").read_bytes(), "text/csv")


def upload_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    return at.switch_page("views/upload.py").run()


def upload(at: AppTest, *files) -> AppTest:
    at.file_uploader(key="uploads").set_value(list(files))
    return at.run()


def card_metrics(at: AppTest) -> list[tuple[str, str]]:
    return [(metric.label, metric.value) for metric in at.metric]


def select(at: AppTest, suffix: str):
    return next(box for box in at.selectbox if box.key and box.key.endswith(suffix))


def test_uploaded_files_are_read_mapped_and_loaded():
    at = upload(upload_page(), INVOICES, DEALS)
    assert not at.exception
    captions = [caption.value for caption in at.caption]
    assert any("Texte Windows-1252, séparateur point-virgule · 7 lignes" in c for c in captions)
    assert any("Date facture : JJ/MM/AAAA" in c and "Montant HT : virgule décimale" in c for c in captions)
    assert any("Colonnes obligatoires introuvables : Client" in error.value for error in at.error)
    assert select(at, ":orders:column:customer_id").value is None
    assert select(at, ":value:stage:Meeting").value == "Rendez-vous"  # English stages recognised

    select(at, ":orders:column:customer_id").set_value("Payeur")
    at.run()
    assert card_metrics(at) == [("Lignes lues", "7"), ("Acceptées", "6"), ("Rejetées", "1"),
                                ("Lignes lues", "20"), ("Acceptées", "20"), ("Rejetées", "0")]
    problems = at.dataframe[0].value
    assert problems.iloc[0].tolist() == ["Montant HT", "nombre illisible", 1, "8", "n/c"]
    assert "Prêt à charger : Ventes / factures (6 lignes), Opportunités (20 lignes)." in [m.value for m in at.markdown]

    next(button for button in at.button if button.label == "Charger ces données").click()
    at.run()
    assert not at.exception
    shown = {metric.label: metric.value for metric in at.metric}
    assert shown["Chiffre d'affaires"] == "11\u202f345\u00a0€"
    assert shown["Conversion globale"] == "—"  # 20 deals: too few have left each stage to read it
    assert at.session_state["data_source"] == "upload"
    saved = at.session_state["mapping"]
    assert {m.dataset for m in saved.files} == {"orders", "deals"}
    assert next(m for m in saved.files if m.dataset == "orders").columns["customer_id"] == "Payeur"

    at.switch_page("views/data.py").run()
    texts = [markdown.value for markdown in at.markdown] + [caption.value for caption in at.caption]
    assert "6 lignes" in texts and "20 lignes" in texts and texts.count("non chargé") == 4
    next(button for button in at.button if button.label == "Revenir aux données d'exemple").click()
    at.run()
    assert at.session_state["data_source"] == "sample"
    texts = [markdown.value for markdown in at.markdown] + [caption.value for caption in at.caption]
    assert "non chargé" not in texts and "6 lignes" not in texts


def test_a_saved_mapping_makes_the_next_upload_one_click():
    first = upload(upload_page(), INVOICES)
    select(first, ":orders:column:customer_id").set_value("Payeur")
    first.run()
    next(button for button in first.button if button.label == "Charger ces données").click()
    first.run()
    saved_json = first.session_state["mapping"].to_json()  # what "Download the mapping" gives
    # Next month, a new browser session: the saved mapping, then the same export.
    again = upload_page()
    mapping_file = ("boussole-mapping.json", saved_json.encode(), "application/json")
    again.file_uploader(key="mapping_file").set_value(mapping_file)
    again = upload(again.run(), INVOICES)
    assert select(again, ":orders:column:customer_id").value == "Payeur"
    assert any("Correspondance enregistrée réappliquée" in caption.value for caption in again.caption)
    assert ("Acceptées", "6") in card_metrics(again)


def test_an_unreadable_file_gets_one_sentence_and_others_still_load():
    at = upload(upload_page(), ("photo.csv", (BAD / "image_renamed.csv").read_bytes(), "text/csv"), DEALS)
    assert not at.exception
    assert [error.value for error in at.error] == [
        "Ce n'est pas un fichier texte ni Excel : exportez en CSV ou en .xlsx."]
    assert ("Acceptées", "20") in card_metrics(at)


def test_an_invalid_mapping_file_is_refused_politely():
    at = upload_page()
    at.file_uploader(key="mapping_file").set_value(("mapping.json", b"{not json", "application/json"))
    at.run()
    assert not at.exception
    assert [error.value for error in at.error] == [
        "Le fichier de correspondance n'est pas du JSON valide (ligne 1, colonne 2)."]


def test_postcodes_are_ranked_and_mapped_by_department():
    rows = [("F1", "C1", "02/10/2026", "100,00", "75011"), ("F2", "C2", "03/10/2026", "300,00", "75015"),
            ("F3", "C3", "04/10/2026", "50,00", "69003"), ("F4", "C4", "05/10/2026", "1 000,00", "Export"),
            ("F5", "C1", "06/10/2026", "200,00", "75011")]
    text = "N° facture;Code client;Date;Montant HT;Code postal\n" + "\n".join(";".join(row) for row in rows)
    at = upload(upload_page(), ("ventes_cp.csv", text.encode(), "text/csv"))
    assert not at.exception
    next(button for button in at.button if button.label == "Charger ces données").click()
    at.run()
    at.session_state["compare_rank"] = "revenue"
    at.switch_page("views/compare.py").run()
    assert not at.exception
    figures = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    bars = next(f for f in figures if f["layout"]["title"]["text"] == "Chiffre d'affaires — Région")["data"][0]
    assert bars["y"] == ["Rhône · 50\u00a0€", "Paris · 600\u00a0€"]  # postcodes added up, Export left out
    assert [value for value, _ in bars["customdata"]] == ["Rhône", "Paris"]
    captions = [caption.value for caption in at.caption]
    assert any(c.startswith("Plusieurs valeurs tombent dans un même département") for c in captions)
    assert "Hors carte (pas une région ou un département français) : Export." in captions


def test_a_released_database_brings_back_the_sample_and_says_so():
    """When the server released a disconnected session's database (its browser came back too late), the next page
    shows the sample company with a sentence, not an error."""
    at = upload(upload_page(), INVOICES)
    select(at, ":orders:column:customer_id").set_value("Payeur")
    at.run()
    next(button for button in at.button if button.label == "Charger ces données").click()
    at.run()
    assert at.session_state["data_source"] == "upload"
    at.session_state["kpi_session"].close()  # what Streamlit's release of the session's resources does
    at.run()
    assert not at.exception
    assert at.session_state["data_source"] == "sample"
    assert any("vos données ont été libérées" in warning.value for warning in at.warning)
    assert not at.session_state["kpi_session"].closed
    at.switch_page("views/home.py").run()
    assert not at.exception
    assert {metric.label for metric in at.metric} >= {"Chiffre d'affaires", "Panier moyen"}


EXPORTS = ROOT / "tests" / "data" / "exports"


def _export(name: str) -> tuple[str, bytes, str]:
    return name, (EXPORTS / name).read_bytes(), "text/csv"


def _load(at: AppTest) -> AppTest:
    next(button for button in at.button if button.label == "Charger ces données").click()
    return at.run()


def test_real_export_shapes_load_with_one_click_and_no_mapping():
    """The corpus of issue 14 through the page: nothing to fix by hand, one click, the mapping the command line uses
    (whose figures tests/test_recognition.py checks against pandas)."""
    at = upload(upload_page(), _export("us_order_lines.csv"), _export("online_retail_invoices.csv"))
    assert not at.exception and not at.error
    assert card_metrics(at) == [("Lignes lues", "60"), ("Acceptées", "60"), ("Rejetées", "0"),
                                ("Lignes lues", "83"), ("Acceptées", "83"), ("Rejetées", "0")]
    assert any("31 ligne(s) sans client" in info.value for info in at.info)  # the guest checkouts, kept
    assert next(toggle for toggle in at.toggle if toggle.key.endswith(":orders:day_first")).value is False
    at = _load(at)
    assert not at.exception and at.session_state["data_source"] == "upload"
    saved = {m.header[0]: m for m in at.session_state["mapping"].files}
    assert saved["Row ID"].columns["amount"] == "Sales" and saved["Row ID"].columns["region"] == "Region"
    assert saved["InvoiceNo"].amount_product == ("Quantity", "UnitPrice")


def test_crm_opportunities_with_their_lookup_files_load_with_one_click():
    at = upload(upload_page(), _export("crm_opportunities.csv"), _export("sales_teams.csv"), _export("accounts.csv"))
    assert not at.exception and not at.error
    infos = [info.value for info in at.info]
    assert any("sales\\_teams.csv joint sur « sales\\_agent »" in info and "60 ligne(s) sur 60" in info
               for info in infos), infos
    assert any("accounts.csv joint sur « account »" in info and "sans correspondance" in info for info in infos)
    assert any("affaire(s) perdue(s) sans étape propre comptée(s) à l'étape « Rendez-vous »" in i for i in infos)
    assert select(at, ":deals:column:region").value == "regional_office"
    assert select(at, ":deals:column:segment").value == "sector"
    assert sum("Fichier de correspondance" in caption.value for caption in at.caption) == 2
    at = _load(at)
    assert not at.exception and at.session_state["data_source"] == "upload"
    mapping = at.session_state["mapping"]
    assert {(join.key, join.on) for join in mapping.lookups} == {("sales_agent", "sales_agent"),
                                                                 ("account", "account")}


def test_a_column_found_only_from_its_values_is_asked_about_not_used_silently():
    from tests.test_recognition import UNNAMED
    at = upload(upload_page(), ("pieces.csv", UNNAMED.encode(), "text/csv"))
    assert not at.exception
    assert any("Colonnes non reconnues" in warning.value for warning in at.warning)  # one header name of four
    select(at, ":dataset").set_value("orders")  # the one confirmation: what the file holds
    at.run()
    warnings = [warning.value for warning in at.warning]
    assert "À vérifier avant de charger : N° de commande / facture, Date de commande, Montant HT. Aucun nom de " \
           "colonne connu ne les désigne, ou leurs valeurs ne collent pas ; corrigez dans les colonnes si besoin." \
           in warnings, warnings
    assert select(at, ":orders:column:order_date").value == "Jour"


@pytest.mark.parametrize(("files", "rows", "currency"), [
    (("pipedrive_deals.csv",), [30], "USD"),
    # No currency written: amounts are shown in euros.
    (("salesforce_opportunities.csv", "lignes_commande.csv", "articles.csv"), [35, 78], None),
    (("hubspot_deals_en.csv",), [30], None),
    (("crm_affaires_fr.csv",), [25], None),
])
def test_crm_exports_and_an_article_list_load_with_one_click(files, rows, currency):
    """Each vendor shape: nothing asked, every row accepted, one click; the page uses the mapping the command line
    does (whose figures tests/test_recognition.py checks against pandas)."""
    at = upload(upload_page(), *(_export(name) for name in files))
    assert not at.exception and not at.error
    assert not any("À vérifier" in warning.value for warning in at.warning)
    assert card_metrics(at) == [metric for count in rows for metric in
                                (("Lignes lues", str(count)), ("Acceptées", str(count)), ("Rejetées", "0"))]
    at = _load(at)
    assert not at.exception and at.session_state["data_source"] == "upload"
    assert at.session_state["kpi_session"].currency == currency
    expected = {mapping_for(read_path(EXPORTS / name), Mapping()).columns.get("stage") for name in files[:len(rows)]}
    assert {m.columns.get("stage") for m in at.session_state["mapping"].files} == expected


def _orders_of_march_2025() -> tuple[str, bytes, str]:
    lines = ["order_id,order_date,customer_id,amount"] + [
        f"C{i},2025-{1 + i % 3:02d}-{1 + i % 27:02d},K{i % 7},{100 + i}.00" for i in range(60)]
    return ("ventes_2025.csv", ("\n".join(lines) + "\n").encode(), "text/csv")


def test_after_loading_the_view_is_in_step_with_the_new_data():
    """Loading switches to the home page from code, which made Streamlit drop the sidebar's values: the control
    showed "Trimestre" while the pages showed months, and the picker kept the sample's month. The view the user had
    is kept, on the new data's latest period."""
    at = upload_page()
    at.session_state["granularity"] = "quarter"
    at.run()
    at = upload(at, _orders_of_march_2025())
    next(button for button in at.button if button.label == "Charger ces données").click()
    at.run()
    assert not at.exception
    assert at.session_state["granularity"] == "quarter"
    assert at.session_state["period_quarter"] == at.session_state["shown_period"] == "2025-Q1"
    assert at.title[0].value == "Tableau de bord — T1 2025"
    at = upload(at.switch_page("views/upload.py").run(), _orders_of_march_2025())  # a second load, the same
    next(button for button in at.button if button.label == "Charger ces données").click()
    at.run()
    assert at.session_state["granularity"] == "quarter" and at.title[0].value == "Tableau de bord — T1 2025"
