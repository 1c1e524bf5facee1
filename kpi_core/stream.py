"""Large text files read in batches of rows, in bounded memory: the command line reads a file of any size.

A file read whole holds its bytes, its decoded text and its cells at once (several times its size); a file above
STREAM_BYTES (200 MB) is read twice instead, never whole: once for its lines (where they start, which are empty, the
longest), then by Arrow's streaming CSV reader, a million records at a time, each batch a RawTable with the file's
own line numbers. A record with fewer fields than the header, which the whole-file reader pads, is refused here
with Arrow's words.
"""

from __future__ import annotations

import codecs
import csv
import io
from array import array
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from kpi_core.raw import MAX_COLUMNS, MB, Dialect, RawTable, UnreadableFile, tidy
from kpi_core.reader import (
    BINARY_MAGICS,
    MAX_BYTES,
    MAX_LINE_BYTES,
    UTF16_BOMS,
    arrow_csv_options,
    decode,
    line_lengths,
    mangled,
    read_table,
    replaced_lines,
    sniff_delimiter,
    without_initial_spaces,
)

# Files up to the size the whole-file reader always took are read as before (pandas pads a record with fewer fields
# than the header, Arrow's streaming reader cannot); beyond, they are read in batches instead of refused.
STREAM_BYTES = MAX_BYTES
BATCH_ROWS = 1_000_000
_HEAD = MB
_CHUNK = 16 * MB
# Arrow's streaming reader keeps several blocks in flight per core: 1 MB blocks read ten million lines in 2.1 s and
# 178 MB, 16 MB blocks in 2.7 s and 811 MB.
_BLOCK = MB
_UTF8_BOM = b"\xef\xbb\xbf"


def read_batches(path: str | Path, *, encoding: str | None = None, delimiter: str | None = None,
                 batch_rows: int | None = None) -> Iterator[RawTable]:
    """A file's rows as RawTables of `batch_rows` records or a little more (whole blocks of the reader); one table
    for a file read whole (a small one, a workbook, an archive, Parquet). Notes on the whole file come with the last
    table."""
    path = Path(path)
    if not path.is_file():
        raise UnreadableFile("file.not_found", path=str(path))
    size = path.stat().st_size
    with path.open("rb") as file:
        head = file.read(_HEAD)
    if size <= STREAM_BYTES or head.startswith(BINARY_MAGICS) or (b"\x00" in head and not head.startswith(UTF16_BOMS)):
        yield read_table(path.read_bytes(), path.name, encoding=encoding, delimiter=delimiter, max_bytes=size)
        return
    yield from _Batches(path, head, encoding, delimiter, batch_rows or BATCH_ROWS)


class _Utf8(io.RawIOBase):
    """A text file read as UTF-8 bytes, a chunk at a time (transcoded from `encoding`, undecodable bytes replaced),
    noting the lines where bytes were replaced."""

    def __init__(self, path: Path, encoding: str, skip: int):
        self._file = path.open("rb")
        self._file.seek(skip)
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        self._pending, self._offset, self._lines, self.replaced = b"", 0, 0, (0, [])

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._offset >= len(self._pending):
            chunk = self._file.read(_CHUNK)
            text = self._decoder.decode(chunk, final=not chunk)
            if "\ufffd" in text:
                count, lines = replaced_lines(text)
                total, first = self.replaced
                self.replaced = (total + count, (first + [self._lines + line for line in lines])[:5])
            self._lines += text.count("\n")
            self._pending, self._offset = text.encode("utf-8"), 0
            if not self._pending:
                return 0
        taken = min(len(buffer), len(self._pending) - self._offset)
        buffer[:taken] = self._pending[self._offset:self._offset + taken]
        self._offset += taken
        return taken

    def close(self) -> None:
        self._file.close()
        super().close()


class _Batches:
    """The streaming read of one file: its dialect from its first megabyte, its lines, then its records."""

    def __init__(self, path: Path, head: bytes, encoding: str | None, delimiter: str | None, batch_rows: int):
        self.path, self.batch_rows = path, batch_rows
        sample = head[:head.rfind(b"\n") + 1] or head  # whole lines: a character may be cut at the end
        if encoding:
            self.bom = sample.startswith(_UTF8_BOM)
            text = sample[3 if self.bom else 0:].decode(encoding, errors="replace")
            self.encoding = encoding
        else:
            text, self.encoding, self.bom = decode(sample)
        self.delimiter = delimiter or sniff_delimiter(text)
        header = next(csv.reader(io.StringIO(text.lstrip("\r\n"), newline=""), delimiter=self.delimiter), [])
        if len(header) > MAX_COLUMNS:
            raise UnreadableFile("file.too_many_columns", count=len(header), limit=MAX_COLUMNS)
        self.columns = len(header)
        self.skip = 3 if self.bom and self.encoding == "utf-8" else 0
        self.mark = 10 if b"\n" in head else 13
        self.filled, self.clean, self.quoted = self._lines()
        self.starts: array | None = None  # record start lines, counted only when a cell holds a line break

    def _utf8(self) -> io.RawIOBase:
        """The file as UTF-8 bytes: itself when it is, else transcoded."""
        if self.encoding == "utf-8" and self.clean:
            file = self.path.open("rb")
            file.seek(self.skip)
            return file
        return _Utf8(self.path, "utf-8" if self.encoding == "utf-8" else self.encoding, self.skip)

    def _lines(self) -> tuple[np.ndarray, bool, bool]:
        """The numbers of the lines holding something (CR, LF or CRLF ending a line), checking none is longer
        than MAX_LINE_BYTES; whether a UTF-8 file decodes cleanly, and whether any cell is quoted."""
        ends, returns, position, last, clean, quoted = [], [], 0, 0, True, False
        utf16 = self.encoding == "utf-16"
        decoder = codecs.getincrementaldecoder("utf-8")()
        with (_Utf8(self.path, "utf-16", 0) if utf16 else self.path.open("rb")) as stream:
            while chunk := stream.read(_CHUNK):
                if self.encoding == "utf-8" and clean and not chunk.isascii():
                    try:
                        decoder.decode(chunk)
                    except UnicodeDecodeError:
                        clean = False
                quoted = quoted or b'"' in chunk
                view = np.frombuffer(chunk, np.uint8)
                found = np.flatnonzero(view == self.mark)
                before = np.where(found > 0, view[np.maximum(found - 1, 0)], last)
                ends.append(found + position)
                returns.append((before == 13) & (self.mark == 10))
                position, last = position + len(chunk), chunk[-1]
            try:
                decoder.decode(b"", final=True)  # a character cut short at the very end
            except UnicodeDecodeError:
                clean = False
        lengths = line_lengths(np.concatenate(ends or [np.empty(0, np.int64)]),
                               np.concatenate(returns or [np.empty(0, bool)]), position)
        longest = int(np.argmax(lengths))
        if lengths[longest] > MAX_LINE_BYTES:
            raise UnreadableFile("file.line_too_long", line=longest + 1, limit_mb=MAX_LINE_BYTES // MB)
        return np.flatnonzero(lengths > 0) + 1, clean, quoted

    def _record_starts(self) -> array:
        """The line each record starts on, counted by the csv module (a cell may span lines); the header's left
        out."""
        starts, previous = array("q"), 0
        with io.TextIOWrapper(self._utf8(), encoding="utf-8", newline="") as text:
            reader = csv.reader(text, delimiter=self.delimiter)
            for record in reader:
                if record:
                    starts.append(previous + 1)
                previous = reader.line_num
        return starts[1:]

    def __iter__(self) -> Iterator[RawTable]:
        with self._utf8() as source:
            try:
                reader = pa_csv.open_csv(source, **arrow_csv_options(self.delimiter, self.columns, _BLOCK))
                header, read, batches, pending = None, 0, [], None
                for batch in reader:
                    if header is None:  # Arrow reads the header as the first record
                        header = mangled([str(cell) for cell in batch.slice(0, 1).to_pylist()[0].values()])
                        batch = batch.slice(1)
                    batches.append(batch)
                    if sum(map(len, batches)) >= self.batch_rows:
                        if pending is not None:
                            yield pending
                        pending, read, batches = self._table(batches, header, read), read + sum(map(len, batches)), []
            except pa.ArrowInvalid as error:
                raise UnreadableFile("file.malformed", detail=str(error).splitlines()[0][:160]) from None
            if header is None:
                raise UnreadableFile("file.empty")
            if batches or pending is None:
                if pending is not None:
                    yield pending
                pending = self._table(batches, header, read)
            if isinstance(source, _Utf8) and source.replaced[0]:
                count, lines = source.replaced
                pending.notes.append(("file.replaced", {"encoding": self.encoding, "count": count,
                                                        "lines": ", ".join(map(str, lines))}))
            yield pending

    def _table(self, batches: list[pa.RecordBatch], header: list[str], read: int) -> RawTable:
        """`batches` as one RawTable: cells as read (pandas' initial spaces skipped), blank records out, each
        record's line in the file."""
        table = pa.Table.from_batches(batches) if batches else pa.table(
            {f"f{n}": pa.array([], pa.string()) for n in range(len(header))})
        columns = without_initial_spaces(table.columns)
        if columns is None:
            raise UnreadableFile("file.quote_after_spaces")
        rows = self._rows(columns, read, table.num_rows)
        frame = tidy(pa.table(columns, names=header).to_pandas() if columns else table.to_pandas())
        blank = (frame == "").all(axis=1).to_numpy() if len(frame.columns) else np.zeros(len(frame), bool)
        frame = frame[~blank].reset_index(drop=True)
        return RawTable(frame, Dialect("csv", self.encoding, self.delimiter, self.bom), self.path.name,
                        pd.Series(rows[~blank], index=frame.index))

    def _rows(self, columns: list, read: int, count: int) -> np.ndarray:
        """The file line of records `read` to `read + count`: the non-empty lines after the header, unless a cell
        holds a line break (then the csv module counts)."""
        if self.starts is None and self.quoted and any(
                pc.any(pc.match_substring(column, mark)).as_py() for column in columns for mark in "\n\r"):
            self.starts = self._record_starts()
        if self.starts is not None:
            return np.asarray(self.starts[read:read + count], dtype=np.int64)
        return self.filled[1 + read:1 + read + count]

