"""Benchmark: the whole CLI process (`python -m kpi_core report`) against bare DuckDB on the same generated file.

For each size and flavour (plain UTF-8 `,`/ISO dates/decimal point; French cp1252 `;`/dd/mm/yyyy/decimal comma),
runs the two processes in alternation and prints the median wall-clock time and the peak RSS of each, and their
ratio. Bare DuckDB reads the file with its own `read_csv` (told the separators, the UTF-8 copy for cp1252: it has
no Windows-1252) and computes the month's revenue by region.

    .venv/bin/python bench/bench_ingest.py [--lines 1000000 10000000] [--repeat 3] [--flavours plain french]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
PERIOD = "2026-06"
FLAVOURS = {
    "plain": {"delim": ",", "date": "%Y-%m-%d", "decimal": ".", "encoding": "utf-8"},
    "french": {"delim": ";", "date": "%d/%m/%Y", "decimal": ",", "encoding": "cp1252"},
}

# Order lines like an order system's export: about two lines per order, 40 orders per customer, 24 months,
# regions and products with accents (`Île-de-France`, `Crème`), a few refunds.
ORDER_LINES = """
  SELECT printf('FA%08d', o) AS order_id,
         printf('CL%07d', o % greatest($lines // 80, 1)) AS customer_id,
         strftime(DATE '2024-07-01' + CAST(hash(o, 1) % 730 AS INTEGER), $date) AS order_date,
         replace(printf('%.2f', (CASE WHEN hash(i, 2) % 50 = 0 THEN -1 ELSE 1 END)
                                * (10 + (hash(i, 3) % 200000) / 100.0)), '.', $decimal) AS amount,
         ['Île-de-France', 'Auvergne-Rhône-Alpes', 'Occitanie', 'Hauts-de-France', 'Grand Est',
          'Bretagne'][1 + CAST(hash(o, 4) % 6 AS INTEGER)] AS region,
         ['Crème', 'Maintenance', 'Formation', 'Licence'][1 + CAST(hash(i, 5) % 4 AS INTEGER)] AS product
  FROM (SELECT i, i // 2 AS o FROM range($lines) t(i))
"""
GENERATE = "COPY (" + ORDER_LINES + ") TO '{path}' (HEADER, DELIMITER '{delim}', QUOTE '')"

BARE = """
import sys, duckdb
path, delim, date, decimal, start, stop = sys.argv[1:]
print(duckdb.sql(f'''
  SELECT region, SUM(amount) AS revenue, COUNT(DISTINCT order_id) AS orders
  FROM read_csv('{path}', delim = '{delim}', dateformat = '{date}', decimal_separator = '{decimal}',
                header = true)
  WHERE order_date >= DATE '{start}' AND order_date < DATE '{stop}'
  GROUP BY region ORDER BY region''').fetchall())
"""


def generate(folder: Path, lines: int, flavour: str) -> tuple[Path, Path]:
    """The file in its flavour, and a UTF-8 copy of it for DuckDB (the same file when already UTF-8)."""
    spec = FLAVOURS[flavour]
    utf8 = folder / f"orders-{lines}-{flavour}-utf8.csv"
    duckdb.execute("SET enable_progress_bar = false")
    duckdb.execute(GENERATE.replace("{path}", str(utf8)).replace("{delim}", spec["delim"]),
                   {"lines": lines, "date": spec["date"], "decimal": spec["decimal"]})
    if spec["encoding"] == "utf-8":
        return utf8, utf8
    encoded = folder / f"orders-{lines}-{flavour}.csv"
    with open(utf8, encoding="utf-8", newline="") as source, open(encoded, "w", encoding=spec["encoding"],
                                                                   newline="") as target:
        while chunk := source.read(1 << 22):
            target.write(chunk)
    return encoded, utf8


def measure(command: list[str]) -> tuple[float, int]:
    """Wall-clock seconds and peak RSS (bytes) of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    error = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{error}")
    return seconds, usage.ru_maxrss * 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--flavours", nargs="+", choices=FLAVOURS, default=list(FLAVOURS))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for lines in args.lines:
            for flavour in args.flavours:
                path, utf8 = generate(Path(folder), lines, flavour)
                spec = FLAVOURS[flavour]
                ours = [sys.executable, "-m", "kpi_core", "report", "--orders", str(path), "--period", PERIOD,
                        "--by", "region", "--format", "csv"]
                bare = [sys.executable, "-c", BARE, str(utf8), spec["delim"], spec["date"], spec["decimal"],
                        f"{PERIOD}-01", "2026-07-01"]
                runs = {"ours": [], "bare": []}
                for _ in range(args.repeat):  # paired, alternating: both see the same machine state
                    runs["ours"].append(measure(ours))
                    runs["bare"].append(measure(bare))
                ours_s, bare_s = (statistics.median(s for s, _ in runs[k]) for k in ("ours", "bare"))
                ours_m, bare_m = (max(m for _, m in runs[k]) for k in ("ours", "bare"))
                rows.append((lines, flavour, path.stat().st_size, ours_s, bare_s, ours_m, bare_m))
                print(f"{lines:>11,} {flavour:<6} {ours_s:6.2f} s {ours_m / 2**20:7.0f} MiB | bare DuckDB "
                      f"{bare_s:6.2f} s {bare_m / 2**20:7.0f} MiB | {ours_s / bare_s:4.2f}× time "
                      f"{ours_m / bare_m:4.2f}× memory", file=sys.stderr, flush=True)
                for file in {path, utf8}:
                    file.unlink()
    print(f"CLI report (`--period {PERIOD} --by region`), whole process, median of {args.repeat} paired runs")
    print("| order lines | file | size | Boussole | peak RSS | bare DuckDB | peak RSS | time ratio | memory ratio |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for lines, flavour, size, ours_s, bare_s, ours_m, bare_m in rows:
        print(f"| {lines:,} | {flavour} | {size / 1e6:.0f} MB | {ours_s:.2f} s | {ours_m / 2**20:.0f} MiB | "
              f"{bare_s:.2f} s | {bare_m / 2**20:.0f} MiB | {ours_s / bare_s:.2f}× | {ours_m / bare_m:.2f}× |")


if __name__ == "__main__":
    main()
