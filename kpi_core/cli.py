"""`python -m kpi_core validate|report`: the KPI core without the UI, for scheduled reports and checks."""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path

from kpi_core import currency, custom, lookup, recognition, stream
from kpi_core.analysis import Analysis, Selection
from kpi_core.formatting import LANGUAGES
from kpi_core.i18n import t
from kpi_core.ingest import Prepared, prepare_batches
from kpi_core.mapping import Mapping
from kpi_core.periods import Granularity, parse_period
from kpi_core.raw import RawTable
from kpi_core.reader import UnreadableFile, read_path
from kpi_core.recognition import read_with
from kpi_core.schemas import DATASETS, DIMENSIONS
from kpi_core.session import Session
from kpi_core.stream import read_batches
from kpi_core.validation import assumptions, problem_summary

# The report's database spills beyond 768 MB and, when its files are read in batches, is compressed as each batch
# arrives: ten million order lines then peak at 1.4 GB for the whole process (1.6 GB with 1 GB, 1.2 GB but 15 %
# slower with 512 MB). Smaller files are not worth the compression's time (a million lines: +1 s, -120 MB).
REPORT_MEMORY = "768MB"


def _mapping(path: str | None) -> Mapping:
    if not path:
        return Mapping()
    if not Path(path).is_file():
        raise UnreadableFile("file.not_found", path=path)
    return Mapping.from_json(Path(path).read_bytes())


def load_file(path: str, dataset: str | None, mapping: Mapping, lang: str, session: Session | None = None,
              lookups: tuple[RawTable, ...] = ()) -> Prepared:
    """A file of any size read (in batches when large), joined with the `lookups` that fit it (the joins used are
    remembered in `mapping`), mapped and validated; what the reading had to say (replaced bytes, sheets, lookup
    coverage) goes to stderr. With a `session`, accepted rows are staged there batch by batch, not kept."""
    readings, coverages = {}, {}

    def read(source: str, name: str, *, encoding: str | None = None, delimiter: str | None = None):
        tables = read_batches(source, encoding=encoding, delimiter=delimiter)
        first = next(tables)
        readings[id(first)] = itertools.chain([first], tables)
        return first

    def enriched(tables):
        for table in tables:
            table, used, found = lookup.enrich(table, list(lookups), mapping.lookups)
            if not opening:
                opening.append(table)
            for join in used:
                mapping.remember_join(join)  # the first batch's joins hold for the others
            for coverage in found:
                coverages[coverage.lookup, coverage.on] = lookup.add(coverages.get((coverage.lookup, coverage.on)),
                                                                    coverage)
            yield table

    opening: list[RawTable] = []  # the first batch, joined: what recognition reads
    raw, saved = read_with(path, Path(path).name, mapping, read=read)
    prepared = prepare_batches(enriched(readings[id(raw)]), mapping, dataset,
                               keep=session.stage if session else None)
    if prepared.mapping is not None and opening:
        prepared.recognised = recognition.confidences(opening.pop(), prepared.mapping, saved=saved is not None,
                                                      stages=mapping.stages)
    for said in [t(note, lang, **details) for note, details in prepared.notes] + \
            [lookup.sentence(coverage, lang) for coverage in coverages.values()]:
        print(f"{Path(path).name}: {said}", file=sys.stderr)
    return prepared


def read_lookups(paths: list[str] | None) -> tuple[RawTable, ...]:
    return tuple(read_path(Path(path)) for path in paths or [])


def validation_report(prepared: Prepared, lang: str) -> str:
    """The text `validate` prints: counts, then every problem grouped by column and check."""
    lines = [f"{prepared.dataset}: " + t("validation.counts", lang, read=prepared.rows_read,
                                          accepted=prepared.accepted_rows, rejected=len(prepared.rejected))]
    if prepared.recognised:
        lines.append(recognition.sentence(prepared.recognised, lang))
    if prepared.missing_columns:
        lines.append(t("validation.missing_columns", lang, columns=", ".join(prepared.missing_columns)))
    lines += assumptions(prepared, lang)
    if prepared.mixed_currencies:
        lines.append(t("currency.mixed", lang, currencies=", ".join(prepared.mixed_currencies)))
    for row in problem_summary(prepared.problems).to_dict("records"):
        lines.append("  " + t("validation.problem", lang, column=row["column"], check=t(row["check"], lang),
                              count=row["count"], rows=", ".join(map(str, row["rows"])),
                              values=", ".join(repr(v) for v in row["values"])))
    lines.append(t("validation.usable" if prepared.usable else "validation.unusable", lang))
    return "\n".join(lines)


def validate(args) -> int:
    mapping = _mapping(args.mapping)
    prepared = load_file(args.file, args.dataset, mapping, args.lang, lookups=read_lookups(args.lookup))
    print(validation_report(prepared, args.lang))
    _save(mapping, [prepared], args)
    return 0 if prepared.usable else 1


def _save(mapping: Mapping, prepared: list[Prepared], args) -> None:
    """`--save-mapping`: what this run used, so the next one is explicit."""
    if not args.save_mapping:
        return
    for part in prepared:
        if part.mapping is not None:
            mapping.remember(part.mapping)
    Path(args.save_mapping).write_text(mapping.to_json(), encoding="utf-8")


def run_report(args) -> int:
    mapping = _mapping(args.mapping)
    mapping.fiscal_year_start = args.fiscal_year_start or mapping.fiscal_year_start  # saved with --save-mapping
    paths = [Path(path) for path in (getattr(args, dataset) for dataset in DATASETS) if path]
    large = sum(path.stat().st_size for path in paths if path.is_file()) > stream.STREAM_BYTES
    session = Session(memory_limit=REPORT_MEMORY, compress=large)
    lookups, loaded = read_lookups(args.lookup), []
    for dataset in DATASETS:
        path = getattr(args, dataset)
        if not path:
            continue
        prepared = load_file(path, dataset, mapping, args.lang, session, lookups)
        if prepared.rejected.shape[0] or not prepared.usable:
            print(validation_report(prepared, args.lang), file=sys.stderr)
        if not prepared.usable:
            return 1
        session.load(dataset, stages=mapping.stages)
        loaded.append(prepared)
    _save(mapping, loaded, args)
    try:
        session.currency = args.currency or currency.common([part.currency for part in loaded])
    except ValueError as mix:
        raise ValueError(t("currency.mix_files", args.lang, currencies=str(mix))) from None
    currency.use(session.currency)
    granularity = Granularity(args.granularity)
    fiscal_start = mapping.fiscal_year_start
    period = parse_period(args.period, granularity, fiscal_start) if args.period else None
    filters = parse_filters(args.filter or [], session, args.lang)
    own = custom.compile_all(mapping.custom_kpis)
    analysis = Analysis(session, Selection(granularity, period, filters, retention_periods=args.retention_window,
                                           fiscal_start=fiscal_start), custom=own.kpis)
    for unusable in own.unusable:
        print(t("custom.unusable", args.lang, name=unusable.name), file=sys.stderr)
    if args.format in ("html", "pdf"):
        from kpi_core import review, review_html, review_pdf  # matplotlib and fpdf2 load only for the report

        document = review.build(analysis, ", ".join(path.name for path in paths), args.lang)
        _write(review_html.render(document).encode("utf-8") if args.format == "html" else review_pdf.render(document),
               args.output)
        return 0
    from kpi_core import report  # its statistics load scipy.stats (1-3 s): `validate` does without them

    result = report.build(analysis, by=args.by, custom_kpis=[c.to_dict() for c in own.usable])
    if args.format == "json":
        text = json.dumps(result | {"currency": currency.shown()}, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    elif args.format == "markdown":
        text = report.to_markdown(result, args.lang)
    else:
        text = report.to_csv(result)
    _write(text.encode("utf-8"), args.output)
    return 0


def _write(content: bytes, output: str | None) -> None:
    """To the `--output` file, else to standard output."""
    if output:
        Path(output).write_bytes(content)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()


def parse_filters(texts: list[str], session: Session, lang: str) -> dict[str, tuple[str, ...]]:
    """`region=Paris,Lyon` (repeatable) → the sidebar's filters; a value of a dimension found in no loaded file,
    or a dimension no loaded file has, is refused with one sentence (ValueError)."""
    filters: dict[str, tuple[str, ...]] = {}
    for text in texts:
        dimension, equals, listed = text.partition("=")
        dimension = dimension.strip()
        values = tuple(value.strip() for value in listed.split(",") if value.strip())
        if not equals or not values:
            raise ValueError(t("cli.filter.syntax", lang, text=text))
        known = session.values_across(DATASETS, dimension) if dimension in DIMENSIONS else []
        if not known:
            raise ValueError(t("cli.filter.dimension", lang, dimension=dimension,
                               dimensions=", ".join(d for d in DIMENSIONS if session.values_across(DATASETS, d))))
        unknown = [value for value in values if value not in known]
        if unknown:
            raise ValueError(t("cli.filter.value", lang, dimension=dimension, values=", ".join(unknown),
                               known=", ".join(known[:12]) + (" …" if len(known) > 12 else "")))
        filters[dimension] = tuple(dict.fromkeys(filters.get(dimension, ()) + values))
    return filters


def _common(command: argparse.ArgumentParser) -> None:
    # Also after the command (`report … --lang en`), as the report's other options are.
    command.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help="language (default: fr)")
    command.add_argument("--lookup", action="append", metavar="FILE",
                         help="a file describing entities (teams, accounts, products) joined to the data files on "
                              "the column holding its keys, for its dimensions (repeatable)")
    command.add_argument("--save-mapping", metavar="FILE", help="write the mapping this run used (JSON)")


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m kpi_core", description="Boussole sales KPIs, without the UI.")
    main.add_argument("--lang", choices=LANGUAGES, default="fr", help="language of messages (default: fr)")
    commands = main.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="check one file; exit 0 if usable, 1 if not")
    check.add_argument("file")
    check.add_argument("--dataset", choices=DATASETS, help="what the file holds (guessed from its header if omitted)")
    check.add_argument("--mapping", help="a mapping JSON saved from the app")
    _common(check)
    check.set_defaults(run=validate)
    kpis = commands.add_parser("report", help="the KPIs of a period")
    for dataset in DATASETS:
        kpis.add_argument(f"--{dataset}", metavar="FILE", help=f"the {dataset} file")
    kpis.add_argument("--mapping", help="a mapping JSON saved from the app")
    _common(kpis)
    kpis.add_argument("--period", help="2025-06, 2025-Q2 or 2025-W26 (default: the latest in the data)")
    kpis.add_argument("--granularity", choices=[g.value for g in Granularity], default="month")
    kpis.add_argument("--by", choices=DIMENSIONS, help="break every KPI down by this dimension")
    kpis.add_argument("--filter", action="append", metavar="DIMENSION=V1,V2",
                      help="keep only these values of a dimension, as the app's sidebar does (repeatable)")
    kpis.add_argument("--format", choices=("json", "markdown", "csv", "html", "pdf"), default="json",
                      help="html and pdf: the monthly report (cover, key indicators, trends, funnel, regions, the "
                           "other families loaded, customers to call, methods)")
    kpis.add_argument("--output", metavar="FILE", help="write the report to FILE (default: standard output)")
    kpis.add_argument("--currency", choices=currency.CURRENCIES,
                      help="the amounts' currency (default: as the files' symbols say, else EUR)")
    kpis.add_argument("--retention-window", type=int, default=1, metavar="N",
                      help="periods per retention window (default: 1)")
    kpis.add_argument("--fiscal-year-start", type=int, choices=range(1, 13), metavar="MONTH",
                      help="the month (1-12) the fiscal year starts in: quarters are counted from it (default: the "
                           "mapping's, else 1); a quarter is then written 2026-27-Q1")
    kpis.set_defaults(run=run_report)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except UnreadableFile as error:  # a data file or a mapping file: one sentence
        print(t(error.reason, args.lang, **error.details), file=sys.stderr)
        return 1
    except ValueError as error:  # a bad period or mapping file: one sentence, no traceback
        print(str(error), file=sys.stderr)
        return 1
