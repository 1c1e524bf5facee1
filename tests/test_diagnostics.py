"""The plain-language readings: which ones appear, and what they say."""

import pytest

from kpi_core.analysis import KpiResult
from kpi_core.catalog import get
from kpi_core.diagnostics import basket_decline, consecutive_declines, diagnose, reason_text, retention, weakest_stage
from kpi_core.periods import parse_period
from kpi_core.stages import StageStep, WeakestStage


@pytest.mark.parametrize("series, declines", [
    ([], 0), ([100], 0), ([100, 90], 1), ([100, 90, 80, 70], 3), ([70, 80, 90, 80], 1),
    ([100, 90, 90, 80], 1),  # a flat period breaks the run
    ([100, None, 80, 70], 1),  # so does a period without sales
])
def test_consecutive_declines(series, declines):
    assert consecutive_declines(series) == declines


@pytest.mark.parametrize("series, alert", [([1200, 1100, 1000, 900], True), ([1200, 1100, 1000], False),
                                            ([900, 1000, 1100, 1200], False)])
def test_basket_alert_after_three_consecutive_falls(series, alert):
    found = basket_decline(series)
    assert bool(found) == alert
    if alert:
        assert found[0].severity == "problem"
        assert "3 consecutive periods" in found[0].render("en")
        assert "3 périodes consécutives" in found[0].render("fr")


@pytest.mark.parametrize("position, key, words", [
    (1, "diag.weakest.approach", "qualification or approach"),
    (2, "diag.weakest.middle", "stall mid-cycle"),
    (4, "diag.weakest.closing", "ill-fitted pricing"),
])
def test_weakest_stage_interpretation(position, key, words):
    step = StageStep("A", "B", position, 100, 25, 0.25, decided=80)
    [diagnostic] = weakest_stage(WeakestStage(step, parse_period("2025-06"), selected=True), stage_count=5)
    assert diagnostic.key == key
    assert words in diagnostic.render("en") and "25.0%" in diagnostic.render("en")
    assert diagnostic.render("en").startswith("On the deals created in June 2025 (80 decided at this step), ")


def test_a_weakest_stage_from_an_earlier_period_says_so():
    step = StageStep("A", "B", 1, 100, 25, 0.25, decided=80)
    [diagnostic] = weakest_stage(WeakestStage(step, parse_period("2025-04"), selected=False), stage_count=5)
    assert "créées en avril 2025, dernière période aux taux établis" in diagnostic.render("fr")


@pytest.mark.parametrize("rate, severity, text", [(0.9, "good", "Healthy"), (0.75, "warning", "to watch"),
                                                  (0.6, "problem", "structural problem")])
def test_retention_reading(rate, severity, text):
    [diagnostic] = retention(KpiResult(get("retention_rate"), rate))
    assert diagnostic.severity == severity and text in diagnostic.render("en")


def test_diagnose_orders_by_seriousness():
    results = {"revenue": KpiResult(get("revenue"), 900, previous=1000),
               "retention_rate": KpiResult(get("retention_rate"), 0.6)}
    found = diagnose(results, basket_trend=[4, 3, 2, 1])
    assert [d.severity for d in found] == ["problem", "problem", "warning"]
    assert "down 10.0%" in found[-1].render("en")


def test_reason_names_the_denominator_in_the_reader_language():
    result = KpiResult(get("avg_basket"), None, reason="reason.zero_denominator",
                       reason_params={"kpi": get("sales_count")})
    assert reason_text(result, "fr") == "Nombre de ventes = 0 sur la période"
    assert reason_text(result, "en") == "Number of sales = 0 in the period"
