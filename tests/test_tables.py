"""Table columns sized for their longest text and figures aligned right."""

import pandas as pd
import pytest

from ui.tables import CHARACTER_PX, PADDING_PX, WIDEST_PX, _figures, width


@pytest.mark.parametrize(("header", "values", "expected"), [
    ("Conversion", ["25,0 %", "3,1 %"], CHARACTER_PX * 10 + PADDING_PX),          # the header is the longer
    ("Taux", ["25,0 % (58 / 232)"], CHARACTER_PX * 17 + PADDING_PX),               # a value is the longer
    ("Client", ["x" * 400], WIDEST_PX),                                             # a long value is capped
    ("Lecture brute (atteint ÷ atteint avant)", ["1"], CHARACTER_PX * 39 + PADDING_PX),  # a header never is
    ("Dernière commande", [], CHARACTER_PX * 17 + PADDING_PX),                      # no rows
])
def test_width_fits_the_header_and_the_longest_value(header, values, expected):
    assert width(pd.DataFrame({header: pd.Series(values, dtype=object)}), header) == expected


@pytest.mark.parametrize(("values", "figures"), [
    (["639 276 €", "1\u202f062 €", "—"], True),
    (["+2,2\u202f%", "-1,1 pts", "25,0 % (58 / 232)"], True),
    (["€639,276", "-$1,062.50", "CHF 12", "12 j"], True),
    (["Paris", "12"], False),
    ([], False),
])
def test_figures_are_recognised_from_their_text(values, figures):
    assert _figures(pd.Series(values, dtype=object)) is figures
