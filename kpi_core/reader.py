"""Reading uploaded files: encoding, delimiter and format detection, into a frame of raw text cells."""

from __future__ import annotations

import csv
import io
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

MAX_BYTES = 200 * 1024 * 1024
DELIMITER_NAMES = {";": "semicolon", ",": "comma", "\t": "tab", "|": "pipe"}
DELIMITERS = tuple(DELIMITER_NAMES)
ENCODINGS = ("utf-8", "cp1252", "latin-1", "utf-16")
_XLSX_MAGIC = b"PK\x03\x04"
_OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97–2003 .xls
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # Excel's "Unicode text" export
_SNIFF_BYTES = 64 * 1024


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
    """A file's cells as text (or as typed values for Excel), with its original row numbers."""

    frame: pd.DataFrame
    dialect: Dialect
    name: str = ""
    row_numbers: pd.Series = field(default=None)


def decode(data: bytes) -> tuple[str, str, bool]:
    """Bytes → (text, encoding, had BOM). UTF-8 first; French Excel exports are Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8", True
    if data.startswith(_UTF16_BOMS):
        return data.decode("utf-16", errors="replace"), "utf-16", True
    try:
        return data.decode("utf-8"), "utf-8", False
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252", False
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; Latin-1 maps every byte.
        return data.decode("latin-1"), "latin-1", False


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most, and most consistent, columns."""
    lines = [line for line in text[:_SNIFF_BYTES].splitlines()[:50] if line.strip()]
    if len(lines) > 1:
        lines = lines[:-1]  # the sample may cut the last line
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        if not counts or max(counts) < 2:
            continue
        header = counts[0]
        consistent = sum(count == header for count in counts)
        score = (consistent, header)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_table(data: bytes, name: str = "", *, encoding: str | None = None, delimiter: str | None = None) -> RawTable:
    """Read CSV/TXT or XLSX bytes; raise UnreadableFile with a reason key when that is impossible.

    `encoding` and `delimiter` override the detection (the user corrected it, or a saved mapping says so)."""
    if len(data) > MAX_BYTES:
        raise UnreadableFile("file.too_large", limit_mb=MAX_BYTES // (1024 * 1024))
    if not data.strip():
        raise UnreadableFile("file.empty")
    if data.startswith(_XLSX_MAGIC):
        return _read_excel(data, name)
    if data.startswith(_OLD_EXCEL_MAGIC):
        raise UnreadableFile("file.old_excel")
    if b"\x00" in data[:_SNIFF_BYTES] and not data.startswith(_UTF16_BOMS):
        raise UnreadableFile("file.binary")
    if encoding:
        bom = data.startswith(b"\xef\xbb\xbf")
        text = data[3 if bom else 0:].decode(encoding, errors="replace")
    else:
        text, encoding, bom = decode(data)
    if text.lstrip()[:200].lower().startswith(("<!doctype html", "<html", "<table", "<?xml")):
        raise UnreadableFile("file.html")  # a web page or XML saved with a .xls/.csv name by an old CRM
    delimiter = delimiter or sniff_delimiter(text)
    try:
        with warnings.catch_warnings():
            # pandas only warns when a row has more fields than the header, and drops them: refuse instead.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(
                io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False, index_col=False,
                skipinitialspace=True, on_bad_lines="error",
            )
    except pd.errors.ParserWarning:
        raise UnreadableFile("file.too_many_fields_somewhere") from None
    except (pd.errors.ParserError, csv.Error) as error:
        raise _parser_error(str(error)) from None
    frame = _tidy(frame)
    return RawTable(frame, Dialect("csv", encoding, delimiter, bom), name, _spreadsheet_rows(frame))


def _parser_error(message: str) -> UnreadableFile:
    """pandas' tokenizer messages → a sentence a user can act on."""
    fields = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if fields:
        expected, line, saw = fields.groups()
        return UnreadableFile("file.too_many_fields", line=int(line), expected=int(expected), saw=int(saw))
    quote = re.search(r"EOF inside string starting at row (\d+)", message)
    if quote:
        return UnreadableFile("file.unclosed_quote", line=int(quote.group(1)) + 1)
    return UnreadableFile("file.malformed", detail=message.splitlines()[0] if message else "")


def _read_excel(data: bytes, name: str) -> RawTable:
    try:
        frame = pd.read_excel(io.BytesIO(data), sheet_name=0, engine="openpyxl")
    except Exception:  # noqa: BLE001 — openpyxl raises many unrelated types for a corrupt workbook
        raise UnreadableFile("file.bad_workbook") from None
    frame = _tidy(frame)
    return RawTable(frame, Dialect("xlsx", "", ""), name, _spreadsheet_rows(frame))


def _spreadsheet_rows(frame: pd.DataFrame) -> pd.Series:
    """Row numbers as a spreadsheet shows them: the header is row 1."""
    return pd.Series(frame.index + 2, index=frame.index)


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    frame.columns = [str(column).strip() for column in frame.columns]
    if frame.empty and not len(frame.columns):
        raise UnreadableFile("file.empty")
    return frame


def read_bytes(path: str | Path) -> bytes:
    """A file's bytes, refusing a missing or oversized file with a reason."""
    path = Path(path)
    if not path.is_file():
        raise UnreadableFile("file.not_found", path=str(path))
    if path.stat().st_size > MAX_BYTES:
        raise UnreadableFile("file.too_large", limit_mb=MAX_BYTES // (1024 * 1024))
    return path.read_bytes()


def read_path(path: str | Path) -> RawTable:
    return read_table(read_bytes(path), Path(path).name)
