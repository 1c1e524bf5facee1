"""`python -m kpi_core`: the French file a manager exports, and the sample acceptance command."""

import json
import subprocess
import sys

import pytest

from kpi_core.cli import main
from tests.conftest import ROOT, SAMPLE

INVOICES = (
    "N° facture;Code client;Date facture;Montant HT (€);Ville\r\n"
    "F-001;C01;02/06/2025;1\u00a0000,00 €;Paris\r\n"
    "F-001;C01;02/06/2025;500,00 €;Paris\r\n"  # second line of the same invoice
    "F-002;C02;15/06/2025;2 500,00 €;Lyon\r\n"
    "F-003;C03;20/06/2025;1 000,00 €;Lyon\r\n"
    "AV-001;C02;25/06/2025;-500,00 €;Lyon\r\n"  # credit note
    "F-004;C01;12/05/2025;800,00 €;Paris\r\n"
    "F-005;C02;20/05/2025;1 200,00 €;Lyon\r\n"
)
DEALS = (
    "Affaire;Étape;Statut;Date de création;Date de clôture;Montant\r\n"
    + "".join(f"A{n};Prospect contacté;Perdu;03/06/2025;20/06/2025;1 000\r\n" for n in range(6))
    + "B1;Rendez-vous;Perdu;03/06/2025;21/06/2025;1 000\r\nB2;Proposition;En cours;04/06/2025;;2 000\r\n"
    + "B3;Signé;Gagné;05/06/2025;25/06/2025;3 000\r\nB4;Négociation;Perdu;05/06/2025;26/06/2025;3 000\r\n"
)


@pytest.fixture
def french_files(tmp_path):
    invoices, deals = tmp_path / "factures.csv", tmp_path / "opportunites.csv"
    invoices.write_bytes(INVOICES.encode("cp1252"))
    deals.write_bytes(DEALS.encode("cp1252"))
    return invoices, deals


def _report(capsys, *args) -> dict:
    assert main(["report", *args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_report_on_french_semicolon_cp1252_files(capsys, french_files):
    invoices, deals = french_files
    report = _report(capsys, "--orders", str(invoices), "--deals", str(deals), "--period", "2025-06")
    assert report["period"]["key"] == "2025-06" and report["period"]["previous"] == "2025-05"
    kpis = report["kpis"]
    # June: 1 500 + 2 500 + 1 000 − 500 = 4 500 € over 3 sales; May: 2 000 € over 2 sales.
    assert (kpis["revenue"], kpis["sales_count"], kpis["avg_basket"]) == (4500, 3, 1500)
    assert report["comparisons"]["revenue"]["previous"] == 2000
    assert kpis["retention_rate"] == 1.0  # C01 and C02 ordered in May and again in June
    # 10 deals: 4 reached a meeting (40 %), 3 a proposal (75 %), 2 negotiation, 1 signed. Only the first step
    # rests on 10 decided deals (provisional); the others on fewer: withheld, their raw reading kept.
    assert [row["reached"] for row in report["funnel"]] == [10, 4, 3, 2, 1]
    assert [row["conversion_from_previous"] for row in report["funnel"]] == [None, 0.4, None, None, None]
    assert [row["maturity"] for row in report["funnel"]] == [None, "provisional", "withheld", "withheld", "withheld"]
    assert [row["raw_conversion_from_previous"] for row in report["funnel"]] == [
        None, 0.4, 0.75, pytest.approx(2 / 3), 0.5]
    assert kpis["overall_conversion"] is None
    assert any(w["kpi"] == "overall_conversion" and w["reason"] == "reason.few_decided" for w in report["warnings"])
    assert kpis["win_rate"] == pytest.approx(1 / 9)
    assert kpis["weakest_stage"] is None  # never named on rates this thin
    assert set(report) == {"period", "kpis", "comparisons", "funnel", "drivers", "breakdowns", "diagnostics",
                           "warnings", "currency"}
    assert any(w["kpi"] == "win_rate" and w["reason"] == "small_sample" for w in report["warnings"])


def test_report_breakdown_sums_to_total(capsys, french_files):
    invoices, _ = french_files
    report = _report(capsys, "--orders", str(invoices), "--period", "2025-06", "--by", "region")
    rows = {row["value"]: row for row in report["breakdowns"]["region"]}
    assert (rows["Paris"]["revenue"], rows["Lyon"]["revenue"]) == (1500, 3000)
    assert sum(row["revenue"] for row in rows.values()) == report["kpis"]["revenue"]


@pytest.mark.parametrize("fmt, expected", [("markdown", "| Chiffre d'affaires | 4\u202f500\u00a0€ |"),
                                           ("csv", "2025-06,revenue,4500,2000,")])
def test_other_formats(capsys, french_files, fmt, expected):
    invoices, _ = french_files
    assert main(["report", "--orders", str(invoices), "--period", "2025-06", "--format", fmt]) == 0
    assert expected in capsys.readouterr().out


def test_validate_usable_file(capsys, french_files):
    invoices, _ = french_files
    assert main(["validate", str(invoices), "--dataset", "orders"]) == 0
    out = capsys.readouterr().out
    assert "7 lignes lues = 7 acceptées + 0 rejetées" in out and "Fichier utilisable." in out


def test_validate_reports_every_problem(capsys, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Facture;Client;Date;Montant\n;A;01/06/2025;10\nF2;B;31/02/2025;abc\n", encoding="utf-8")
    assert main(["--lang", "en", "validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "2 rows read = 0 accepted + 2 rejected" in out
    assert "order_id — required value missing: 1 row(s), e.g. rows 2" in out
    assert "amount — unreadable number: 1 row(s), e.g. rows 3, values 'abc'" in out
    assert "The file is not usable." in out


@pytest.mark.parametrize("args, message", [
    (["validate", "/nonexistent.csv"], "Fichier introuvable"),
    (["report", "--orders", "/nonexistent.csv"], "Fichier introuvable"),
])
def test_errors_are_one_sentence(capsys, args, message):
    assert main(args) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_bad_period_is_one_sentence(capsys, french_files):
    assert main(["report", "--orders", str(french_files[0]), "--period", "juin"]) == 1
    assert "not a valid period" in capsys.readouterr().err


def test_acceptance_command_on_sample_data():
    """The issue's acceptance command, run as a user would."""
    result = subprocess.run(
        [sys.executable, "-m", "kpi_core", "report", "--orders", str(SAMPLE / "orders.csv"),
         "--deals", str(SAMPLE / "deals.csv"), "--period", "2026-06", "--format", "json"],
        capture_output=True, text=True, cwd=ROOT, check=True, timeout=120,
    )
    report = json.loads(result.stdout)
    assert report["period"]["key"] == "2026-06"
    for kpi_id in ("revenue", "sales_count", "avg_basket", "active_customers", "retention_rate",
                   "overall_conversion", "win_rate"):
        assert isinstance(report["kpis"][kpi_id], (int, float)), kpi_id
    rates = [report["kpis"][k] for k in ("retention_rate", "overall_conversion", "win_rate")]
    assert all(0 <= rate <= 1 for rate in rates)
    assert len(report["funnel"]) == 5 and report["kpis"]["weakest_stage"]["conversion"] < 1


def test_the_mapping_saved_in_the_app_drives_the_command_line(capsys, tmp_path):
    """The app's JSON (a hand-mapped `Payeur` column, the user's own three-stage pipeline) works unchanged."""
    from kpi_core.mapping import DatasetMapping, Mapping

    invoices = tmp_path / "factures.csv"
    invoices.write_bytes((ROOT / "tests" / "data" / "upload" / "factures_octobre.csv").read_bytes())
    deals = tmp_path / "deals.csv"
    deals.write_text("Id;Créée le;Phase\nD1;01/10/2026;Découverte\nD2;02/10/2026;Offre\nD3;03/10/2026;Signature\n"
                     "D4;04/10/2026;Découverte\n", encoding="utf-8")
    orders_mapping = DatasetMapping("orders", {"order_id": "N° facture", "customer_id": "Payeur",
                                               "order_date": "Date facture", "amount": "Montant HT"},
                                    header=("N° facture", "Date facture", "Payeur", "Désignation", "Qté", "PU HT",
                                            "Montant HT", "Ville", "Commercial"))
    deals_mapping = DatasetMapping("deals", {"deal_id": "Id", "created_date": "Créée le", "stage": "Phase"},
                                   header=("Id", "Créée le", "Phase"))
    mapping = tmp_path / "boussole-mapping.json"
    mapping.write_text(Mapping([orders_mapping, deals_mapping], ("Découverte", "Offre", "Signature")).to_json())
    report = _report(capsys, "--orders", str(invoices), "--deals", str(deals), "--mapping", str(mapping),
                     "--period", "2026-10")
    assert report["kpis"]["revenue"] == pytest.approx(11345.40)
    assert [(step["stage"], step["reached"]) for step in report["funnel"]] == [
        ("Découverte", 4), ("Offre", 2), ("Signature", 1)]
    assert main(["validate", str(invoices), "--mapping", str(mapping)]) == 0
    assert "7 lignes lues = 6 acceptées + 1 rejetées" in capsys.readouterr().out


# The KPI ids of SPEC §4 (the contract of the JSON); `arr` is optional and needs a subscription column.
SPEC_KPI_IDS = {"arr", "time_in_stage",
    "stage_conversion", "overall_conversion", "weakest_stage", "revenue", "sales_count", "avg_basket",
    "active_customers", "retention_rate", "contacts_volume", "meeting_rate", "lead_response_time", "mql_count",
    "bdr_capacity", "ae_capacity", "win_rate", "cac", "ltv", "ltv_cac_ratio", "magic_number", "target_attainment",
    "remaining_to_target", "sales_cycle_days", "lost_reasons", "pipeline_coverage",
}


def test_every_catalog_kpi_is_in_the_json_and_computed_on_the_sample(capsys):
    from kpi_core.catalog import CATALOG

    datasets = [arg for dataset in ("orders", "deals", "activities", "leads", "spend", "targets")
                for arg in (f"--{dataset}", str(SAMPLE / f"{dataset}.csv"))]
    # The sample's last quarter is in progress (October done, 42 working days left): every figure has a value,
    # the run rate needed per working day left included.
    report = _report(capsys, *datasets, "--granularity", "quarter")
    assert report["period"]["key"] == "2026-Q4" and report["period"]["in_progress"]
    assert set(report["kpis"]) == {kpi.id for kpi in CATALOG} >= SPEC_KPI_IDS
    missing = [kpi_id for kpi_id, value in report["kpis"].items() if value is None]
    # Deals created since October have mostly not decided yet: their conversions are withheld, with the reason.
    assert missing == ["overall_conversion", "win_rate_contacted"], missing
    reasons = {w["kpi"]: w["reason"] for w in report["warnings"]}
    assert (reasons["overall_conversion"], reasons["win_rate_contacted"]) == ("reason.stage_open", "reason.cohort_open")
    settled = _report(capsys, *datasets, "--granularity", "quarter", "--period", "2026-Q2")["kpis"]
    assert 0 < settled["overall_conversion"] < 0.1 and 0 < settled["win_rate_contacted"] < 0.1
    assert 0 < report["kpis"]["remaining_to_target"] < report["kpis"]["target"]
    assert report["kpis"]["run_rate_needed"] == pytest.approx(report["kpis"]["remaining_to_target"] / 42)
    assert report["kpis"]["lost_reasons"][0]["deals"] >= report["kpis"]["lost_reasons"][-1]["deals"]


def _sample_args(*datasets: str) -> list[str]:
    return [arg for dataset in datasets for arg in (f"--{dataset}", str(SAMPLE / f"{dataset}.csv"))]


def test_filters_keep_the_values_given_like_the_sidebar(capsys):
    """`--filter region=Paris,Occitanie --filter segment=PME`: the figures of those rows only, and each value's
    row of a breakdown is the same KPI filtered on it."""
    args = [*_sample_args("orders", "deals"), "--period", "2026-06"]
    both = _report(capsys, *args, "--filter", "region=Paris,Occitanie", "--filter", "segment=PME")
    assert both["period"]["filters"] == {"region": ["Paris", "Occitanie"], "segment": ["PME"]}
    import pandas as pd

    lines = pd.read_csv(SAMPLE / "orders.csv", parse_dates=["order_date"])
    june = lines[(lines["order_date"].dt.strftime("%Y-%m") == "2026-06") & lines["region"].isin(["Paris", "Occitanie"])
                 & (lines["segment"] == "PME")]
    assert both["kpis"]["revenue"] == pytest.approx(round(june["amount"].sum(), 6))
    assert main(["report", *args, "--filter", "region=Paris,Occitanie", "--filter", "segment=PME",
                 "--format", "markdown"]) == 0
    assert "Filtres : Région = Paris, Occitanie · Segment = PME" in capsys.readouterr().out
    by_segment = _report(capsys, *args, "--filter", "region=Paris,Occitanie", "--by", "segment")
    pme = next(row for row in by_segment["breakdowns"]["segment"] if row["value"] == "PME")
    assert {k: pme[k] for k in both["kpis"] if k in pme} == {k: both["kpis"][k] for k in both["kpis"] if k in pme}


@pytest.mark.parametrize("value, message", [
    ("region=Atlantis", "Valeur inconnue pour region : Atlantis"),
    ("couleur=bleu", "Aucun fichier chargé n'a de dimension « couleur »"),
    ("region", "Filtre illisible « region »"),
    ("source=Salon", "Aucun fichier chargé n'a de dimension « source »"),  # deals have it, but are not loaded
])
def test_a_filter_that_cannot_apply_is_one_sentence_and_exit_1(capsys, value, message):
    assert main(["report", *_sample_args("orders"), "--filter", value]) == 1
    err = capsys.readouterr().err
    assert err.startswith(message) and "Traceback" not in err and err.count("\n") == 1


@pytest.fixture
def orders_with_blank_segments(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("order_id,customer_id,order_date,amount,segment\n"
                    "F1,C1,2025-06-02,100,PME\nF2,C2,2025-06-03,200,\nF3,C3,2025-06-04,400,ETI\n"
                    "F4,C4,2025-06-05,800,\n", encoding="utf-8")
    return path


def test_by_a_dimension_with_blanks_in_every_format(capsys, orders_with_blank_segments):
    args = ["--orders", str(orders_with_blank_segments), "--period", "2025-06", "--by", "segment"]
    report = _report(capsys, *args)
    rows = {row["value"]: row["revenue"] for row in report["breakdowns"]["segment"]}
    assert rows == {"ETI": 400, "PME": 100, None: 1000}  # the blank rows are a line of their own
    assert main(["--lang", "fr", "report", *args, "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    assert "## Par segment" in markdown and "| Indicateur | ETI | PME | (non renseigné) |" in markdown
    from kpi_core.formatting import format_value

    euros = [format_value(v, "currency", "fr", decimals=0) for v in (400, 100, 1000)]
    assert f"| Chiffre d'affaires | {' | '.join(euros)} |" in markdown
    assert main(["report", *args, "--format", "csv"]) == 0
    csv_text = capsys.readouterr().out
    assert "2025-06,revenue,400,,,segment,ETI" in csv_text and "2025-06,revenue,1000,,,segment," in csv_text
