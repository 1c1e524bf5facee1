"""Excel workbooks (.xlsx), read with calamine: a sheet's size is known before any cell becomes a Python object."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
from python_calamine import CalamineWorkbook, SheetTypeEnum

from kpi_core.raw import MAX_COLUMNS, MB, Dialect, RawTable, UnreadableFile, tidy

# Beyond these, CSV is the format for the job.
MAX_WORKBOOK_ROWS = 1_048_576  # Excel's own
MAX_WORKBOOK_CELLS = 2_000_000  # measured: 5 million cells took 8 s and 900 MB; 1.95 million, ~5 s and 460 MB


def read_workbook(data: bytes, name: str) -> RawTable:
    """Every sheet holding data: those with the first one's header are read together (rows named `Sheet!row`
    when there are several), the others are named in a note; row numbers are the sheet's own."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:  # its inflated size was bounded by _read_zip
            rows, cells = _count_tags(archive)
    except UnreadableFile:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise UnreadableFile("file.bad_workbook") from None
    if rows > MAX_WORKBOOK_ROWS or cells > MAX_WORKBOOK_CELLS:
        raise UnreadableFile("file.too_many_rows", limit=MAX_WORKBOOK_ROWS if rows > MAX_WORKBOOK_ROWS else
                             MAX_WORKBOOK_CELLS // max(cells // max(rows, 1), 1))
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        read = [0, 0]  # rows and cells, over every sheet
        sheets = [(meta.name, *_sheet_rows(workbook.get_sheet_by_name(meta.name), read))
                  for meta in workbook.sheets_metadata if meta.typ == SheetTypeEnum.WorkSheet]
    except UnreadableFile:
        raise
    except Exception:  # noqa: BLE001 — a corrupt workbook fails in many ways inside the reader
        raise UnreadableFile("file.bad_workbook") from None
    sheets = [sheet for sheet in sheets if sheet[1]]
    if not sheets:
        raise UnreadableFile("file.empty")
    header = sheets[0][1]
    kept = [sheet for sheet in sheets if sheet[1] == header]
    notes = [("file.sheet_left_out", {"sheet": title, "rows": len(rows)})
             for title, other, rows, _ in sheets if other != header]
    several = len(kept) > 1
    records = [row for _, _, rows, _ in kept for row in rows]
    numbers = [f"{title}!{number}" if several else number for title, _, _, found in kept for number in found]
    columns = [f"Unnamed: {position}" if cell is None else str(cell) for position, cell in enumerate(header)]
    frame = tidy(pd.DataFrame(records, columns=columns).infer_objects())
    if several:
        notes.insert(0, ("file.sheets_read", {"sheets": ", ".join(title for title, *_ in kept)}))
    return RawTable(frame, Dialect("xlsx", "", ""), name, pd.Series(numbers, index=frame.index, dtype=object),
                    notes)


def _count_tags(archive: zipfile.ZipFile) -> tuple[int, int]:
    """Rows and cells the worksheets declare, counted on the stream as it inflates (a second per 250 MB), before
    any reader builds them."""
    rows = cells = 0
    for entry in archive.infolist():
        if not (entry.filename.startswith("xl/worksheets/") and entry.filename.endswith(".xml")):
            continue
        with archive.open(entry) as stream:
            tail = b""
            while chunk := stream.read(4 * MB):
                text = tail + chunk
                rows += text.count(b"<row") - tail.count(b"<row")
                cells += text.count(b"<c ") + text.count(b"<c>") - tail.count(b"<c ") - tail.count(b"<c>")
                tail = text[-4:]
    return rows, cells


def _sheet_rows(sheet, read: list[int]) -> tuple[tuple, list[tuple], list[int]]:
    """A sheet's header (its first non-empty row), its non-empty rows after it and their row numbers (the sheet's
    own: row 1 is the first). Bounded before reading by the sheet's size, over the whole workbook (`read`)."""
    read[0] += sheet.total_height
    read[1] += sheet.total_height * sheet.total_width
    if sheet.total_width > MAX_COLUMNS:
        raise UnreadableFile("file.too_many_columns", count=sheet.total_width, limit=MAX_COLUMNS)
    if read[0] > MAX_WORKBOOK_ROWS or read[1] > MAX_WORKBOOK_CELLS:
        raise UnreadableFile("file.too_many_rows", limit=min(MAX_WORKBOOK_ROWS,
                                                             MAX_WORKBOOK_CELLS // max(sheet.total_width, 1)))
    header, rows, numbers = (), [], []
    for number, row in enumerate(sheet.to_python(skip_empty_area=False), start=1):
        cells = tuple(None if cell == "" else cell for cell in row)  # the reader gives "" for an empty cell
        if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells):
            continue
        if not header:
            header = cells
            while header and header[-1] is None:  # trailing empty columns
                header = header[:-1]
            continue
        rows.append(cells[:len(header)] + (None,) * (len(header) - len(cells)))
        numbers.append(number)
    return header, rows, numbers
