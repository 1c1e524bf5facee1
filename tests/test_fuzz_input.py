"""Fuzzing `validate` (the command line's, which runs the upload page's core path): random bytes, random
CSV-like text and random mapping JSON end in one sentence or a load whose counts add up — never an exception."""

from __future__ import annotations

import json
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi_core import custom
from kpi_core.cli import main
from kpi_core.ingest import prepare_file
from kpi_core.mapping import Mapping
from kpi_core.mapping_file import InvalidMapping
from kpi_core.reader import UnreadableFile
from kpi_core.recognition import read_with
from kpi_core.schemas import DATASETS

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SAMPLE_FILE = "Facture;Client;Date;Montant;Région\nF1;A;01/06/2026;10;Paris\nF2;B;02/06/2026;abc;Lyon\n".encode()

csv_like = st.lists(st.text(alphabet=string.ascii_letters + string.digits + ';,\t|"\n\r -/.:€éÉ=+@\x00',
                            max_size=40), min_size=1, max_size=30).map(lambda lines: "\n".join(lines))
headers = st.sampled_from(["Facture;Client;Date;Montant", "Deal ID,Create Date,Deal Stage,Amount,Close Date",
                           "Date;Commercial;Type", "Lead ID,Created At,Source", ""])
json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                           lambda children: st.lists(children, max_size=4)
                           | st.dictionaries(st.text(max_size=10), children, max_size=4), max_leaves=20)
file_entries = st.fixed_dictionaries({"dataset": st.sampled_from([*DATASETS, "invoices"]) | json_values}, optional={
    "columns": st.dictionaries(st.sampled_from(["order_id", "amount", "stage", "region", "x"]),
                               st.sampled_from(["Facture", "Montant", "Région", "absent"]) | json_values),
    "values": st.dictionaries(st.sampled_from(["status", "stage", "is_recurring"]),
                              st.dictionaries(st.text(max_size=5), st.text(max_size=8)) | json_values),
    "amount_product": st.lists(st.sampled_from(["Qté", "Montant", "Facture"]), max_size=3) | json_values,
    "header": st.just(["Facture", "Client", "Date", "Montant", "Région"]) | json_values,
    "encoding": st.sampled_from(["utf-8", "cp1252", "rot13", "base64", "", "latin-1"]) | json_values,
    "delimiter": st.sampled_from([";", ",", "\n", '"', ";;"]) | json_values,
    "day_first": json_values, "preset": json_values})
custom_entries = st.fixed_dictionaries({"name": st.text(max_size=30) | json_values}, optional={
    "dataset": st.sampled_from(DATASETS) | json_values,
    "aggregation": st.sampled_from(["count", "sum", "avg", "count_distinct", "median"]) | json_values,
    "field": st.sampled_from(["amount", "region", "order_id", "nope"]) | json_values,
    "conditions": st.lists(st.fixed_dictionaries({
        "field": st.sampled_from(["region", "amount", "status"]) | json_values,
        "operator": st.sampled_from(["in", "not_in", "at_least", "is_true"]) | json_values,
        "values": st.lists(st.text(max_size=8) | st.floats() | st.integers(), max_size=5) | json_values}),
        max_size=3) | json_values,
    "denominator": st.sampled_from(["revenue", "orders", "funnel", "nope"]) | json_values,
    "unit": st.sampled_from(["count", "currency", "percent", "kg"]) | json_values})
mappings = st.fixed_dictionaries({}, optional={
    "version": st.just(1) | json_values, "files": st.lists(file_entries, max_size=3) | json_values,
    "stages": st.lists(st.text(max_size=12), max_size=6) | json_values,
    "custom_kpis": st.lists(custom_entries, max_size=3) | json_values}) | json_values


def _validate(tmp_path, capsys, data: bytes, name: str, mapping: str | None = None) -> tuple[int, str]:
    """`python -m kpi_core validate`, in process: any exception it lets through fails the test."""
    path = tmp_path / name
    path.write_bytes(data)
    args = ["validate", str(path)]
    if mapping is not None:
        (tmp_path / "mapping.json").write_text(mapping)
        args += ["--mapping", str(tmp_path / "mapping.json")]
    code = main(args)
    out, err = capsys.readouterr()
    assert code in (0, 1) and "Traceback" not in err
    # Sentences only: notes on the reading (prefixed with the file's name), then a refusal when there is one.
    assert all(line.endswith(".") for line in err.strip().splitlines())
    if code == 1 and not out:
        assert len([line for line in err.strip().splitlines() if not line.startswith(name)]) == 1
    return code, out


def _accounted(data: bytes, name: str, mapping: Mapping) -> None:
    try:
        raw, _ = read_with(data, name, mapping)
        prepared = prepare_file(raw, mapping)
    except UnreadableFile:
        return
    assert prepared.rows_read == len(prepared.accepted) + len(prepared.rejected)


@FUZZ
@given(data=st.binary(max_size=4096), extension=st.sampled_from([".csv", ".txt", ".xlsx"]))
def test_random_bytes(tmp_path, capsys, data, extension):
    _validate(tmp_path, capsys, data, "fuzz" + extension)
    _accounted(data, "fuzz" + extension, Mapping())


@FUZZ
@given(header=headers, body=csv_like, encoding=st.sampled_from(["utf-8", "cp1252", "utf-16"]))
def test_random_csv_like_text(tmp_path, capsys, header, body, encoding):
    data = (header + "\n" + body).encode(encoding, errors="replace")
    _validate(tmp_path, capsys, data, "fuzz.csv")
    _accounted(data, "fuzz.csv", Mapping())


@FUZZ
@given(content=mappings)
def test_random_mapping_json(tmp_path, capsys, content):
    text = json.dumps(content, allow_nan=True)
    _validate(tmp_path, capsys, SAMPLE_FILE, "ventes.csv", text)
    try:
        mapping = Mapping.from_json(text)
    except InvalidMapping:
        return
    _accounted(SAMPLE_FILE, "ventes.csv", mapping)
    compiled = custom.compile_all(mapping.custom_kpis)
    assert len(compiled.usable) + len(compiled.unusable) == len(mapping.custom_kpis)
