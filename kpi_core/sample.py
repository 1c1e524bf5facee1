"""The bundled sample company kept current: its dates moved so that its last day falls in the week before today."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from kpi_core import queries

# Dates of events, moved by whole weeks (a Monday stays a Monday: weekly activity keeps its shape).
EVENT_DATES = {"orders": ("order_date",), "deals": ("created_date", "closed_date"), "activities": ("activity_date",),
               "leads": ("created_at", "first_response_at")}
# Months (spend, targets), moved by whole months.
MONTHS = {"spend": "month", "targets": "period"}


def last_day(frames: dict[str, pd.DataFrame]) -> date:
    """The data's last day, read as the app reads it (a lead's answer may come later)."""
    def happened(dataset: str, column: str) -> pd.Series:
        frame = frames[dataset]
        if (dataset, column) in queries.PLANNED_WHEN_OPEN and "status" in frame:
            return frame.loc[frame["status"].ne("open").fillna(True), column]
        return frame[column]

    return max(pd.Timestamp(happened(dataset, column).max()).date()
               for dataset, column in queries.BUSINESS_DATES if dataset in frames)


def shift_to(frames: dict[str, pd.DataFrame], day: date) -> dict[str, pd.DataFrame]:
    """The frames moved so their last day is the latest one, at most a week before `day`, on the same weekday."""
    last = last_day(frames)
    weeks = ((day - timedelta(days=1)) - last).days // 7
    if weeks == 0:
        return frames
    offset = pd.Timedelta(weeks=weeks)
    moved = last + timedelta(weeks=weeks)
    months = (moved.year * 12 + moved.month) - (last.year * 12 + last.month)
    shifted = {}
    for dataset, frame in frames.items():
        frame = frame.copy()
        for column in EVENT_DATES.get(dataset, ()):
            frame[column] = frame[column] + offset
        if "stage_entries" in frame:
            frame["stage_entries"] = frame["stage_entries"].map(
                lambda entries: None if entries is None else [None if e is None or pd.isna(e) else
                                                              (pd.Timestamp(e) + offset).date() for e in entries])
        if dataset in MONTHS:
            frame[MONTHS[dataset]] = frame[MONTHS[dataset]] + pd.DateOffset(months=months)
        shifted[dataset] = frame
    return shifted
