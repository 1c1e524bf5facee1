"""The upload page's parts: one card per file (how it was read, what it holds, its columns and values, its
validation report), the pipeline stages, and saved mappings."""

from __future__ import annotations

import hashlib
from typing import NamedTuple

import streamlit as st

from kpi_core import currency, lookup, recognition
from kpi_core.formatting import describe_convention, describe_dialect, escape_markdown, escaped, format_value
from kpi_core.i18n import t
from kpi_core.ingest import Prepared, prepare
from kpi_core.mapping import DatasetMapping, LookupJoin, Mapping
from kpi_core.mapping_file import InvalidMapping
from kpi_core.memory import release_memory
from kpi_core.reader import DELIMITER_NAMES, ENCODINGS, MB, RawTable, UnreadableFile, read_table
from kpi_core.recognition import mapping_for, read_with
from kpi_core.schemas import DATASETS, fields
from kpi_core.validation import assumptions, problem_summary, rejected_with_reasons
from kpi_core.value_choices import value_choices
from ui import downloads, state, tables

# What an upload read and validated is kept for its browser session only, as the objects themselves (no pickled
# copy made on every rerun), for a few files and mappings; released when the session disconnects or times out.
# Keyed by the content's digest (the bytes themselves are not hashed again on every call); the memory an entry
# frees is handed back to the system when it goes.
_CACHE = {"show_spinner": False, "max_entries": 6, "scope": "session", "on_release": lambda _: release_memory()}


def limits() -> tuple[int, int]:
    """Bytes per file and for all the files of one upload: `server.maxUploadSize` (config.toml, in megabytes as
    Streamlit counts them) per file, twice that together (a session's database is capped well below)."""
    per_file = int(st.get_option("server.maxUploadSize")) * MB
    return per_file, 2 * per_file


def uploader_limit_mb() -> int:
    """The widget's own limit, a quarter above ours: a file a little too big reaches the page, which says so in
    the user's language (beyond, Streamlit's own English message shows)."""
    return limits()[0] * 5 // 4 // MB


def within_limits(files: list, lang: str) -> list:
    """The uploaded files within the limits; one sentence for each file left out."""
    per_file, total = limits()
    kept, used = [], 0
    for file in files:
        if file.size > per_file:
            st.error(t("upload.file_too_large", lang, name=escape_markdown(file.name), limit_mb=per_file // MB),
                     icon=":material/block:")
        elif used + file.size > total:
            st.error(t("upload.total_too_large", lang, name=escape_markdown(file.name), limit_mb=total // MB),
                     icon=":material/block:")
        else:
            kept.append(file)
            used += file.size
    return kept


@st.cache_resource(**_CACHE)
def _read(_data: bytes, digest: str, name: str, encoding: str | None, delimiter: str | None) -> RawTable:
    return read_table(_data, name, encoding=encoding, delimiter=delimiter, max_bytes=limits()[0])


class Lookup(NamedTuple):
    """An uploaded lookup file: its digest (for the cache keys) and its table."""

    digest: str
    table: RawTable


@st.cache_resource(**_CACHE)
def _joined(_raw: RawTable, key: tuple, _lookups: tuple[RawTable, ...], joins_json: str):
    """A read upload joined with lookup tables (`key`: its digest and dialect, theirs digests), as the joins of
    `joins_json` say, else as recognised: lookup.enrich's table, joins and coverage."""
    return lookup.enrich(_raw, list(_lookups), Mapping.from_json(joins_json).lookups)


def _join(raw: RawTable, digest: str, lookups: tuple[Lookup, ...], joins: list[LookupJoin]):
    if not lookups:
        return raw, [], []
    key = (digest, raw.dialect.encoding, raw.dialect.delimiter, tuple(item.digest for item in lookups))
    return _joined(raw, key, tuple(item.table for item in lookups), Mapping(lookups=list(joins)).to_json())


@st.cache_resource(**_CACHE)
def _validate(_data: bytes, digest: str, name: str, mapping_json: str, _lookups: tuple[Lookup, ...],
              lookup_digests: tuple[str, ...]) -> Prepared:
    """Map, parse and validate one file with one mapping, joined with the lookups its joins name (the mapping's JSON
    and the lookups' digests are part of the key)."""
    mapping = Mapping.from_json(mapping_json)
    file_mapping = mapping.files[0]
    raw = _read(_data, digest, name, file_mapping.encoding, file_mapping.delimiter)
    raw, _, _ = _join(raw, digest, _lookups, mapping.lookups)
    return prepare(raw, file_mapping, mapping.stages)


def release() -> None:
    """Forget what this session's uploads read and validated: once loaded, the data lives in the session's database
    only (coming back to this page reads the files again)."""
    _read.clear()
    _joined.clear()
    _validate.clear()


class Upload:
    """One uploaded file's bytes and digest, read and validated through this session's cache."""

    def __init__(self, data: bytes, name: str):
        self.data, self.name, self.digest = data, name, hashlib.sha256(data).hexdigest()

    def read(self, data: bytes, name: str, encoding: str | None = None, delimiter: str | None = None) -> RawTable:
        """`read_with`'s reader (its bytes and name are this upload's)."""
        return _read(self.data, self.digest, self.name, encoding, delimiter)

    def validate(self, mapping_json: str, lookups: tuple[Lookup, ...] = ()) -> Prepared:
        return _validate(self.data, self.digest, self.name, mapping_json, lookups,
                         tuple(item.digest for item in lookups))


def _version() -> int:
    """Bumped when a mapping file replaces the choices, so every widget restarts from it."""
    return st.session_state.get("mapping_version", 0)


def mapping_upload(lang: str) -> None:
    """A saved mapping JSON in: it replaces this session's mappings and stages."""
    upload = st.file_uploader(t("upload.mapping_file", lang), type=["json"], key="mapping_file",
                              help=t("upload.mapping_help", lang))
    if upload is None or st.session_state.get("mapping_file_id") == upload.file_id:
        return
    try:
        st.session_state["mapping"] = Mapping.from_json(upload.getvalue())
        # The sidebar's widget exists already in this run: it takes the mapping's month before it is drawn again.
        st.session_state["fiscal_start_saved"] = st.session_state["mapping"].fiscal_year_start
    except InvalidMapping as error:
        st.error(t(error.reason, lang, **escaped(error.details)), icon=":material/block:")
        return
    st.session_state["mapping_file_id"] = upload.file_id
    st.session_state["mapping_version"] = _version() + 1
    st.rerun()


def stage_editor(lang: str) -> tuple[str, ...]:
    """The user's ordered pipeline, one stage per line."""
    stages = state.saved_mapping().stages
    text = st.text_area(t("upload.stages", lang), "\n".join(stages), key=f"stages:{_version()}",
                        help=t("upload.stages_help", lang), height=150)
    edited = tuple(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))
    if len(edited) < 2:
        st.error(t("upload.stages_too_few", lang))
        return stages
    return edited


def _pick(label: str, options: list, chosen, key: str, format_func=str, **kwargs):
    return st.selectbox(label, options, index=options.index(chosen) if chosen in options else 0, key=key,
                        format_func=format_func, **kwargs)


def split_lookups(files: list[Upload]) -> tuple[list[Upload], tuple[Lookup, ...]]:
    """The uploads that hold a dataset, and the others read as lookup tables (a list of accounts or of a team's
    agents: no date, no dataset), to join onto the data files."""
    data, undated = [], []
    for file in files:
        try:
            raw, saved = read_with(file.data, file.name, state.saved_mapping(), read=file.read)
            if saved is None:
                mapping_for(raw, state.saved_mapping())
            data.append(raw)
        except UnreadableFile as error:
            if error.reason == "file.unknown_dataset":
                undated.append(Lookup(file.digest, raw))
    # A file that fits no dataset is a lookup when a data file holds its keys; else the user says what it holds.
    lookups = tuple(item for item in undated if any(_holds_keys(table, item) for table in data))
    digests = {item.digest for item in lookups}
    return [file for file in files if file.digest not in digests], lookups


def _holds_keys(table: RawTable, item: Lookup) -> bool:
    """Whether a data table has a column of the lookup's keys (worked out once per table and lookup)."""
    return table.read_once(("lookup", item.digest), lambda: lookup.recognise(table, item.table)) is not None


def lookup_card(item: Lookup, joins: list[LookupJoin], lang: str) -> None:
    """A lookup file: what it was joined to, or that nothing fits it."""
    raw = item.table
    header = tuple(str(column) for column in raw.frame.columns)
    with st.container(border=True):
        st.subheader(escape_markdown(raw.name), anchor=False)
        used = [join for join in joins if join.header == header]
        if used:
            st.caption(t("upload.lookup_used", lang, keys=", ".join(escape_markdown(j.key) for j in used),
                         rows=format_value(len(raw.frame), "count", lang)))
        else:
            st.warning(t("upload.lookup_unused", lang), icon=":material/link_off:")


def file_card(file: Upload, stages: tuple[str, ...], lang: str,
              lookups: tuple[Lookup, ...] = ()) -> tuple[Prepared | None, list[LookupJoin]]:
    """Everything about one uploaded file, joined with the `lookups` that fit it; returns it validated (or None when
    it cannot be used) and the joins made."""
    key = f"{_version()}:{file.digest[:12]}:{file.name}"
    with st.container(border=True):
        st.subheader(escape_markdown(file.name), anchor=False)
        try:
            detected = file.read(file.data, file.name)
            _, saved = read_with(file.data, file.name, state.saved_mapping(), read=file.read)
        except UnreadableFile as error:
            st.error(t(error.reason, lang, **escaped(error.details)), icon=":material/block:")
            return None, []
        raw = _dialect(file, detected, saved, key, lang)
        if raw is None:
            return None, []
        for note, details in raw.notes:
            st.warning(t(note, lang, **escaped(details)), icon=":material/info:")
        raw, joins, coverages = _join(raw, file.digest, lookups, state.saved_mapping().lookups)
        for coverage in coverages:
            st.info(escape_markdown(lookup.sentence(coverage, lang)), icon=":material/link:")
        header = [str(column) for column in raw.frame.columns]
        try:
            guess = mapping_for(raw, state.saved_mapping())
        except UnreadableFile:
            guess = None
        dataset = st.selectbox(t("upload.dataset", lang), DATASETS, key=f"{key}:dataset",
                               index=DATASETS.index(guess.dataset) if guess else None,
                               format_func=lambda d: t(f"dataset.{d}", lang), placeholder=t("upload.choose", lang))
        if dataset is None:
            st.warning(t("upload.unknown_dataset", lang))
            return None, joins
        base = guess if guess and guess.dataset == dataset else mapping_for(raw, state.saved_mapping(), dataset)
        if base.preset:
            st.caption(t("upload.preset", lang, preset=t(f"preset.{base.preset}", lang)))
        elif state.saved_mapping().for_header(header, dataset):
            st.caption(t("upload.saved_applied", lang))
        found = recognition.confidences(raw, base, saved=state.saved_mapping().for_header(header, dataset) is not None,
                                        stages=stages)
        if found:
            st.caption(escape_markdown(recognition.sentence(found, lang)))
        ask = recognition.to_check(found, dataset)
        if ask:
            st.warning(t("recognition.ask", lang, fields=", ".join(t(f"field.{item.field}", lang) for item in ask)),
                       icon=":material/help:")
        mapping = _columns(base, header, stages, f"{key}:{dataset}", lang, ask=bool(ask))
        mapping.encoding, mapping.delimiter = raw.dialect.encoding or None, raw.dialect.delimiter or None
        if raw.dialect.encoding == detected.dialect.encoding and raw.dialect.delimiter == detected.dialect.delimiter:
            mapping.encoding = mapping.delimiter = None  # detection was right: nothing to force next time
        mapping.values = _values(raw, mapping, stages, f"{key}:{dataset}:{'|'.join(stages)}", lang)
        with st.spinner(t("upload.validating", lang, rows=format_value(len(raw.frame), "count", lang))):
            prepared = file.validate(Mapping([mapping], stages, lookups=joins).to_json(), lookups)
        _report(prepared, key, lang)
        return prepared, joins


def _dialect(file: Upload, detected: RawTable, saved: DatasetMapping | None, key: str, lang: str):
    """How the file was read, with the means to correct it."""
    st.caption(f"{describe_dialect(detected.dialect, lang)} · "
               f"{t('data.rows', lang, rows=format_value(len(detected.frame), 'count', lang))}")
    if detected.dialect.format != "csv":
        return detected
    with st.expander(t("upload.reading", lang)):
        left, right = st.columns(2)
        with left:
            encoding = _pick(t("upload.encoding", lang), [None, *ENCODINGS], saved and saved.encoding,
                             f"{key}:encoding", lambda e: t("upload.auto", lang) if e is None else e)
        with right:
            delimiter = _pick(t("upload.delimiter", lang), [None, *DELIMITER_NAMES], saved and saved.delimiter,
                              f"{key}:delimiter", lambda d: t("upload.auto", lang) if d is None
                              else t(f"delimiter.{DELIMITER_NAMES[d]}", lang))
    if not encoding and not delimiter:
        return detected
    try:
        return file.read(file.data, file.name, encoding, delimiter)
    except UnreadableFile as error:
        st.error(t(error.reason, lang, **escaped(error.details)))
        return None


def _columns(base: DatasetMapping, header: list[str], stages: tuple[str, ...], key: str, lang: str, *,
             ask: bool = False) -> DatasetMapping:
    """One selector per canonical field, starting from the suggestion; required fields first; open when one is
    missing or to check (`ask`)."""
    specs = sorted((spec for spec in fields(base.dataset) if spec.kind != "date_list"),  # filled from stage dates
                   key=lambda spec: not spec.required)
    missing = [spec.name for spec in specs if spec.required and spec.name not in base.columns
               and not (spec.name == "amount" and base.amount_product)]
    columns: dict[str, str] = {}
    product = base.amount_product
    with st.expander(t("upload.columns", lang), expanded=bool(missing) or ask):
        grid = st.columns(3)
        for position, spec in enumerate(specs):
            with grid[position % 3]:
                label = t(f"field.{spec.name}", lang) + (" *" if spec.required else "")
                if spec.name == "amount":
                    product = _amount(base, header, key, label, lang)
                    if product:
                        continue
                chosen = _pick(label, [None, *header], base.columns.get(spec.name), f"{key}:column:{spec.name}",
                               lambda c: "—" if c is None else c,
                               label_visibility="collapsed" if spec.name == "amount" else "visible")
                if chosen is not None:
                    columns[spec.name] = chosen
        stage_dates = {column: stage for column, stage in base.stage_dates.items() if column in header}
        if stage_dates:
            st.caption(t("upload.stage_dates", lang, count=len(stage_dates)))
        lost_stage, fallbacks = None, {}
        if base.dataset == "deals":
            lost_stage = _pick(t("upload.lost_stage", lang), [None, *stages], base.lost_stage, f"{key}:lost_stage",
                               lambda s: t("upload.lost_stage_auto", lang) if s is None else s,
                               help=t("upload.lost_stage_help", lang))
            fallback = _pick(t("upload.fallback", lang), [None, *header], base.fallbacks.get("created_date"),
                             f"{key}:fallback", lambda c: "—" if c is None else c)
            fallbacks = {"created_date": fallback} if fallback else {}
        chosen_currency = None
        if any(spec.name in ("amount", "target") for spec in specs):
            chosen_currency = _pick(t("upload.currency", lang), [None, *currency.CURRENCIES], base.currency,
                                    f"{key}:currency", lambda c: t("upload.currency_auto", lang) if c is None else c)
        reject_blank = any(spec.blank for spec in specs) and st.toggle(
            t("upload.reject_blank", lang), base.reject_blank, key=f"{key}:reject_blank",
            help=t("upload.reject_blank_help", lang))
        day_first = True
        if any(spec.kind in ("date", "datetime") for spec in specs):
            day_first = st.toggle(t("upload.day_first", lang), base.day_first, key=f"{key}:day_first",
                                  help=t("upload.day_first_help", lang))
    return DatasetMapping(base.dataset, columns, amount_product=product, day_first=day_first,
                          header=tuple(header), stage_dates=stage_dates, preset=base.preset,
                          reject_blank=reject_blank, lost_stage=lost_stage, fallbacks=fallbacks,
                          currency=chosen_currency)


def _amount(base: DatasetMapping, header: list[str], key: str, label: str, lang: str):
    """`amount` is one column, or quantity × unit price."""
    modes = ["column", "product"]
    mode = st.radio(label, modes, index=1 if base.amount_product else 0, key=f"{key}:amount_mode",
                    format_func=lambda m: t(f"upload.amount_{m}", lang), horizontal=True)
    if mode == "column":
        return None
    quantity, unit_price = base.amount_product or (None, None)
    quantity = _pick(t("upload.quantity", lang), header, quantity, f"{key}:quantity")
    unit_price = _pick(t("upload.unit_price", lang), header, unit_price, f"{key}:unit_price")
    return quantity, unit_price


def _values(raw: RawTable, mapping: DatasetMapping, stages: tuple[str, ...], key: str, lang: str):
    """Source value → canonical value, for stages, statuses, activity types and yes/no fields."""
    values: dict[str, dict[str, str]] = {}
    choices = value_choices(raw, mapping, stages)
    if not choices:
        return values
    with st.expander(t("upload.values", lang), expanded=any(None in c.values.values() for c in choices)):
        for choice in choices:
            column = t("upload.from_column", lang, column=escape_markdown(choice.source))
            st.markdown(f"**{t(f'field.{choice.field}', lang)}** — {column}")
            grid = st.columns(4)
            chosen = {}
            for position, (source, meaning) in enumerate(choice.values.items()):
                with grid[position % 4]:
                    chosen[source] = _pick(escape_markdown(source), [None, *choice.options], meaning,
                                           f"{key}:value:{choice.field}:{source}",
                                           lambda v, f=choice.field: _meaning(f, v, lang))
            values[choice.field] = {source: meaning for source, meaning in chosen.items() if meaning is not None}
            if choice.more:
                st.caption(t("upload.more_values", lang, count=choice.more))
    return values


def _meaning(field_name: str, value: str | None, lang: str) -> str:
    if value is None:
        return t(f"upload.unmapped_{'stage' if field_name == 'stage' else 'value'}", lang)
    return value if field_name == "stage" else t(f"value.{value}", lang)


def _report(prepared: Prepared, key: str, lang: str) -> None:
    """Counts, what was detected, every problem grouped by column and check, the rejected rows."""
    conventions = [t("upload.convention", lang, column=escape_markdown(prepared.mapping.columns.get(name) or
                                                                      t(f"field.{name}", lang)),
                     convention=describe_convention(detected, lang)) for name, detected in prepared.detected.items()]
    if conventions:
        st.caption(t("upload.detected", lang, conventions=" · ".join(conventions)))
    if any(getattr(detected, "ambiguous", False) for detected in prepared.detected.values()):
        st.info(t("upload.ambiguous_dates", lang), icon=":material/calendar_month:")
    if prepared.missing_columns:
        names = ", ".join(t(f"field.{name}", lang) for name in prepared.missing_columns)
        st.error(t("validation.missing_columns", lang, columns=names), icon=":material/error:")
        return
    def count(number: int) -> str:
        return format_value(number, "count", lang)

    read_column, accepted_column, rejected_column = st.columns(3)
    read_column.metric(t("upload.read", lang), count(prepared.rows_read))
    accepted_column.metric(t("upload.accepted", lang), count(len(prepared.accepted)))
    rejected_column.metric(t("upload.rejected", lang), count(len(prepared.rejected)))
    for sentence in assumptions(prepared, lang):
        st.info(escape_markdown(sentence), icon=":material/info:")
    if prepared.mixed_currencies:
        st.error(t("currency.mixed", lang, currencies=", ".join(prepared.mixed_currencies)),
                 icon=":material/currency_exchange:")
        return
    if not prepared.problems:
        st.success(t("upload.no_problem", lang), icon=":material/check_circle:")
        return
    summary = problem_summary(prepared.problems)
    table = summary.assign(
        column=[source or t(f"field.{name}", lang) for name, source in zip(summary["column"], summary["source"])],
        check=[t(check, lang) for check in summary["check"]],
        rows=[", ".join(map(str, rows)) for rows in summary["rows"]],
        values=[", ".join(values) for values in summary["values"]],
    )[["column", "check", "count", "rows", "values"]]
    table.columns = [t(f"upload.problem_{column}", lang) for column in table.columns]
    st.warning(t("upload.problems", lang, count=count(len(prepared.rejected))), icon=":material/warning:")
    tables.show(table)
    name = prepared.name.rsplit(".", 1)[0] + "_" + t("upload.rejected_file", lang)
    downloads.buttons(lambda: rejected_with_reasons(prepared, lang), name, lang, f"{key}:rejected", labels=(
        t("upload.download_rejected_csv", lang), t("upload.download_rejected_xlsx", lang)), filtered=False)
