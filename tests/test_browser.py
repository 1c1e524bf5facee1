"""The app in a real browser: Debian's headless Chromium driven by Playwright against `streamlit run`.

Screenshots go to tests/artifacts/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import ROOT

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists() and not shutil.which("chromium"), reason="needs Debian's chromium"),
]
# Flags for a closed network: no background traffic Chromium would try and fail.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def _streamlit():
    """`streamlit run app.py` on a free port; yields its URL once it answers."""
    with streamlit_process() as (url, _):
        yield url


@contextlib.contextmanager
def streamlit_process(*options: str):
    """`streamlit run app.py` on a free port with `options`; yields its URL once it answers, and the process."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         *options],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                    break
            except OSError:
                time.sleep(0.5)
        else:
            process.kill()
            pytest.fail("streamlit did not start: " + process.stderr.read().decode()[-2000:])
        yield url, process
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def server():
    with _streamlit() as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        executable = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
        chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="fr-FR")
    yield context.new_page()
    context.close()


def _wait_for_app(page) -> None:
    page.wait_for_selector('[data-testid="stMetric"], [data-testid="stAlert"]', timeout=60_000)
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
    page.wait_for_timeout(800)  # let Plotly finish drawing


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _metric(page, label: str) -> str:
    card = page.locator('[data-testid="stMetric"]', has_text=label).first
    return card.locator('[data-testid="stMetricValue"]').inner_text().strip()


def test_home_in_french_on_the_sample(page, server):
    page.goto(server)
    _wait_for_app(page)
    assert "octobre 2026" in page.locator("h1").first.inner_text()
    assert "données d'exemple" in page.inner_text("body")
    revenue = _metric(page, "Chiffre d'affaires")
    assert revenue.endswith("€") and revenue[0].isdigit()
    # October's deals are young: the cards' captions say so (they render after the values).
    page.get_by_text("encore ouvertes").first.wait_for(timeout=30_000)
    _shot(page, "home_fr")


@pytest.mark.parametrize("path, heading, check", [
    ("funnel", "Entonnoir", ".js-plotly-plot"),
    ("revenue", "Chiffre d'affaires & panier", ".js-plotly-plot"),
    ("retention", "Rétention", '[data-testid="stDataFrame"]'),
    ("data", "Données chargées", '[data-testid="stMarkdownContainer"]'),
    ("activity", "Activité", ".js-plotly-plot"),
    ("team", "Équipe", ".js-plotly-plot"),
    ("economics", "Économie", ".js-plotly-plot"),
    ("targets", "Objectifs", ".js-plotly-plot"),
    ("custom", "Indicateurs sur mesure", '[data-testid="stExpander"]'),
])
def test_each_page_renders(page, server, path, heading, check):
    page.goto(f"{server}/{path}")
    _wait_for_app(page)
    assert heading in page.locator("h1").first.inner_text()
    page.wait_for_selector(check, timeout=30_000)
    assert "Traceback" not in page.inner_text("body")
    _shot(page, f"{path}_fr")


def test_url_query_parameters_reopen_the_same_view(page, server):
    page.goto(f"{server}/?lang=en&granularity=quarter&period=2026-Q2&filter_region=Paris")
    _wait_for_app(page)
    assert "Q2 2026" in page.locator("h1").first.inner_text()
    assert "Revenue" in page.inner_text("body")
    _shot(page, "home_en_q2_paris")


def test_choosing_a_period_updates_the_url(page, server):
    page.goto(server)
    _wait_for_app(page)
    before = _metric(page, "Chiffre d'affaires")
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="juin 2026").click()
    page.wait_for_url("**period=2026-06**", timeout=30_000)
    _wait_for_app(page)
    assert "juin 2026" in page.locator("h1").first.inner_text()
    assert _metric(page, "Chiffre d'affaires") != before


def test_switching_granularity_keeps_the_period_in_view(page, server):
    """Looking at May, then choosing quarters, shows Q2; the URL says so with stable keys."""
    page.goto(f"{server}/?period=2026-05")
    _wait_for_app(page)
    assert "mai 2026" in page.locator("h1").first.inner_text()
    buttons = page.locator('[data-testid="stSidebar"] [data-testid="stButtonGroup"] button')
    buttons.filter(has_text="Trimestre").click()
    page.wait_for_url("**granularity=quarter**", timeout=30_000)
    _wait_for_app(page)
    assert "T2 2026" in page.locator("h1").first.inner_text()
    assert "period=2026-Q2" in page.url
    buttons.filter(has_text="EN").click()
    page.wait_for_url("**lang=en**", timeout=30_000)
    _wait_for_app(page)
    assert "Q2 2026" in page.locator("h1").first.inner_text()
    _shot(page, "home_en_quarter")


UPLOADS = ROOT / "tests" / "data" / "upload"


def _text(locator) -> str:
    """Visible text with the locale's no-break spaces as plain spaces."""
    return locator.inner_text().replace("\u202f", " ").replace("\u00a0", " ")


def test_upload_map_and_see_own_kpis(page, server):
    """A French `;`/Windows-1252 invoice export and an English-stage deals file through the real file input;
    the one unrecognised column (`Payeur`) is mapped by hand; the KPIs are the files' own."""
    page.goto(f"{server}/upload")
    page.wait_for_selector('[data-testid="stFileUploader"]', timeout=60_000)
    uploader = page.locator('[data-testid="stFileUploader"]', has_text="Fichiers à importer")
    uploader.locator('input[type="file"]').set_input_files(
        [str(UPLOADS / "factures_octobre.csv"), str(UPLOADS / "deals_en.csv")])
    page.get_by_text("Texte Windows-1252, séparateur point-virgule").wait_for(timeout=60_000)
    page.get_by_text("Texte UTF-8, séparateur virgule").wait_for(timeout=60_000)
    _wait_for_app(page)
    body = page.inner_text("body")
    assert "Colonnes obligatoires introuvables : Client" in body
    assert "virgule décimale" in body and "JJ/MM/AAAA" in body
    _shot(page, "upload_detected")

    page.locator('[data-testid="stSelectbox"]', has_text="Client *").click()
    page.get_by_role("option", name="Payeur", exact=True).click()
    page.get_by_text("1 ligne(s) rejetée(s)").wait_for(timeout=30_000)  # the orders card now validates
    _wait_for_app(page)
    orders = page.locator('[data-testid="stVerticalBlock"]', has_text="factures_octobre.csv").filter(
        has_not_text="deals_en.csv").first
    counts = [_text(orders.locator('[data-testid="stMetric"]', has_text=label).locator('[data-testid="stMetricValue"]'))
              for label in ("Lignes lues", "Acceptées", "Rejetées")]
    assert counts == ["7", "6", "1"]  # the unreadable amount `n/c` is rejected, not dropped
    with page.expect_download() as download:  # built on click, from the card's own rows
        orders.get_by_role("button", name="Lignes rejetées (Excel)").click()
    rejected = pd.read_excel(download.value.path(), engine="openpyxl")
    assert len(rejected) == 1 and "n/c" in rejected.iloc[0].astype(str).tolist()
    _shot(page, "upload_mapped")
    orders.screenshot(path=str(ARTIFACTS / "upload_card_orders.png"))

    page.get_by_role("button", name="Charger ces données").click()
    page.get_by_text("Vos données sont chargées").wait_for(timeout=60_000)
    _wait_for_app(page)
    assert "données d'exemple" not in page.inner_text("body")
    # 3 000 + 450,50 + 5 200 + 3 000 − 305,10 (credit note) in October; the unreadable `n/c` row is out.
    assert _text(page.locator('[data-testid="stMetric"]', has_text="Chiffre d'affaires")
                 .locator('[data-testid="stMetricValue"]')) == "11 345 €"
    _shot(page, "upload_home")

    page.locator('[class*="st-key-page_links"]').get_by_text("Entonnoir de vente").click()
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    _wait_for_app(page)
    # 20 deals, 5 of them still open at the first stage (25 %): every rate is withheld ("—"); the raw reading stays
    # in the table, and the overall conversion says why it is not shown.
    funnel = _text(page.locator(".js-plotly-plot").first)
    for label in ("10 (—)", "5 (—)", "4 (—)", "2 (—)"):
        assert label in funnel
    card = page.locator('[data-testid="stMetric"]', has_text="Conversion globale")
    assert _text(card.locator('[data-testid="stMetricValue"]')) == "—"
    assert "25,0 % des affaires arrivées à « Prospect contacté » y sont encore" in _text(page.locator("body"))
    assert "Méthode : chaque passage compte seulement les affaires qui ont quitté" in _text(page.locator("body"))
    _shot(page, "upload_funnel")


def test_a_shared_link_opens_its_page_on_a_fresh_server(page):
    """The first visit of a just-started (or just-woken) server may be a shared link to a page, not the home."""
    with _streamlit() as url:
        page.goto(f"{url}/funnel?lang=en")
        _wait_for_app(page)
        assert page.locator("h1").first.inner_text().startswith("Funnel — ")
        assert "Page not found" not in page.inner_text("body")
        assert page.locator('[class*="st-key-page_links"]').get_by_text("Upload & mapping").count() == 1


# When each kind of element first appears, in page time (installed before the app's own scripts run).
_FIRST_SEEN = """window.firstSeen = {};
new MutationObserver(() => {
  const seen = (name, selector) => { if (!window.firstSeen[name] && document.querySelector(selector)) {
    window.firstSeen[name] = performance.now(); } };
  seen('link', '[data-testid="stPageLink"]');
  seen('progress', '[data-testid="stSpinner"]');
  seen('figure', '[data-testid="stMetric"]');
}).observe(document, {subtree: true, childList: true});"""


def test_a_first_visit_shows_the_frame_and_a_progress_message_before_the_figures(browser):
    """On a just-started server the sample company is read before any figure: the page links come at once and
    a progress message says what is happening, instead of a blank screen."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="fr-FR")
    context.add_init_script(_FIRST_SEEN)
    page = context.new_page()
    with _streamlit() as url:
        page.goto(f"{url}/")
        # The figures themselves: the sample's banner (an alert) can end _wait_for_app's wait before them.
        page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
        seen = page.evaluate("window.firstSeen")
    context.close()
    assert seen["link"] < seen["figure"]
    assert seen["progress"] < seen["figure"]  # reading the sample takes more than the spinner's half-second


def test_a_comparison_link_reopens_the_filtered_view_and_a_click_changes_group_a(page, server):
    """A shared URL with the period, a filter and the comparison's choices shows that comparison; clicking a bar
    of the ranking makes its value group A, and the URL follows."""
    page.goto(f"{server}/compare?granularity=quarter&period=2026-Q3&filter_segment=PME&by=region&a=Paris"
              "&rank=win_rate")
    page.wait_for_selector('[data-testid="stDataFrame"]', timeout=60_000)
    _wait_for_app(page)
    assert "T3 2026" in page.locator("h1").first.inner_text()
    sidebar = _text(page.locator('[data-testid="stSidebar"]'))
    assert "PME" in sidebar
    choices = page.locator('[data-testid="stMultiSelect"]', has_text="Groupe A")
    assert "Paris" in _text(choices)
    # The ranking shows the KPI from the URL.
    page.locator(".stPlotlyChart", has_text="Taux de signature — Région").wait_for(timeout=30_000)
    body = _text(page.locator("body"))
    assert "Panier moyen : " in body and "Paris" in body
    page.wait_for_selector(".js-plotly-plot .scatterlayer", timeout=30_000)  # the map of France
    assert "Paris et petite couronne" in body or page.get_by_text("Paris et petite couronne").count()
    _shot(page, "compare_fr_link")

    ranking = page.locator('.stPlotlyChart', has_text="Taux de signature — Région")
    ranking.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    _shot(page, "compare_fr_ranking_map")
    top_bar = ranking.locator(".bars .point path").last.bounding_box()  # the top bar: the best region
    page.mouse.click(top_bar["x"] + top_bar["width"] / 2, top_bar["y"] + top_bar["height"] / 2)
    page.wait_for_url("**a=**", timeout=30_000)
    page.wait_for_function("!location.search.includes('a=Paris&') && !location.search.endsWith('a=Paris')",
                           timeout=30_000)
    _wait_for_app(page)
    top = page.url.split("a=")[1].split("&")[0]
    assert top and top != "Paris"
    assert "filter_segment=PME" in page.url and "rank=win_rate" in page.url
    _shot(page, "compare_fr_clicked")


def test_clicking_a_revenue_bar_filters_the_whole_view_by_it(page, server):
    page.goto(f"{server}/revenue")
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    _wait_for_app(page)
    total = _metric(page, "Chiffre d'affaires")
    chart = page.locator(".stPlotlyChart", has_text="Chiffre d'affaires — Région")
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    bar = chart.locator(".bars .point path").last.bounding_box()  # the top bar: the region selling most
    page.mouse.click(bar["x"] + bar["width"] / 2, bar["y"] + bar["height"] / 2)
    page.wait_for_url("**filter_region=**", timeout=30_000)
    _wait_for_app(page)
    region = urllib.parse.unquote_plus(page.url.split("filter_region=")[1].split("&")[0])
    assert region in _text(page.locator('[data-testid="stSidebar"]'))
    assert _metric(page, "Chiffre d'affaires") != total
    # The click says what it did, and its chip undoes it.
    said = _text(page.locator('[data-testid="stAlert"]', has_text="Votre clic sur le graphique"))
    assert f"Région = {region}" in said
    assert _chips(page) == [f"Région = {region}"]
    _shot(page, "revenue_fr_clicked")


def test_targets_pace_the_quarter_and_the_planner_follows_the_amount(page, server):
    page.goto(f"{server}/targets?granularity=quarter")
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    _wait_for_app(page)
    assert "T4 2026" in page.locator("h1").first.inner_text()
    body = page.inner_text("body")
    assert "22 jours ouvrés écoulés sur 64, 42 restants" in body and "Armistice" in body
    assert _metric(page, "Atterrissage prévu").endswith("€")
    planner = page.locator('[data-testid="stDataFrame"]').last
    planner.scroll_into_view_if_needed()
    _shot(page, "targets_fr_quarter")
    amount = page.get_by_label("Montant à faire (€)")
    amount.fill("58000")  # a little under ten average won deals of the last six months (5 901 €)
    amount.press("Enter")
    page.wait_for_timeout(1500)
    _wait_for_app(page)
    assert "Planificateur inversé" in page.inner_text("body")
    planner.scroll_into_view_if_needed()
    _shot(page, "targets_fr_planner")
    with page.expect_download() as download:  # the planner's own table, numbers as numbers
        page.get_by_role("button", name="Excel").last.click()
    plan = pd.read_excel(download.value.path())
    assert list(plan.columns) == ["Étape", "Nécessaires", "Par vente", "Par jour ouvré restant"]
    assert plan["Étape"].iloc[0] == "ventes" and plan["Nécessaires"].iloc[0] == 10
    assert plan["Nécessaires"].is_monotonic_increasing


def test_revenue_bridge_waterfalls(page, server):
    page.goto(f"{server}/revenue")
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    _wait_for_app(page)
    bridge = page.locator(".stPlotlyChart", has_text="Commandes par client").first
    bridge.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    assert "sept. 2026" in _text(bridge) and "oct. 2026" in _text(bridge)
    _shot(page, "revenue_fr_bridge")
    page.get_by_text("la même période l'an dernier", exact=True).click()
    page.wait_for_timeout(1500)
    _wait_for_app(page)
    assert "oct. 2025" in _text(page.locator(".stPlotlyChart", has_text="Commandes par client").first)


def test_a_custom_kpi_is_built_in_the_browser(page, server):
    page.goto(f"{server}/custom")
    _wait_for_app(page)
    page.get_by_label("Nom").fill("Appels passés")
    page.get_by_label("Nom").press("Enter")
    _wait_for_app(page)
    page.get_by_label("Données").click()
    page.get_by_role("option", name="Activités").click()
    _wait_for_app(page)
    page.get_by_label("Filtre 1").click()
    page.get_by_role("option", name="Type d'activité").click()
    _wait_for_app(page)
    page.get_by_label("Valeurs").click()
    page.get_by_role("option", name="call").click()
    page.keyboard.press("Escape")
    _wait_for_app(page)
    page.get_by_role("button", name="Créer l'indicateur").click()
    page.wait_for_selector('[data-testid="stMetric"]', timeout=30_000)
    _wait_for_app(page)
    assert _metric(page, "Appels passés").replace("\u202f", "").isdigit()
    assert "list_contains" in page.inner_text("body") or "Comment il est calculé" in page.inner_text("body")
    _shot(page, "custom_fr")


def test_funnel_shows_time_in_stage_from_the_entry_dates(page, server):
    page.goto(f"{server}/funnel")
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    _wait_for_app(page)
    assert "dates d'entrée dans chaque étape" in page.inner_text("body")
    chart = page.locator(".stPlotlyChart", has_text="Jours (médiane)").first
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    assert "Prospect contacté" in _text(chart) and "affaires" in _text(chart)
    _shot(page, "funnel_fr_time_in_stage")


def test_markdown_in_files_never_reaches_the_network(page, server, tmp_path):
    """Images, links and URLs written in a file name, a header, values and a custom KPI's name show as text: the
    browser requests nothing from the address they name and draws no image or link to it."""
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    trap = "127.0.0.1:9"
    orders = tmp_path / "![f](http:__127.0.0.1:9_n.png).csv"
    orders.write_text("Facture;Client;Date;Montant;Région;![h](http://127.0.0.1:9/h.png)\n"
                      "F1;[c](http://127.0.0.1:9/c);01/10/2026;10;![r](http://127.0.0.1:9/r.png);x\n"
                      "F2;B;02/10/2026;20;[lien](http://127.0.0.1:9/l) www.127.0.0.1.example;y\n", encoding="utf-8")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"custom_kpis": [{"name": "![k](http://127.0.0.1:9/k.png) [ici](http://127.0.0.1:9/)",
                                                    "dataset": "orders", "aggregation": "count"}]}))
    page.goto(f"{server}/upload")
    page.wait_for_selector('[data-testid="stFileUploader"]', timeout=60_000)
    page.get_by_text("Étapes du pipeline et correspondances enregistrées").click()
    page.locator('[data-testid="stFileUploader"]', has_text="Correspondances enregistrées").locator(
        'input[type="file"]').set_input_files(str(mapping))
    _wait_for_app(page)  # the mapping file reruns the page: the next upload waits for it
    page.locator('[data-testid="stFileUploader"]', has_text="Fichiers à importer").locator(
        'input[type="file"]').set_input_files(str(orders))
    page.get_by_text("(http:__127.0.0.1:9_n.png).csv").first.wait_for(timeout=60_000)
    page.get_by_text("Lignes lues").first.wait_for(timeout=60_000)  # validated: the button loads it
    _wait_for_app(page)
    _shot(page, "hostile_upload")
    page.get_by_role("button", name="Charger ces données").click()
    page.get_by_text("Vos données sont chargées").wait_for(timeout=60_000)
    _wait_for_app(page)
    for view, label in (("compare", "Segments & régions"), ("custom", "Indicateur sur mesure")):
        page.locator('[class*="st-key-page_links"]').get_by_text(label).click()  # same session: no reload
        page.wait_for_function(f"location.pathname.endsWith('/{view}')", timeout=60_000)
        _wait_for_app(page)
        _shot(page, f"hostile_{view}")
    # The name reads as typed (the word joiners that keep URLs from becoming links are invisible).
    page.locator('[data-testid="stMetric"]').first.wait_for(timeout=60_000)
    shown = page.locator('[data-testid="stMetric"]').first.inner_text().replace("\u2060", "")
    assert "![k](http://127.0.0.1:9/k.png)" in shown
    assert not [url for url in requested if trap in url]
    assert page.locator(f'img[src*="{trap}"]').count() == 0
    links = page.eval_on_selector_all("a[href]", "anchors => anchors.map(anchor => anchor.href)")
    assert [href for href in links if not href.startswith(server)] == []  # no autolink either


# What the DOM can tell of a page that reads wrong: a card caption or label cut by an ellipsis, a chart tick Plotly
# wrote itself (`200k`, `0%` in French, `85 %` in English), a caption under WCAG AA contrast, Streamlit's English in
# a French page, a dialog over the page ("Page not found"), a chart label shrunk past reading.
_READS_WRONG = """(lang) => {
  const cut = [...document.querySelectorAll(
      '[data-testid="stMetricDeltaDescription"] p, [data-testid="stMetricLabel"] p')]
    .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText);
  const ticks = [...document.querySelectorAll('.xtick text, .ytick text')].map(e => e.textContent);
  const si = ticks.filter(x => /^[\\d.,]+[kMG]$/.test(x));
  const percent = ticks.filter(x => lang === 'fr' ? /\\d%/.test(x) : /\\d\\s%/.test(x));
  const luminance = (rgb) => {
    const [r, g, b] = rgb.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map(v => v / 255)
      .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const faint = [...document.querySelectorAll('[data-testid="stCaptionContainer"]')].filter(e => {
    const style = getComputedStyle(e);
    return parseFloat(style.opacity) < 1 || 1.05 / (luminance(style.color) + 0.05) < 4.5;
  }).map(e => e.innerText.slice(0, 60));
  // Streamlit's own English strings left in a French page (scripts, styles and charts aside).
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const texts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement.closest('script, style, svg')) texts.push(node.nodeValue.trim());
  }
  const english = lang !== 'fr' ? [] : texts.filter(x =>
      /per file|Drag and drop|Skip to main content|^Upload$|^Select all$/.test(x));
  const dialogs = [...document.querySelectorAll('[role="dialog"]')].map(e => e.innerText.slice(0, 80));
  // A chart label drawn under 9 px high (Plotly shrinks a label to fit its bar or cell): unreadable on a phone.
  const tiny = [...document.querySelectorAll('.stPlotlyChart text')].filter(e => {
    const box = e.getBoundingClientRect();
    return e.textContent.trim() && box.height > 0 && box.height < 9 && getComputedStyle(e).display !== 'none';
  }).map(e => e.textContent);
  return {cut, si, percent, faint, english, dialogs, tiny};
}"""


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("width", [1400, 390])
def test_every_page_reads_whole_and_in_its_language(browser, server, lang, width):
    from ui.layout import PAGES
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="fr-FR")
    page = context.new_page()
    found = {}
    filtered = width == 1400 and lang == "fr"  # a region filter changes what the pages show
    for _, pages in PAGES:
        for _, _, url_path, _ in pages:
            address = "" if url_path == "home" else url_path  # the default page is served at /
            page.goto(f"{server}/{address}?lang={lang}" + ("&filter_region=Paris" if filtered else ""))
            page.wait_for_selector("h1", timeout=60_000)
            page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
            page.wait_for_timeout(600)
            # A page that reruns once (its URL read back) fades its elements while it does: read it settled.
            page.wait_for_function("!document.querySelector('[data-stale=\"true\"]')", timeout=60_000)
            # ... and with the app's style sheet in place (it is drawn again on each rerun).
            page.wait_for_function("[...document.querySelectorAll('style')].some(e => "
                                   "e.textContent.includes('stMetricDeltaDescription'))", timeout=60_000)
            page.wait_for_timeout(300)
            wrong = page.evaluate(_READS_WRONG, lang)
            if url_path not in ("upload", "data"):  # the view's chips head every page of figures
                chips = _text(page.locator('[class*="st-key-view_chips"]'))
                wanted = ["·", *(["Région = Paris", "Effacer les filtres"] if filtered else [])]
                wrong["chips"] = [] if all(text in chips for text in wanted) else [chips]
            if url_path == "upload":
                dropzone = _text(page.locator('[data-testid="stFileUploaderDropzone"]').first)
                said = ("Parcourir", "Mo par fichier") if lang == "fr" else ("Upload", "MB per file")
                wrong["uploader"] = [] if all(text in dropzone for text in said) else [dropzone]
            found[url_path] = {name: items for name, items in wrong.items() if items}
            _shot(page, f"sweep_{url_path}_{lang}_{width}")
    context.close()
    assert {name: wrong for name, wrong in found.items() if wrong} == {}


def _pick(page, filter_label: str, option: str) -> None:
    """Choose `option` in the sidebar filter labelled `filter_label`, as a user does."""
    box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]', has_text=filter_label)
    for _ in range(3):  # a click landing while the sidebar redraws opens nothing
        box.locator("input").click()
        page.wait_for_timeout(500)
        if page.locator('[role="option"]').count():
            break
    page.locator('[role="option"]', has_text=option).first.click()
    page.keyboard.press("Escape")
    _settled(page)


def _settled(page) -> None:
    _wait_for_app(page)
    page.wait_for_function("!document.querySelector('[data-stale=\"true\"]')", timeout=60_000)


def _chips(page) -> list[str]:
    """The filter chips at the top of the page (each a button keyed `chip_<dimension>`), their icon's name aside."""
    chips = page.locator('[class*="st-key-view_chips"] [class*="st-key-chip_"]:not([class*="st-key-chip_clear"])')
    return [_text(chips.nth(i)).replace("close", "").strip() for i in range(chips.count())]


def test_back_and_forward_move_between_the_filters_the_user_had(page, server):
    """Each filter change is a history entry: Back undoes it (the first Back after opening too), Forward redoes it,
    a chip's cross is undone the same way, and a page link keeps the view."""
    page.goto(f"{server}/")
    _settled(page)
    opened = _metric(page, "Chiffre d'affaires")
    _pick(page, "Région", "Paris")
    paris = _metric(page, "Chiffre d'affaires")
    _pick(page, "Segment", "PME")
    assert _chips(page) == ["Région = Paris", "Segment = PME"]
    page.go_back()
    _settled(page)
    assert _chips(page) == ["Région = Paris"] and _metric(page, "Chiffre d'affaires") == paris
    page.go_back()  # to the URL the app opened on
    _settled(page)
    assert _chips(page) == [] and _metric(page, "Chiffre d'affaires") == opened
    page.go_forward()
    _settled(page)
    assert _chips(page) == ["Région = Paris"] and "filter_region=Paris" in page.url
    page.get_by_role("button", name="Région = Paris").click()  # the chip's cross
    _settled(page)
    assert _chips(page) == [] and _metric(page, "Chiffre d'affaires") == opened
    page.go_back()
    _settled(page)
    assert _chips(page) == ["Région = Paris"] and _metric(page, "Chiffre d'affaires") == paris
    page.locator('[class*="st-key-page_links"]').get_by_text("Entonnoir de vente").click()
    _settled(page)
    assert "Entonnoir" in page.locator("h1").first.inner_text() and _chips(page) == ["Région = Paris"]
    page.go_back()
    _settled(page)
    assert "Tableau de bord" in page.locator("h1").first.inner_text() and _chips(page) == ["Région = Paris"]
    _shot(page, "back_restores_filters")


@pytest.mark.parametrize(("path", "sheets"), [("", range(1, 4)), ("revenue", range(3, 7))])
def test_printing_a_page_gives_the_content_alone_on_a4(page, server, path, sheets):
    """Printed from the browser, a page is its content across the sheet's width, on as many A4 sheets as it needs
    (Streamlit's app is a box the window's height: without the print style it printed one sheet, sidebar
    included)."""
    page.goto(f"{server}/{path}")
    _settled(page)
    page.wait_for_timeout(1500)  # let the charts draw
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.wait_for_timeout(800)
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    assert not page.locator('[data-testid="stHeader"]').is_visible()
    content = page.locator('[data-testid="stMainBlockContainer"]').bounding_box()
    assert content["width"] > 0.9 * 794
    pdf = page.pdf(format="A4", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) in sheets
    _shot(page, f"print_{path or 'home'}")


def test_tables_download_only_through_the_apps_own_buttons(page, server):
    """The grid's own CSV download (raw values, formulas live) is switched off; its search stays, and the page
    offers the app's downloads instead."""
    page.goto(f"{server}/compare")
    page.wait_for_selector('[data-testid="stDataFrame"]', timeout=60_000)
    _wait_for_app(page)
    page.locator('[data-testid="stDataFrame"]').first.hover()
    toolbar = page.locator('[data-testid="stElementToolbar"] button').first
    toolbar.wait_for(timeout=10_000)
    labels = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stElementToolbar"] button')]
        .map(b => b.getAttribute('aria-label'))""")
    assert "Rechercher" in labels
    assert not [label for label in labels if "CSV" in label or "Télécharger" in label], labels
    assert page.locator('[data-testid="stDownloadButton"]').count() >= 2


def test_the_monthly_report_button_downloads_the_review_of_the_view(page, server, tmp_path):
    """"Rapport mensuel" in the sidebar, then PDF and HTML: the PDF holds the figures the cards show for the
    filtered view, the HTML opens from the disk with every network request refused and draws its charts."""
    from tests.test_review import pdf_text

    page.goto(f"{server}/?filter_region=Paris")
    _settled(page)
    revenue, retention = _metric(page, "Chiffre d'affaires"), _metric(page, "Taux de rétention")
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_role("button", name="Rapport mensuel").click()
    sidebar.get_by_role("button", name="PDF").wait_for(timeout=60_000)
    with page.expect_download(timeout=60_000) as download:
        sidebar.get_by_role("button", name="PDF").click()
    assert re.fullmatch(r"rapport_\d{4}-\d{2}_region-Paris\.pdf", download.value.suggested_filename)
    text = pdf_text(Path(download.value.path()).read_bytes(), tmp_path)
    assert revenue.replace("\u202f", " ").replace("\xa0", " ") in text
    assert retention.replace("\u202f", " ").replace("\xa0", " ") in text
    assert "Région = Paris" in text
    with page.expect_download(timeout=60_000) as download:
        sidebar.get_by_role("button", name="HTML").click()
    report = tmp_path / download.value.suggested_filename
    download.value.save_as(report)

    fetched = []

    def refuse(route):
        if not route.request.url.startswith(("file:", "data:", "blob:")):
            fetched.append(route.request.url)
            return route.abort()
        return route.continue_()
    viewer = page.context.new_page()
    viewer.route("**/*", refuse)
    viewer.goto(report.as_uri())
    viewer.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 10", timeout=30_000)
    assert fetched == []
    assert "Région = Paris" in viewer.inner_text("body")
    viewer.wait_for_timeout(500)
    _shot(viewer, "report_html")
