"""Comparisons that correct for mix: direct standardisation and Mantel-Haenszel by hand, a generated Simpson case
detected and said, the basket gap's BCa interval and medians, on the page and in the CLI JSON."""

from __future__ import annotations

import html
import json
import re

import numpy as np
import pandas as pd
import pytest
from scipy import stats as scipy_stats

from kpi_core import mix
from kpi_core.analysis import Analysis, Selection
from kpi_core.cli import main
from kpi_core.comparison import compare
from kpi_core.engine import Grouping
from kpi_core.formatting import format_p
from kpi_core.periods import Granularity, parse_period
from tests.conftest import SAMPLE, app_on, session_of

MONTH = Selection(Granularity.MONTH, parse_period("2026-03"))
PARIS = Grouping("region", ("Paris",), None)


def _sales(region: str, segment: str, count: int, centre: float) -> list[dict]:
    """`count` one-line sales around `centre` (± 5 %, alternating: their mean is `centre`)."""
    return [{"order_id": f"{region}-{segment}-{k}", "customer_id": f"{region}-{segment}-{k}",
             "order_date": pd.Timestamp("2026-03-10"), "amount": centre * (1.05 if k % 2 else 0.95),
             "region": region, "segment": segment} for k in range(count)]


def _closed(region: str, segment: str, won: int, closed: int) -> list[dict]:
    return [{"deal_id": f"{region}-{segment}-{k}", "created_date": pd.Timestamp("2026-02-01"), "stage": "Proposition",
             "status": "won" if k < won else "lost", "amount": 1000.0, "closed_date": pd.Timestamp("2026-03-10"),
             "region": region, "segment": segment} for k in range(closed)]


def simpson_frames() -> dict[str, pd.DataFrame]:
    """Paris sells mostly to large accounts (80 sales around 900 €, 20 SMB sales around 90 €); the others mostly to
    SMBs (20 at 1 000 €, 80 at 100 €). Paris's basket is higher overall (738 € against 280 €) and lower in each
    segment. Its deals are mostly large accounts too, where fewer are won: it wins more in each segment
    (25 % vs 20 %, 60 % vs 55 %) and less overall (30.8 % vs 49.2 %)."""
    orders = (_sales("Paris", "Grand compte", 80, 900) + _sales("Paris", "PME", 20, 90)
              + _sales("Lyon", "Grand compte", 20, 1000) + _sales("Lyon", "PME", 80, 100))
    deals = (_closed("Paris", "Grand compte", 25, 100) + _closed("Paris", "PME", 12, 20)
             + _closed("Lyon", "Grand compte", 4, 20) + _closed("Lyon", "PME", 55, 100))
    return {"orders": pd.DataFrame(orders), "deals": pd.DataFrame(deals)}


@pytest.fixture
def simpson(make_session):
    return Analysis(make_session(**simpson_frames()), MONTH)


def _adjusted(analysis: Analysis, stratum: str = "segment") -> dict[str, mix.Adjusted]:
    return {a.kpi.id: a for a in mix.adjust(analysis, PARIS, stratum, compare(analysis, PARIS))}


def test_a_generated_simpson_case_is_detected_for_the_basket_and_the_win_rate(simpson):
    """Basket at equal mix: each segment weighs (80 + 20) / 200 = 0.5: 0.5 (900 − 1 000) + 0.5 (90 − 100) = −55 €,
    against +458 € raw. Win rate, Mantel-Haenszel: large accounts (25·20 − 4·100) / 120 = 0.833, weight
    100·20 / 120 = 16.67; SMBs (12·100 − 55·20) / 120 = 0.833, weight 16.67: +5 points, against −18.3 raw."""
    found = _adjusted(simpson)
    basket, win = found["avg_basket"], found["win_rate"]
    assert basket.raw == pytest.approx(738 - 280) and basket.adjusted == pytest.approx(-55)
    assert win.raw == pytest.approx(37 / 120 - 59 / 120) and win.adjusted == pytest.approx(0.05)
    assert basket.flipped and win.flipped and basket.simpson and win.simpson
    assert (basket.driver, basket.share_a, basket.share_b) == ("Grand compte", 0.8, 0.2)
    sentence = re.sub(r"[\u00a0\u202f]", " ", mix.warning(basket, "fr", "Paris", "les autres"))
    assert sentence == ("Panier moyen : écart brut Paris − les autres de +458 €, mais de -55 € à segment égal — le "
                        "sens s'inverse : l'écart vient de la composition (« Grand compte » pèse 80 % pour Paris, "
                        "20 % pour les autres).")
    assert "the gap comes from the composition" in mix.warning(win, "en", "Paris", "the others")
    shown = mix.table([basket, win], "fr").set_index("Indicateur")
    assert shown.loc["Panier moyen", "Écart à mix égal"] == "-55\u00a0€"
    assert shown.loc["Taux de signature", "Écart à mix égal"] == "+5,0 pts"
    assert shown.loc["Taux de signature", "p à mix égal"] == format_p(win.p_adjusted, "fr")


def test_the_cmh_p_value_by_hand(simpson):
    """Σ (x_A − E) = (25 − 100·29/120) + (12 − 20·67/120) = 0.8333 + 0.8333; Var = Σ n_A n_B m1 m0 / (N² (N − 1))."""
    win = _adjusted(simpson)["win_rate"]
    observed = (25 - 100 * 29 / 120) + (12 - 20 * 67 / 120)
    variance = 100 * 20 * 29 * 91 / (120 ** 2 * 119) + 20 * 100 * 67 * 53 / (120 ** 2 * 119)
    assert win.p_adjusted == pytest.approx(scipy_stats.chi2.sf(observed ** 2 / variance, 1))


def test_without_a_mix_difference_nothing_is_said(make_session):
    orders = _sales("Paris", "PME", 50, 120) + _sales("Lyon", "PME", 50, 100)
    analysis = Analysis(make_session(orders=pd.DataFrame(orders)), MONTH)
    basket = _adjusted(analysis)["avg_basket"]
    assert basket.adjusted == pytest.approx(basket.raw) and not basket.simpson
    assert mix.warning(basket, "fr", "Paris", "les autres") is None


def test_the_basket_gap_has_a_bca_interval_and_medians(make_session):
    rng = np.random.default_rng(3)
    a, b = rng.lognormal(6, 1, 120), rng.lognormal(5.8, 1, 150)
    orders = [{"order_id": f"{region}{k}", "customer_id": f"{region}{k}", "order_date": pd.Timestamp("2026-03-05"),
               "amount": float(amount), "region": region}
              for region, values in (("Paris", a), ("Lyon", b)) for k, amount in enumerate(values)]
    gap = mix.basket_gap(Analysis(make_session(orders=pd.DataFrame(orders)), MONTH), PARIS)
    assert gap.difference == pytest.approx(a.mean() - b.mean())
    assert (gap.median_a, gap.median_b) == pytest.approx((np.median(a), np.median(b)))
    # scipy's BCa on many more resamples (the app's are drawn in its own order of the sales): the same interval to
    # within a tenth of its width, and skewed like the baskets (a longer upper side).
    expected = scipy_stats.bootstrap((a, b), lambda x, y, axis=-1: x.mean(axis=axis) - y.mean(axis=axis),
                                     method="BCa", n_resamples=20000, random_state=1).confidence_interval
    width = expected.high - expected.low
    assert gap.low == pytest.approx(expected.low, abs=width / 10) and gap.high == pytest.approx(expected.high,
                                                                                                abs=width / 10)
    assert gap.high - gap.difference > gap.difference - gap.low


def test_the_page_warns_of_the_simpson_case():
    session = session_of(simpson_frames())
    at = app_on(session, period="2026-03")
    at.switch_page("views/compare.py").run()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any(w.startswith("Panier moyen : écart brut Paris − les autres de +458") for w in warnings)
    assert any(w.startswith("Taux de signature : écart brut Paris − les autres de -18,3 pts") for w in warnings)
    assert any("Panier par vente : Paris − les autres" in c.value for c in at.caption)
    keys = [button.proto.id.rsplit("-", 1)[-1] for button in at.get("download_button")]
    assert {"compare_mix_download_csv", "compare_mix_download_xlsx"} <= set(keys)
    session.close()


def test_the_cli_json_has_the_comparison_at_equal_mix_and_the_rankings(tmp_path, capsys):
    assert main(["report", "--orders", str(SAMPLE / "orders.csv"), "--deals", str(SAMPLE / "deals.csv"),
                 "--granularity", "quarter", "--period", "2026-Q3", "--by", "region", "--format", "json"]) == 0
    block = json.loads(capsys.readouterr().out)["comparison"]
    assert block["a"] == ["Paris"] and block["b"] == "rest"
    assert block["basket_gap"]["bca_low"] < block["basket_gap"]["difference"] < block["basket_gap"]["bca_high"]
    segment = {row["kpi"]: row for row in block["mix_adjusted"]["segment"]}
    assert segment["avg_basket"]["adjusted"] == pytest.approx(174.19, abs=0.01) and not segment["avg_basket"]["simpson"]
    assert {"avg_basket", "win_rate"} <= set(block["rankings"])
    assert all({"shrunk", "q_value", "differs"} <= set(row) for row in block["rankings"]["win_rate"])


def test_the_report_says_the_simpson_warning(simpson, tmp_path):
    from kpi_core import review, review_html, review_pdf
    from tests.test_review import _plain, pdf_text

    document = review.build(simpson, "generated", "fr")
    expected = _plain(mix.warning(_adjusted(simpson)["avg_basket"], "fr", "Paris", "les autres"))
    for text in (pdf_text(review_pdf.render(document), tmp_path), html.unescape(_plain(review_html.render(document)))):
        assert " ".join(expected.split()) in " ".join(text.split())
