"""The app in a real browser: Debian's headless Chromium driven by Playwright against `streamlit run`.

Screenshots go to tests/artifacts/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

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


@pytest.fixture(scope="module")
def server():
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
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
    yield url
    process.terminate()
    process.wait(timeout=20)


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
    assert "encore ouvertes" in page.inner_text("body")  # October's deals are young
    _shot(page, "home_fr")


@pytest.mark.parametrize("path, heading, check", [
    ("funnel", "Entonnoir", ".js-plotly-plot"),
    ("revenue", "Chiffre d'affaires & panier", ".js-plotly-plot"),
    ("retention", "Rétention", '[data-testid="stDataFrame"]'),
    ("data", "Données chargées", '[data-testid="stMarkdownContainer"]'),
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
