"""What validating a file found, in words and tables for the user: what was kept or assumed, each rejected row's
reasons, the problems grouped by column and check."""

from __future__ import annotations

import pandas as pd

from kpi_core import currency
from kpi_core.formatting import format_value
from kpi_core.i18n import t
from kpi_core.ingest import SOURCE_ROW, Prepared, Problem


def assumptions(prepared: Prepared, lang: str) -> list[str]:
    """What was kept or assumed without being a problem, in sentences: rows without a customer, the stage lost
    deals with no stage of their own count at."""
    said = []
    if prepared.currency:
        said.append(t("currency.found", lang, currency=prepared.currency))
    if prepared.blank_rows:
        with currency.shown_as(prepared.currency):
            amount = format_value(prepared.blank_amount, "currency", lang)
        said.append(t("validation.blank", lang, rows=format_value(prepared.blank_rows, "count", lang),
                      amount=amount))
    for stage, count in sorted(prepared.lost_at.items(), key=lambda item: -item[1]):
        why = ("chosen" if prepared.mapping.lost_stage else
               "dated" if stage in prepared.mapping.stage_dates.values() else "first")
        said.append(t("validation.lost_at", lang, count=format_value(count, "count", lang), stage=stage,
                      why=t(f"validation.lost_at_{why}", lang)))
    return said


def reason_text(problem: Problem, lang: str) -> str:
    """`Montant HT: not a number (abc)` in the user's language."""
    column = problem.source or problem.column
    return f"{column}: {t(problem.check, lang)}" + (f" ({problem.value})" if problem.value else "")


def rejected_with_reasons(prepared: Prepared, lang: str) -> pd.DataFrame:
    """The rejected rows as they were in the file, with their row number and every reason, for download."""
    by_row: dict[int, list[str]] = {}
    for problem in prepared.problems:
        by_row.setdefault(problem.row, []).append(reason_text(problem, lang))
    reasons = prepared.rejected[SOURCE_ROW].map(lambda row: "; ".join(by_row.get(row, [])))
    return prepared.rejected.assign(**{t("upload.reason_column", lang): reasons})


def problem_summary(problems: list[Problem], *, examples: int = 5) -> pd.DataFrame:
    """Problems grouped by column and check, with counts, example rows and example values."""
    if not problems:
        return pd.DataFrame(columns=["column", "check", "count", "rows", "values", "source"])
    frame = pd.DataFrame([vars(problem) for problem in problems])
    return (
        frame.groupby(["column", "check"], sort=True)
        .agg(count=("row", "size"),
             source=("source", "first"),
             rows=("row", lambda rows: list(rows)[:examples]),
             values=("value", lambda values: list(dict.fromkeys(values))[:examples]))
        .reset_index()
    )


