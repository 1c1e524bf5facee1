"""Reading uploaded files: encoding, delimiter and format detection, into a frame of raw text cells."""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from kpi_core.raw import MAX_COLUMNS, MB, Dialect, RawTable, UnreadableFile, tidy
from kpi_core.workbook import read_workbook

MAX_BYTES = 200 * MB
# Limits checked before any heavy work, each refused with one sentence (with raw.MAX_COLUMNS and the workbook's): a
# record line of a few kilobytes; Excel itself holds 32 767 characters in a cell; an archive or a workbook bounded
# by what it inflates to. A small upload cannot expand into minutes of work or gigabytes of memory.
MAX_LINE_BYTES = 2 * MB
MAX_CELL_CHARS = 32_767
MAX_INFLATED_BYTES = 250 * MB
DELIMITER_NAMES = {";": "semicolon", ",": "comma", "\t": "tab", "|": "pipe"}
DELIMITERS = tuple(DELIMITER_NAMES)
ENCODINGS = ("utf-8", "cp1252", "latin-1", "utf-16")
_XLSX_MAGIC = b"PK\x03\x04"
_OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97–2003 .xls
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # Excel's "Unicode text" export
_GZIP_MAGIC = b"\x1f\x8b"
_PARQUET_MAGIC = b"PAR1"
_TEXT_EXTENSIONS = (".csv", ".txt", ".tsv")
# What no text file starts with: a zip (workbook or archive), gzip, Parquet, an old Excel file.
BINARY_MAGICS = (_XLSX_MAGIC, _GZIP_MAGIC, _PARQUET_MAGIC, _OLD_EXCEL_MAGIC)
_SNIFF_BYTES = 64 * 1024


def decode(data: bytes) -> tuple[str, str, bool]:
    """Bytes → (text, encoding, had BOM), on the evidence: UTF-8 when its multi-byte sequences outnumber the bytes
    it cannot read (a few stray bytes are replaced, see `replaced_lines`), else Windows-1252, which French Excel
    exports use — whatever a BOM claims."""
    if data.startswith(UTF16_BOMS):
        return data.decode("utf-16", errors="replace"), "utf-16", True
    bom = data.startswith(b"\xef\xbb\xbf")
    body = data[3:] if bom else data
    try:
        return body.decode("utf-8"), "utf-8", bom
    except UnicodeDecodeError:
        pass
    text = body.decode("utf-8", errors="replace")
    replaced = text.count("\ufffd")
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))  # counted in C, not per character
    if non_ascii - replaced > replaced:
        return text, "utf-8", bom
    try:
        return body.decode("cp1252"), "cp1252", bom
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; Latin-1 maps every byte.
        return body.decode("latin-1"), "latin-1", bom


def replaced_lines(text: str, *, examples: int = 5) -> tuple[int, list[int]]:
    """How many lines hold a replacement character (bytes that could not be decoded), and the first ones."""
    found, line, start = [], 1, 0
    position = text.find("\ufffd")
    while position >= 0:
        line += text.count("\n", start, position)  # counted from the previous replacement only
        found.append(line)
        end = text.find("\n", position)
        if end < 0:
            break
        line, start = line + 1, end + 1
        position = text.find("\ufffd", start)
    return len(found), found[:examples]


def _line_ends(data: bytes) -> np.ndarray:
    """Where the lines end: the line feeds, or the carriage returns of a file that has none (old Mac), found a few
    megabytes at a time."""
    view, mark, step = np.frombuffer(data, dtype=np.uint8), 10 if b"\n" in data else 13, 4 * MB
    return np.concatenate([np.flatnonzero(view[start:start + step] == mark) + start
                           for start in range(0, len(view), step)] or [np.empty(0, np.int64)])


def line_lengths(ends: np.ndarray, crlf: np.ndarray, size: int) -> np.ndarray:
    """Each line's length in bytes, its end left out (and a CRLF's CR: `crlf` says which ends have one), from the
    positions of the line ends in a file of `size` bytes."""
    return np.diff(np.concatenate(([-1], ends, [size]))) - 1 - np.concatenate((crlf, [False])).astype(np.int64)


def _longest_line(data: bytes) -> tuple[int, int]:
    """(length in bytes, 1-based number) of the longest line."""
    ends = _line_ends(data)
    lengths = line_lengths(ends, np.zeros(len(ends), bool), len(data))
    longest = int(np.argmax(lengths))
    return int(lengths[longest]), longest + 1


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


def read_table(data: bytes, name: str = "", *, encoding: str | None = None, delimiter: str | None = None,
               max_bytes: int | None = None) -> RawTable:
    """Read CSV/TXT or XLSX bytes; raise UnreadableFile with a reason key when that is impossible.

    `encoding` and `delimiter` override the detection (the user corrected it, or a saved mapping says so);
    `max_bytes` is the size limit (default MAX_BYTES; the app's is its upload limit)."""
    limit = max_bytes or MAX_BYTES
    if len(data) > limit:
        raise UnreadableFile("file.too_large", limit_mb=limit // MB)
    if not data.strip():
        raise UnreadableFile("file.empty")
    if data.startswith(_XLSX_MAGIC):
        return _read_zip(data, name, encoding=encoding, delimiter=delimiter)
    if data.startswith(_OLD_EXCEL_MAGIC):
        raise UnreadableFile("file.old_excel")
    if data.startswith(_PARQUET_MAGIC):
        return _read_parquet(data, name)
    if data.startswith(_GZIP_MAGIC):
        inner = _gunzip(data)
        if inner.startswith(_GZIP_MAGIC):
            raise UnreadableFile("file.bad_archive")  # compressed twice: not an export
        return _unpacked(read_table(inner, name.removesuffix(".gz"), encoding=encoding, delimiter=delimiter,
                                    max_bytes=MAX_INFLATED_BYTES), name)
    if b"\x00" in data[:_SNIFF_BYTES] and not data.startswith(UTF16_BOMS):
        raise UnreadableFile("file.binary")
    if not data.startswith(UTF16_BOMS):
        longest, line = _longest_line(data)
        if longest > MAX_LINE_BYTES:
            raise UnreadableFile("file.line_too_long", line=line, limit_mb=MAX_LINE_BYTES // MB)
    if encoding:
        bom = data.startswith(b"\xef\xbb\xbf")
        text = data[3 if bom else 0:].decode(encoding, errors="replace")
    else:
        text, encoding, bom = decode(data)
    if not text.strip():
        raise UnreadableFile("file.empty")  # a byte-order mark, or only blank lines
    if text.lstrip()[:200].lower().startswith(("<!doctype html", "<html", "<table", "<?xml")):
        raise UnreadableFile("file.html")  # a web page or XML saved with a .xls/.csv name by an old CRM
    delimiter = delimiter or sniff_delimiter(text)
    # Leading blank lines are not the header; their count keeps row numbers those of the file.
    stripped = text.lstrip("\r\n")
    skipped = len(text[:len(text) - len(stripped)].replace("\r\n", "\n"))
    try:
        header_line = next(csv.reader(io.StringIO(stripped[:MAX_LINE_BYTES], newline=""), delimiter=delimiter), [])
    except csv.Error:
        header_line = []  # the parser below says what is wrong with it
    if len(header_line) > MAX_COLUMNS:
        raise UnreadableFile("file.too_many_columns", count=len(header_line), limit=MAX_COLUMNS)
    frame, rows = _parse_csv(data, text, encoding, bom, delimiter, stripped, skipped, len(header_line))
    notes = []
    if "\ufffd" in text and not data.startswith(UTF16_BOMS):
        count, lines = replaced_lines(text)
        notes.append(("file.replaced", {"encoding": encoding, "count": count, "lines": ", ".join(map(str, lines))}))
    return RawTable(frame, Dialect("csv", encoding, delimiter, bom), name, pd.Series(rows, index=frame.index), notes)


def _parse_csv(data: bytes, text: str, encoding: str, bom: bool, delimiter: str, stripped: str, skipped: int,
               columns: int) -> tuple[pd.DataFrame, np.ndarray]:
    """The records as text cells, blank records left out, and the file line each starts on. Arrow's parser reads a
    well-formed file on every core (measured on a million lines: 0.2 s against pandas' 2 s); a file it refuses is
    parsed again by pandas, whose messages name the line to fix."""
    utf8 = data[3 if bom else 0:] if encoding == "utf-8" and "\ufffd" not in text else text.encode("utf-8")
    frame = _arrow_csv(utf8, delimiter, columns)
    if frame is not None:
        rows = _arrow_record_lines(utf8, stripped, delimiter, len(frame), skipped)
    else:
        frame = _pandas_csv(stripped, delimiter, skipped)
        rows = _record_lines(stripped, delimiter, len(frame)) + skipped
    frame = tidy(frame)
    blank = (frame == "").all(axis=1).to_numpy() if len(frame.columns) else np.ones(len(frame), bool)
    return frame[~blank].reset_index(drop=True), rows[~blank]


def arrow_csv_options(delimiter: str, columns: int, block_size: int) -> dict:
    """How Arrow reads a text file here: every cell as text, as written (empty cells stay empty strings), line breaks
    inside quotes kept, empty lines skipped; the header is read as the first record (columns named f0, f1…)."""
    return {"read_options": pa_csv.ReadOptions(autogenerate_column_names=True, block_size=block_size),
            "parse_options": pa_csv.ParseOptions(delimiter=delimiter, newlines_in_values=True,
                                                 ignore_empty_lines=True),
            "convert_options": pa_csv.ConvertOptions(strings_can_be_null=False, quoted_strings_can_be_null=False,
                                                     column_types={f"f{n}": pa.string() for n in range(columns)})}


def without_initial_spaces(columns: list) -> list | None:
    """The columns with the spaces their cells start with removed, as pandas reads them (`skipinitialspace`); None
    when such spaces come before a quote (pandas then reads a quoted cell, Arrow the quote as text)."""
    trimmed = []
    for column in columns:
        if pc.any(pc.starts_with(column, " ")).as_py():
            column = pc.utf8_ltrim(column, " ")
            if pc.any(pc.starts_with(column, '"')).as_py():
                return None
        trimmed.append(column)
    return trimmed


def _arrow_csv(utf8: bytes, delimiter: str, columns: int) -> pd.DataFrame | None:
    """The records as text cells (see arrow_csv_options); None when a record's field count differs from the
    header's, a cell starts with spaces then a quote, or there is no record."""
    try:
        table = pa_csv.read_csv(io.BytesIO(utf8), **arrow_csv_options(delimiter, columns, 16 * MB))
    except pa.ArrowInvalid:
        return None
    if not table.num_rows or any(column.type != pa.string() for column in table.columns):
        return None
    trimmed = without_initial_spaces(table.columns)
    if trimmed is None:
        return None
    header = [str(cell) for cell in pa.table(trimmed, names=table.column_names).slice(0, 1).to_pylist()[0].values()]
    frame = pa.table(trimmed, names=table.column_names).slice(1).to_pandas()
    frame.columns = mangled(header)
    return frame


def mangled(header: list[str]) -> list[str]:
    """Column names as pandas gives them: an empty name is `Unnamed: n`, a repeated one `name.1`."""
    names, seen = [], set()
    for position, name in enumerate(header):
        name = name or f"Unnamed: {position}"
        candidate, count = name, 0
        while candidate in seen:
            count += 1
            candidate = f"{name}.{count}"
        seen.add(candidate)
        names.append(candidate)
    return names


def _pandas_csv(stripped: str, delimiter: str, skipped: int) -> pd.DataFrame:
    """pandas' parser: slower, but its errors say where a file breaks."""
    try:
        with warnings.catch_warnings():
            # pandas only warns when a row has more fields than the header, and drops them: refuse instead.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            return pd.read_csv(
                io.StringIO(stripped), sep=delimiter, dtype=str, keep_default_na=False, index_col=False,
                skipinitialspace=True, on_bad_lines="error", skip_blank_lines=False,
            )
    except pd.errors.ParserWarning:
        raise UnreadableFile("file.too_many_fields_somewhere") from None
    except pd.errors.EmptyDataError:
        raise UnreadableFile("file.empty") from None
    except (pd.errors.ParserError, csv.Error) as error:
        raise _parser_error(str(error), skipped) from None


def _arrow_record_lines(utf8: bytes, stripped: str, delimiter: str, records: int, skipped: int) -> np.ndarray:
    """The file line each record Arrow read starts on, empty lines skipped as Arrow skips them: without a line
    break inside a quoted cell, the records are the non-empty lines after the header."""
    view, ends = np.frombuffer(utf8, dtype=np.uint8), _line_ends(utf8)
    crlf = (ends > 0) & (view[np.maximum(ends - 1, 0)] == 13) & (view[ends] == 10) if len(ends) else np.zeros(0, bool)
    filled = np.flatnonzero(line_lengths(ends, crlf, len(view)) > 0) + 1
    if len(filled) == records + 1:
        return filled[1:]
    return _record_lines(stripped, delimiter, records, skip_empty=True) + skipped


def _record_lines(text: str, delimiter: str, records: int, *, skip_empty: bool = False) -> np.ndarray:
    """The file line each record starts on (the header is line 1). Without a line break inside a quoted cell,
    record n is line n + 1; otherwise the csv module counts the lines each record spans (`skip_empty`: empty
    lines are not records)."""
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if lines <= records + 1 and not skip_empty:
        return np.arange(2, records + 2)
    starts, reader = [], csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    previous = 0
    for record in reader:
        if record or not skip_empty:
            starts.append(previous + 1)
        previous = reader.line_num
    return np.array(starts[1:records + 1] + [0] * max(records + 1 - len(starts), 0))


def _parser_error(message: str, skipped: int = 0) -> UnreadableFile:
    """pandas' tokenizer messages → a sentence a user can act on (`skipped` blank lines came before the header)."""
    fields = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if fields:
        expected, line, saw = fields.groups()
        return UnreadableFile("file.too_many_fields", line=int(line) + skipped, expected=int(expected), saw=int(saw))
    quote = re.search(r"EOF inside string starting at row (\d+)", message)
    if quote:
        return UnreadableFile("file.unclosed_quote", line=int(quote.group(1)) + 1 + skipped)
    return UnreadableFile("file.malformed", detail=message.splitlines()[0] if message else "")


def _gunzip(data: bytes) -> bytes:
    """A `.csv.gz`'s content, inflated up to MAX_INFLATED_BYTES and no further."""
    inflated, rest = [], data
    try:
        while rest.startswith(_GZIP_MAGIC):  # a gzip file may hold several members one after the other
            member = zlib.decompressobj(wbits=31)
            inflated.append(member.decompress(rest, MAX_INFLATED_BYTES + 1 - sum(map(len, inflated))))
            if member.unconsumed_tail or sum(map(len, inflated)) > MAX_INFLATED_BYTES:
                raise UnreadableFile("file.inflates", limit_mb=MAX_INFLATED_BYTES // MB)
            if not member.eof:
                raise UnreadableFile("file.bad_archive")  # cut short
            rest = member.unused_data
    except zlib.error:
        raise UnreadableFile("file.bad_archive") from None
    return b"".join(inflated)


def _unpacked(table: RawTable, archive: str) -> RawTable:
    table.notes.insert(0, ("file.unpacked", {"archive": archive, "name": table.name}))
    table.name = archive
    return table


def _read_zip(data: bytes, name: str, **dialect) -> RawTable:
    """A workbook (a zip of XML parts), or a `.zip` holding one CSV/TXT file, read as that file."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(entry.file_size for entry in archive.infolist()) > MAX_INFLATED_BYTES:
                raise UnreadableFile("file.inflates", limit_mb=MAX_INFLATED_BYTES // MB)
            if name.lower().endswith((".xlsx", ".xlsm")) or any(
                    entry == "[Content_Types].xml" or entry.startswith("xl/") for entry in archive.namelist()):
                return read_workbook(data, name)
            files = [entry for entry in archive.infolist() if not entry.is_dir() and "__MACOSX" not in entry.filename
                     and not entry.filename.rsplit("/", 1)[-1].startswith(".")]
            texts = [entry for entry in files if entry.filename.lower().endswith(_TEXT_EXTENSIONS)]
            if len(texts) != 1 or len(files) != 1:
                raise UnreadableFile("file.zip_contents", count=len(files))
            with archive.open(texts[0]) as inner:
                content = inner.read(MAX_INFLATED_BYTES + 1)
    except UnreadableFile:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):  # RuntimeError: a password
        raise UnreadableFile("file.bad_archive" if name.lower().endswith(".zip") else "file.bad_workbook") from None
    if len(content) > MAX_INFLATED_BYTES:
        raise UnreadableFile("file.inflates", limit_mb=MAX_INFLATED_BYTES // MB)
    inner_name = texts[0].filename.rsplit("/", 1)[-1]
    return _unpacked(read_table(content, inner_name, max_bytes=MAX_INFLATED_BYTES, **dialect), name)


def _read_parquet(data: bytes, name: str) -> RawTable:
    """A Parquet file: typed columns as they are (like a workbook's cells); row n is the n-th record."""
    try:
        source = pq.ParquetFile(io.BytesIO(data))
        if source.metadata.num_columns > MAX_COLUMNS:
            raise UnreadableFile("file.too_many_columns", count=source.metadata.num_columns, limit=MAX_COLUMNS)
        frame = source.read().to_pandas()
    except UnreadableFile:
        raise
    except (pa.ArrowException, OSError, ValueError):
        raise UnreadableFile("file.bad_parquet") from None
    frame = tidy(frame.reset_index(drop=True))
    return RawTable(frame, Dialect("parquet", "", ""), name, pd.Series(frame.index + 1, index=frame.index))


def read_bytes(path: str | Path) -> bytes:
    """A file's bytes, refusing a missing or oversized file with a reason."""
    path = Path(path)
    if not path.is_file():
        raise UnreadableFile("file.not_found", path=str(path))
    if path.stat().st_size > MAX_BYTES:
        raise UnreadableFile("file.too_large", limit_mb=MAX_BYTES // MB)
    return path.read_bytes()


def read_path(path: str | Path) -> RawTable:
    return read_table(read_bytes(path), Path(path).name)
