"""Benchmark: the app as visitors meet it, and filter changes on large data.

1. A warm `streamlit run` server, a new browser session on the sample company: seconds from opening the page to
   the first number on screen (median of several new sessions), then ten sessions opened together (each one's time
   to its first number; the slowest is the figure).
2. A filter change (the scorecard and its trend for one region, as the sidebar's filter asks) on N order lines
   already in a session's database: p50 and p95 over the regions, against bare DuckDB's month query.

    .venv/bin/python bench/bench_app.py [--sessions 10] [--lines 1000000 10000000]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_ingest import ORDER_LINES  # noqa: E402
from kpi_core.analysis import Analysis, Selection  # noqa: E402
from kpi_core.periods import Granularity, parse_period  # noqa: E402
from kpi_core.session import Session  # noqa: E402
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, streamlit_process  # noqa: E402

HOME = ["revenue", "sales_count", "avg_basket", "active_customers", "retention_rate"]
FIRST_NUMBER = '[data-testid="stMetricValue"]'


async def _first_number(browser, url: str) -> float:
    """Seconds from opening the app in a new browser session to its first number on screen."""
    context = await browser.new_context(locale="fr-FR")
    page = await context.new_page()
    start = time.perf_counter()
    await page.goto(url)
    await page.wait_for_selector(FIRST_NUMBER, timeout=120_000)
    seconds = time.perf_counter() - start
    await context.close()
    return seconds


def workbook(path: Path, rows: int) -> Path:
    """An order export as Excel writes it (typed dates and numbers), about 2.5 MB for 70 000 rows."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Ventes")
    sheet.append(["N° facture", "Client", "Date", "Montant HT", "Région", "Produit"])
    for n in range(rows):
        sheet.append([f"FA{n // 2:07d}", f"CL{n % 900:05d}", date(2025, 1 + n % 12, 1 + n % 28),
                      round(10 + (n * 7919 % 200000) / 100, 2), ("Île-de-France", "Bretagne", "Occitanie")[n % 3],
                      ("Maintenance", "Formation", "Licence")[n % 3]])
    book.save(path)
    return path


async def drop_to_card(url: str, path: Path) -> float:
    """Seconds from giving the upload page a file to its card's row count on screen."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = await (await browser.new_context(locale="fr-FR")).new_page()
        await page.goto(f"{url}/upload")
        await page.wait_for_selector('[data-testid="stFileUploader"]', timeout=120_000)
        start = time.perf_counter()
        await page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(str(path))
        await page.locator('[data-testid="stMetric"]', has_text="Lignes lues").first.wait_for(timeout=120_000)
        seconds = time.perf_counter() - start
        await browser.close()
    return seconds


async def sessions(url: str, repeat: int, together: int) -> tuple[list[float], list[float]]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        await _first_number(browser, url)  # the server's first visitor pays for imports and the sample
        alone = [await _first_number(browser, url) for _ in range(repeat)]
        crowd = await asyncio.gather(*(_first_number(browser, url) for _ in range(together)))
        await browser.close()
    return alone, list(crowd)


def filter_changes(lines: int) -> tuple[float, float, float]:
    """p50 and p95 seconds of a region filter change on `lines` order lines, and bare DuckDB's month query."""
    source = duckdb.connect()
    source.execute(f"CREATE TABLE generated AS {ORDER_LINES}", {"lines": lines, "date": "%Y-%m-%d", "decimal": "."})
    source.execute("""CREATE TABLE typed AS SELECT order_id, customer_id, CAST(order_date AS DATE) AS order_date,
                             CAST(amount AS DOUBLE) AS amount, region, product FROM generated""")
    session = Session(memory_limit="512MB", compress=True)  # as the app's sessions are
    session.load("orders", source.sql("SELECT * FROM typed").to_arrow_table())
    period = parse_period("2026-06")
    timings = []
    for region in session.dimension_values("orders", "region") * 3:
        analysis = Analysis(session, Selection(Granularity.MONTH, period, {"region": (region,)}))
        start = time.perf_counter()
        analysis.scorecard(HOME)
        analysis.trend(HOME)
        timings.append(time.perf_counter() - start)
    bare = []
    for _ in range(5):
        start = time.perf_counter()
        source.execute("""SELECT SUM(amount), COUNT(DISTINCT order_id) FROM typed WHERE region = 'Bretagne'
                          AND order_date >= $start AND order_date < $stop""",
                       {"start": date(2026, 6, 1), "stop": date(2026, 7, 1)}).fetchall()
        bare.append(time.perf_counter() - start)
    timings.sort()
    return statistics.median(timings), timings[int(0.95 * (len(timings) - 1))], statistics.median(bare)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--lines", type=int, nargs="*", default=[1_000_000, 10_000_000])
    parser.add_argument("--no-browser", action="store_true", help="only the filter changes")
    args = parser.parse_args()
    if not args.no_browser:
        browser(args)
    print("| filter change (region; scorecard + trend) | p50 | p95 | bare DuckDB month query |")
    print("|---|---:|---:|---:|")
    for lines in args.lines:
        p50, p95, bare = filter_changes(lines)
        print(f"| {lines:,} order lines | {p50:.3f} s | {p95:.3f} s | {bare:.3f} s |")


def browser(args) -> None:
    with tempfile.TemporaryDirectory() as folder, streamlit_process() as (url, _):
        alone, crowd = asyncio.run(sessions(url, args.repeat, args.sessions))
        excel = workbook(Path(folder) / "ventes.xlsx", 70_000)
        dropped, size = [asyncio.run(drop_to_card(url, excel)) for _ in range(3)], excel.stat().st_size
    print("| in the app (warm server, sample company) | seconds |")
    print("|---|---:|")
    print(f"| new session → first number (median of {args.repeat}) | {statistics.median(alone):.2f} |")
    print(f"| {args.sessions} sessions opened together → the last one's first number | {max(crowd):.2f} |")
    print(f"| a {size / 1e6:.1f} MB .xlsx dropped on the upload page → its card (median of 3) | "
          f"{statistics.median(dropped):.2f} |")
    print()


if __name__ == "__main__":
    main()
