"""French regions and departments from names, codes and postcodes."""

from collections import Counter

import pandas as pd
import pytest

from kpi_core import catalog, charts
from kpi_core.france_map import outlines
from kpi_core.geography import DEPARTMENTS, REGIONS, Place, areas, locate, place_groups


@pytest.mark.parametrize("value, expected", [
    ("75011", Place("11", "75")),
    ("75011 Paris", Place("11", "75")),
    ("Paris", Place("11", "75")),
    ("Paris 11e", Place("11", "75")),
    ("PARIS", Place("11", "75")),
    ("Île-de-France", Place("11")),
    ("ile de france", Place("11")),
    ("IDF", Place("11")),
    ("1000", Place("84", "01")),           # Excel dropped the leading zero of 01000 (Bourg-en-Bresse)
    ("01000", Place("84", "01")),
    ("20000", Place("94", "2A")),          # Ajaccio
    ("20200", Place("94", "2B")),          # Bastia
    ("2A", Place("94", "2A")),
    ("97400", Place("04", "974")),
    ("974", Place("04", "974")),
    ("13", Place("93", "13")),
    ("Rhône (69)", Place("84", "69")),
    ("69 - Rhône", Place("84", "69")),
    ("Rhône", Place("84", "69")),
    ("Lyon 3ème", Place("84", "69")),
    ("Saint-Étienne", Place("84", "42")),
    ("St Etienne", Place("84", "42")),
    ("Côte-d'Or", Place("27", "21")),
    ("cote d or", Place("27", "21")),
    ("Auvergne-Rhône-Alpes", Place("84")),
    ("Provence-Alpes-Côte d'Azur", Place("93")),
    ("PACA", Place("93")),
    ("Rhône-Alpes", Place("84")),          # pre-2016 region
    ("Nord-Pas-de-Calais", Place("32")),
    ("Hauts-de-France", Place("32")),
    ("Nord", Place("32", "59")),
    ("Loire", Place("84", "42")),
    ("Pays de la Loire", Place("52")),
    ("Guadeloupe", Place("01")),
    ("Corse", Place("94")),
    ("Brittany", Place("53")),
    ("Région Bretagne", Place("53")),
    ("Marseille", Place("93", "13")),
])
def test_locate(value, expected):
    assert locate(value) == expected


@pytest.mark.parametrize("value", ["", "  ", "France", "Export", "Belgique", "PME", "Saint-Denis", "100", "99999",
                                   "Grand compte", None,
                                   # Dates are not postcodes or department codes followed by a name.
                                   "2026-03-16 12:46:00", "2026-05-25", "12/03/2026", "75 2026"])
def test_not_a_french_place(value):
    assert locate(value if value is not None else "") is None


def test_every_department_and_region_is_there():
    assert len(DEPARTMENTS) == 101 and len(REGIONS) == 18
    per_region = Counter(region for _, region in DEPARTMENTS.values())
    assert per_region == {"11": 8, "24": 6, "27": 8, "28": 5, "32": 5, "44": 10, "52": 5, "53": 4, "75": 12,
                          "76": 13, "84": 12, "93": 6, "94": 2, "01": 1, "02": 1, "03": 1, "04": 1, "06": 1}


def test_each_department_and_region_is_found_by_its_own_name():
    for code, (name, region) in DEPARTMENTS.items():
        assert code in locate(name).departments and locate(name).region == region
    for code, name in REGIONS.items():
        assert locate(name).region == code


def test_a_region_covers_its_departments():
    assert set(Place("11").departments) == {"75", "77", "78", "91", "92", "93", "94", "95"}
    assert Place("11", "75").departments == ("75",) and Place("11", "75").name == "Paris"
    assert Place("93").name == "Provence-Alpes-Côte d'Azur"


def test_a_department_value_wins_over_its_region_and_foreign_values_are_set_apart():
    painted, unplaced = areas(["Île-de-France", "Paris", "Occitanie", "Export", "75011"])
    assert painted["75"] == "75011"  # the last department-level value naming 75
    assert painted["77"] == "Île-de-France" and painted["31"] == "Occitanie"
    assert "69" not in painted and unplaced == ["Export"]


def test_the_map_paints_each_value_and_puts_a_clickable_point_on_it():
    table = pd.DataFrame({"value": ["Paris", "Occitanie"], "avg_basket": [1500.0, 900.0]})
    painted, _ = areas(table["value"])
    figure = charts.france_map(table, painted, catalog.get("avg_basket"), "fr")
    fills = {trace.name: trace for trace in figure.data if trace.fill == "toself"}
    assert set(fills) == {"Paris : 1\u202f500\xa0€", "Occitanie : 900\xa0€", "Pas de données"}
    # Paris is drawn twice (in place and enlarged), Occitanie's 13 departments once each.
    assert fills["Paris : 1\u202f500\xa0€"].x.count(None) >= 2
    assert fills["Occitanie : 900\xa0€"].x.count(None) >= 13
    assert fills["Paris : 1\u202f500\xa0€"].fillcolor != fills["Occitanie : 900\xa0€"].fillcolor
    points = figure.data[-1]
    assert dict(zip((value for (value,) in points.customdata), points.marker.color)) == {
        "Paris": 1500.0, "Occitanie": 900.0}


def test_every_department_has_an_outline():
    drawn = {outline.department for outline in outlines() if outline.rings}
    assert set(DEPARTMENTS) <= drawn
    assert {outline.department for outline in outlines() if outline.inset} == {"75", "92", "93", "94"}


def test_postcodes_add_up_by_department_for_the_ranking_and_the_map(make_session):
    from kpi_core.analysis import Analysis, Selection
    from kpi_core.engine import Relabel
    from kpi_core.periods import Granularity, parse_period
    from kpi_core.ranking import ranking
    from tests.conftest import orders_frame

    session = make_session(orders=orders_frame([
        ("F1", "C1", "2025-06-02", 100.0, "75011"), ("F2", "C2", "2025-06-03", 300.0, "75015"),
        ("F3", "C3", "2025-06-04", 50.0, "69003"), ("F4", "C4", "2025-06-05", 1000.0, "Export"),
        ("F5", "C1", "2025-06-06", 200.0, "75011"),
    ]))
    groups = place_groups(["75011", "75015", "69003", "Export"])
    assert groups == {"75011": "Paris", "75015": "Paris", "69003": "Rhône"}
    by = Relabel("region", tuple(groups), tuple(groups.values()))
    analysis = Analysis(session, Selection(Granularity.MONTH, parse_period("2025-06")))
    revenue = ranking(analysis, by, "revenue")
    assert revenue[["value", "revenue"]].to_dict("records") == [{"value": "Paris", "revenue": 600.0},
                                                                {"value": "Rhône", "revenue": 50.0}]
    basket = ranking(analysis, by, "avg_basket").set_index("value")
    assert basket.loc["Paris", "avg_basket"] == 200.0 and basket.loc["Paris", "observations"] == 3
    painted, _ = areas(revenue["value"])
    assert painted == {"75": "Paris", "69": "Rhône"}


def test_values_with_their_own_area_are_drawn_as_they_are():
    assert place_groups(["Paris", "Auvergne-Rhône-Alpes", "Occitanie", "Export"]) is None


def test_mixed_levels_add_up_by_region():
    groups = place_groups(["Lyon", "Villeurbanne", "Bretagne"])
    assert groups == {"Lyon": "Auvergne-Rhône-Alpes", "Villeurbanne": "Auvergne-Rhône-Alpes", "Bretagne": "Bretagne"}
