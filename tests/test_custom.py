"""Custom KPIs ("chiffre magique"): validation against the schemas, SQL with bound values, hand-computed
results, the mapping JSON, the command line and the page."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from kpi_core import custom
from kpi_core.analysis import Analysis, Selection
from kpi_core.cli import main
from kpi_core.custom import Condition, CustomKpi
from kpi_core.formatting import format_value
from kpi_core.mapping import Mapping
from kpi_core.periods import Granularity, parse_period
from tests.conftest import SAMPLE, deals_frame
from tests.test_pages import app, metrics

BIG_WINS = CustomKpi("Gros contrats gagnés", "deals", "count",
                     conditions=(Condition("status", "in", ("won",)), Condition("amount", "at_least", (10000,))))
BIG_SHARE = CustomKpi("Part des gros contrats", "deals", "count", conditions=(Condition("amount", "at_least",
                                                                                       (10000,)),),
                      denominator="deals_created", unit="percent")


def _deals():
    frame = deals_frame([
        ("D1", "2025-06-02", "Signé", "won", "2025-06-20", "Paris"),
        ("D2", "2025-06-03", "Signé", "won", "2025-06-21", "Lyon"),
        ("D3", "2025-06-04", "Proposition", "lost", "2025-06-22", "Paris"),
        ("D4", "2025-06-05", "Signé", "won", "2025-06-23", "Paris"),
        ("D5", "2025-06-06", "Rendez-vous", "open", None, "Lyon"),
        ("D6", "2025-05-06", "Signé", "won", "2025-05-20", "Paris"),  # May: not in June
    ])
    frame["amount"] = [12000.0, 9000.0, 15000.0, 10000.0, 30000.0, 50000.0]
    return frame


def _june(session, *definitions):
    compiled = custom.compile_all([d.to_dict() for d in definitions])
    return Analysis(session, Selection(Granularity.MONTH, parse_period("2025-06")), custom=compiled.kpis)


def test_the_id_comes_from_the_name():
    assert BIG_WINS.id == "custom_gros_contrats_gagnes"
    assert CustomKpi("  CA > 10 k€ (Île-de-France) ", "orders", "count").id == "custom_ca_10_k_ile_de_france"


def test_values_are_bound_and_columns_quoted():
    (aggregate,) = BIG_WINS.compile()
    assert aggregate.expression == ('COUNT(*) FILTER (WHERE TRUE AND list_contains($custom_gros_contrats_gagnes_0, '
                                    'f."status") AND f."amount" >= $custom_gros_contrats_gagnes_1)')
    assert aggregate.params == (("custom_gros_contrats_gagnes_0", ("won",)), ("custom_gros_contrats_gagnes_1",
                                                                            10000.0))
    assert aggregate.source == "deals_created"
    numerator, ratio = BIG_SHARE.compile()
    assert (ratio.id, ratio.numerator, ratio.denominator, ratio.unit) == (
        "custom_part_des_gros_contrats", "custom_part_des_gros_contrats_numerator", "deals_created", "percent")


@pytest.mark.parametrize("definition, problem", [
    (CustomKpi("", "deals", "count"), "custom.error.name"),
    (CustomKpi("x", "invoices", "count"), "custom.error.dataset"),
    (CustomKpi("x", "deals", "median", "amount"), "custom.error.aggregation"),
    (CustomKpi("x", "deals", "sum", "stage"), "custom.error.field"),  # a sum needs a number
    (CustomKpi("x", "deals", "sum", 'amount") FROM deals; --'), "custom.error.field"),
    (CustomKpi("x", "deals", "count", conditions=(Condition("amount", "in", ("1",)),)), "custom.error.condition"),
    (CustomKpi("x", "deals", "count", conditions=(Condition("nope", "in", ("1",)),)), "custom.error.condition"),
    (CustomKpi("x", "deals", "count", conditions=(Condition("status", "like", ("w%",)),)), "custom.error.condition"),
    (CustomKpi("x", "deals", "count", conditions=(Condition("status", "in", ()),)), "custom.error.values"),
    (CustomKpi("x", "deals", "count", conditions=(Condition("amount", "at_most", ("beaucoup",)),)),
     "custom.error.number"),
    (CustomKpi("x", "deals", "count", denominator="lost_reasons"), "custom.error.denominator"),
    (CustomKpi("x", "deals", "count", denominator="no_such_kpi"), "custom.error.denominator"),
    (CustomKpi("x", "deals", "count", unit="furlongs"), "custom.error.unit"),
])
def test_unsound_definitions_are_refused(definition, problem):
    assert problem in [key for key, _ in definition.problems()]
    with pytest.raises(ValueError):
        definition.compile()
    assert custom.compile_all([definition.to_dict()]).unusable == (definition,)


@pytest.mark.parametrize("definition, expected", [
    (BIG_WINS, 2),  # D1 12 000 and D4 10 000 (D2 is too small, D3 lost, D6 in May)
    (BIG_SHARE, 4 / 5),  # D1, D3, D4, D5 out of the 5 deals created in June
    (CustomKpi("Montant moyen à Paris", "deals", "avg", "amount",
               conditions=(Condition("region", "in", ("Paris",)),), unit="currency"), (12000 + 15000 + 10000) / 3),
    (CustomKpi("Montant hors Paris", "deals", "sum", "amount",
               conditions=(Condition("region", "not_in", ("Paris",)),), unit="currency"), 39000),
    (CustomKpi("Étapes atteintes", "deals", "count_distinct", "stage"), 3),
    (CustomKpi("Petites affaires", "deals", "count", conditions=(Condition("amount", "at_most", (10000,)),)), 2),
    # A value written to break out of the SQL is only a value: nothing matches it.
    (CustomKpi("Injection", "deals", "count", conditions=(Condition("region", "in", ("Paris') OR TRUE --",)),)),
     0),
])
def test_custom_kpis_on_hand_computed_deals(make_session, definition, expected):
    analysis = _june(make_session(deals=_deals()), definition)
    assert analysis.custom_ids == [definition.id]
    assert analysis.scorecard([definition.id])[definition.id].value == pytest.approx(expected)


def test_an_empty_period_gives_a_reason_not_a_number(make_session):
    analysis = Analysis(make_session(deals=_deals()), Selection(Granularity.MONTH, parse_period("2025-08")),
                        custom=custom.compile_all([BIG_SHARE.to_dict()]).kpis)
    result = analysis.scorecard([BIG_SHARE.id])[BIG_SHARE.id]
    assert result.value is None and result.reason == "reason.zero_denominator"


def test_custom_kpis_break_down_and_trend_like_built_in_ones(make_session):
    analysis = _june(make_session(deals=_deals()), BIG_WINS)
    table = analysis.breakdown([BIG_WINS.id], "region")
    assert dict(zip(table["region"], table[BIG_WINS.id])) == {"Lyon": 0, "Paris": 2}
    trend = analysis.trend([BIG_WINS.id], count=2)
    assert trend[BIG_WINS.id].tolist() == [1, 2]  # May: D6 (50 000 €)


def test_two_definitions_with_one_name_keep_the_first():
    assert BIG_WINS.problems(taken={BIG_WINS.id}) == [("custom.error.taken", {})]
    twice = custom.compile_all([BIG_WINS.to_dict(), BIG_WINS.to_dict()])
    assert [kpi.id for kpi in twice.kpis] == [BIG_WINS.id] and len(twice.unusable) == 1


def test_definitions_travel_in_the_mapping_json():
    mapping = Mapping(custom_kpis=[BIG_SHARE.to_dict()])
    again = Mapping.from_json(mapping.to_json())
    assert [CustomKpi.from_dict(item) for item in again.custom_kpis] == [BIG_SHARE]


def test_the_command_line_reports_custom_kpis_from_the_mapping(tmp_path, capsys):
    mapping = tmp_path / "boussole-mapping.json"
    mapping.write_text(Mapping(custom_kpis=[BIG_WINS.to_dict(), CustomKpi("", "deals", "count").to_dict()]).to_json())
    args = ["report", "--deals", str(SAMPLE / "deals.csv"), "--mapping", str(mapping), "--period", "2026-09"]
    assert main([*args, "--format", "json"]) == 0
    out = capsys.readouterr()
    report = json.loads(out.out)
    deals = pd.read_csv(SAMPLE / "deals.csv", parse_dates=["created_date"])
    september = deals[deals["created_date"].dt.strftime("%Y-%m") == "2026-09"]
    assert report["kpis"][BIG_WINS.id] == ((september["status"] == "won") & (september["amount"] >= 10000)).sum()
    assert report["custom_kpis"] == [BIG_WINS.to_dict()]
    assert "ignoré" in out.err  # the nameless one is set aside, and said so
    assert main([*args, "--format", "markdown"]) == 0
    assert "| Gros contrats gagnés |" in capsys.readouterr().out


def test_custom_page_builds_a_kpi_without_code_and_shows_it_like_the_others():
    at = app()
    at.switch_page("views/custom.py").run()
    assert "Aucun indicateur sur mesure" in " ".join(box.value for box in at.info)
    at.text_input(key="custom_name").input("Affaires gagnées à Paris")
    at.selectbox(key="custom_dataset").set_value("deals").run()
    at.selectbox(key="custom_deals_f1").set_value("status").run()
    at.multiselect(key="custom_deals_f1_values").set_value(["won"]).run()
    at.selectbox(key="custom_deals_f2").set_value("region").run()
    at.multiselect(key="custom_deals_f2_values").set_value(["Paris"]).run()
    at.selectbox(key="custom_denominator").set_value("deals_won").run()
    assert at.selectbox(key="custom_unit_True_count").value == "percent"
    at.button(key="custom_create").click().run()
    assert not at.exception
    assert at.text_input(key="custom_name").value == ""  # ready for the next one
    deals = pd.read_csv(SAMPLE / "deals.csv", parse_dates=["created_date", "closed_date"])
    created = deals[deals["created_date"].dt.strftime("%Y-%m") == "2026-10"]
    closed = deals[deals["closed_date"].dt.strftime("%Y-%m") == "2026-10"]
    expected = ((created["status"] == "won") & (created["region"] == "Paris")).sum() / (closed["status"] == "won").sum()
    assert metrics(at)["Affaires gagnées à Paris"] == format_value(expected, "percent", "fr")
    assert any("list_contains($custom_affaires_gagnees_a_paris_0" in block.value for block in at.code)
    saved = json.loads(at.session_state["mapping"].to_json())["custom_kpis"]
    assert saved[0]["conditions"][1] == {"field": "region", "operator": "in", "values": ["Paris"]}

    at.button(key="delete_custom_affaires_gagnees_a_paris").click().run()
    assert "Affaires gagnées à Paris" not in metrics(at)
    assert at.session_state["mapping"].custom_kpis == []


def test_every_aggregation_and_operator_has_its_sql():
    from kpi_core import queries

    assert set(custom.AGGREGATIONS) == set(queries.CUSTOM_AGGREGATIONS)
    assert set(custom.OPERATORS) == set(queries.CUSTOM_CONDITIONS)
