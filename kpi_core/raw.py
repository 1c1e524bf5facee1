"""What reading a file gives, whatever its format: its cells, how it was read, or why it cannot be read."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

# Megabytes as Streamlit counts them (10**6 bytes: its uploader says "200MB"), so one limit reads the same
# everywhere.
MB = 1_000_000
# A CRM export has a few hundred columns at most (HubSpot's "all properties" export ~400).
MAX_COLUMNS = 1000


class UnreadableFile(ValueError):
    """A file that cannot be read at all; `reason` is an i18n key, `details` its parameters."""

    def __init__(self, reason: str, **details):
        super().__init__(reason)
        self.reason = reason
        self.details = details


@dataclass(frozen=True)
class Dialect:
    """How a file was read; shown to the user and saved with a mapping."""

    format: str = "csv"
    encoding: str = "utf-8"
    delimiter: str = ","
    bom: bool = False


@dataclass
class RawTable:
    """A file's cells as text (or as typed values for Excel), with its original row numbers (ints for a text file
    or a one-sheet workbook, `Sheet!row` when rows come from several sheets), and what the reading had to say
    (`notes`: (i18n key, parameters), e.g. replaced bytes or a sheet left out)."""

    frame: pd.DataFrame
    dialect: Dialect
    name: str = ""
    row_numbers: pd.Series = field(default=None)
    notes: list[tuple[str, dict]] = field(default_factory=list)
    joined: tuple[str, ...] = ()  # columns that came from lookup files (lookup.join): dimensions only
    # What the values say (a column's date format, the suggested mapping, how sure it is), worked out once per
    # table: the upload page asks on every rerun (`read_once`).
    readings: dict = field(default_factory=dict, repr=False, compare=False)

    def read_once(self, key: tuple, compute):
        """`compute()` the first time `key` is asked of this table, the same answer after."""
        if key not in self.readings:
            self.readings[key] = compute()
        return self.readings[key]


def as_text(cells: pd.Series) -> pd.Series:
    """Cells as text, trimmed, empty as missing: an Excel number that is an id (`1001.0`) reads `1001`, in a number
    column or a mixed one."""
    if cells.dtype == object:
        cells = cells.map(lambda cell: str(int(cell)) if isinstance(cell, float) and cell.is_integer() else cell)
    text = cells.astype("string").str.strip()
    text = text.str.replace(r"\.0$", "", regex=True) if pd.api.types.is_float_dtype(cells) else text
    return text.mask(text == "")


def tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Column names stripped; a file without any column is empty."""
    frame.columns = [str(column).strip() for column in frame.columns]
    if frame.empty and not len(frame.columns):
        raise UnreadableFile("file.empty")
    return frame
