"""French regions and departments recognised from what exports hold: names (with or without accents, old
region names, big cities), department codes and postcodes (`75011` → Paris, Île-de-France)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import NamedTuple

# INSEE codes of the 18 regions (2016 map).
REGIONS = {
    "11": "Île-de-France", "24": "Centre-Val de Loire", "27": "Bourgogne-Franche-Comté", "28": "Normandie",
    "32": "Hauts-de-France", "44": "Grand Est", "52": "Pays de la Loire", "53": "Bretagne",
    "75": "Nouvelle-Aquitaine", "76": "Occitanie", "84": "Auvergne-Rhône-Alpes",
    "93": "Provence-Alpes-Côte d'Azur", "94": "Corse", "01": "Guadeloupe", "02": "Martinique", "03": "Guyane",
    "04": "La Réunion", "06": "Mayotte",
}

# Department code → (name, region code).
DEPARTMENTS = {
    "01": ("Ain", "84"), "02": ("Aisne", "32"), "03": ("Allier", "84"), "04": ("Alpes-de-Haute-Provence", "93"),
    "05": ("Hautes-Alpes", "93"), "06": ("Alpes-Maritimes", "93"), "07": ("Ardèche", "84"),
    "08": ("Ardennes", "44"), "09": ("Ariège", "76"), "10": ("Aube", "44"), "11": ("Aude", "76"),
    "12": ("Aveyron", "76"), "13": ("Bouches-du-Rhône", "93"), "14": ("Calvados", "28"), "15": ("Cantal", "84"),
    "16": ("Charente", "75"), "17": ("Charente-Maritime", "75"), "18": ("Cher", "24"), "19": ("Corrèze", "75"),
    "2A": ("Corse-du-Sud", "94"), "2B": ("Haute-Corse", "94"), "21": ("Côte-d'Or", "27"),
    "22": ("Côtes-d'Armor", "53"), "23": ("Creuse", "75"), "24": ("Dordogne", "75"), "25": ("Doubs", "27"),
    "26": ("Drôme", "84"), "27": ("Eure", "28"), "28": ("Eure-et-Loir", "24"), "29": ("Finistère", "53"),
    "30": ("Gard", "76"), "31": ("Haute-Garonne", "76"), "32": ("Gers", "76"), "33": ("Gironde", "75"),
    "34": ("Hérault", "76"), "35": ("Ille-et-Vilaine", "53"), "36": ("Indre", "24"),
    "37": ("Indre-et-Loire", "24"), "38": ("Isère", "84"), "39": ("Jura", "27"), "40": ("Landes", "75"),
    "41": ("Loir-et-Cher", "24"), "42": ("Loire", "84"), "43": ("Haute-Loire", "84"),
    "44": ("Loire-Atlantique", "52"), "45": ("Loiret", "24"), "46": ("Lot", "76"), "47": ("Lot-et-Garonne", "75"),
    "48": ("Lozère", "76"), "49": ("Maine-et-Loire", "52"), "50": ("Manche", "28"), "51": ("Marne", "44"),
    "52": ("Haute-Marne", "44"), "53": ("Mayenne", "52"), "54": ("Meurthe-et-Moselle", "44"),
    "55": ("Meuse", "44"), "56": ("Morbihan", "53"), "57": ("Moselle", "44"), "58": ("Nièvre", "27"),
    "59": ("Nord", "32"), "60": ("Oise", "32"), "61": ("Orne", "28"), "62": ("Pas-de-Calais", "32"),
    "63": ("Puy-de-Dôme", "84"), "64": ("Pyrénées-Atlantiques", "75"), "65": ("Hautes-Pyrénées", "76"),
    "66": ("Pyrénées-Orientales", "76"), "67": ("Bas-Rhin", "44"), "68": ("Haut-Rhin", "44"),
    "69": ("Rhône", "84"), "70": ("Haute-Saône", "27"), "71": ("Saône-et-Loire", "27"), "72": ("Sarthe", "52"),
    "73": ("Savoie", "84"), "74": ("Haute-Savoie", "84"), "75": ("Paris", "11"), "76": ("Seine-Maritime", "28"),
    "77": ("Seine-et-Marne", "11"), "78": ("Yvelines", "11"), "79": ("Deux-Sèvres", "75"), "80": ("Somme", "32"),
    "81": ("Tarn", "76"), "82": ("Tarn-et-Garonne", "76"), "83": ("Var", "93"), "84": ("Vaucluse", "93"),
    "85": ("Vendée", "52"), "86": ("Vienne", "75"), "87": ("Haute-Vienne", "75"), "88": ("Vosges", "44"),
    "89": ("Yonne", "27"), "90": ("Territoire de Belfort", "27"), "91": ("Essonne", "11"),
    "92": ("Hauts-de-Seine", "11"), "93": ("Seine-Saint-Denis", "11"), "94": ("Val-de-Marne", "11"),
    "95": ("Val-d'Oise", "11"), "971": ("Guadeloupe", "01"), "972": ("Martinique", "02"),
    "973": ("Guyane", "03"), "974": ("La Réunion", "04"), "976": ("Mayotte", "06"),
}

# Other names a region goes by: the pre-2016 regions, abbreviations, English.
REGION_ALIASES = {
    "idf": "11", "ile de france": "11", "region parisienne": "11", "paris region": "11", "grand paris": "11",
    "centre": "24", "centre val de loire": "24", "bourgogne": "27", "franche comte": "27", "burgundy": "27",
    "normandy": "28", "basse normandie": "28", "haute normandie": "28", "nord pas de calais": "32",
    "picardie": "32", "picardy": "32", "hdf": "32", "alsace": "44", "lorraine": "44", "champagne ardenne": "44",
    "alsace champagne ardenne lorraine": "44", "acal": "44", "pays de loire": "52", "pdl": "52",
    "brittany": "53", "aquitaine": "75", "limousin": "75", "poitou charentes": "75",
    "aquitaine limousin poitou charentes": "75", "languedoc roussillon": "76", "midi pyrenees": "76",
    "languedoc roussillon midi pyrenees": "76", "rhone alpes": "84", "auvergne": "84", "aura": "84",
    "ara": "84", "paca": "93", "provence": "93", "region sud": "93", "cote d azur": "93", "corsica": "94",
    "french guiana": "03", "reunion": "04", "bfc": "27", "cvl": "24",
}

# Big cities and prefectures → department ("Saint-Denis" is left out: Seine-Saint-Denis or La Réunion).
CITIES = {
    "marseille": "13", "lyon": "69", "toulouse": "31", "nice": "06", "nantes": "44", "montpellier": "34",
    "strasbourg": "67", "bordeaux": "33", "lille": "59", "rennes": "35", "reims": "51", "toulon": "83",
    "saint etienne": "42", "le havre": "76", "grenoble": "38", "dijon": "21", "angers": "49", "nimes": "30",
    "villeurbanne": "69", "clermont ferrand": "63", "le mans": "72", "aix en provence": "13", "brest": "29",
    "tours": "37", "amiens": "80", "limoges": "87", "annecy": "74", "perpignan": "66",
    "boulogne billancourt": "92", "metz": "57", "besancon": "25", "orleans": "45", "rouen": "76",
    "mulhouse": "68", "caen": "14", "nancy": "54", "argenteuil": "95", "montreuil": "93", "roubaix": "59",
    "tourcoing": "59", "avignon": "84", "nanterre": "92", "la defense": "92", "poitiers": "86", "creteil": "94",
    "versailles": "78", "pau": "64", "la rochelle": "17", "calais": "62", "cannes": "06", "antibes": "06",
    "sophia antipolis": "06", "ajaccio": "2A", "bastia": "2B", "valence": "26", "chambery": "73",
    "lorient": "56", "vannes": "56", "quimper": "29", "saint malo": "35", "saint nazaire": "44", "troyes": "10",
    "niort": "79", "colmar": "68", "bayonne": "64", "biarritz": "64", "cergy": "95", "pontoise": "95",
    "evry": "91", "massy": "91", "melun": "77", "marne la vallee": "77", "beauvais": "60", "arras": "62",
    "dunkerque": "59", "beziers": "34", "fort de france": "972", "pointe a pitre": "971", "cayenne": "973",
    "laval": "53", "chartres": "28", "blois": "41", "bourges": "18", "chateauroux": "36", "auxerre": "89",
    "nevers": "58", "macon": "71", "belfort": "90", "epinal": "88", "charleville mezieres": "08",
    "chalons en champagne": "51", "evreux": "27", "alencon": "61", "saint lo": "50", "cherbourg": "50",
    "laon": "02", "gap": "05", "digne les bains": "04", "privas": "07", "foix": "09", "carcassonne": "11",
    "rodez": "12", "aurillac": "15", "angouleme": "16", "tulle": "19", "gueret": "23", "perigueux": "24",
    "albi": "81", "montauban": "82", "cahors": "46", "agen": "47", "mende": "48", "tarbes": "65", "auch": "32",
    "mont de marsan": "40", "le puy en velay": "43", "moulins": "03", "bourg en bresse": "01", "vesoul": "70",
    "lons le saunier": "39", "chaumont": "52", "bar le duc": "55", "saint brieuc": "22",
    "la roche sur yon": "85", "bobigny": "93",
}


class Place(NamedTuple):
    """Where a value points: a whole region (`department` None) or one department."""

    region: str
    department: str | None = None

    @property
    def name(self) -> str:
        return DEPARTMENTS[self.department][0] if self.department else REGIONS[self.region]

    @property
    def departments(self) -> tuple[str, ...]:
        """The departments the place covers."""
        if self.department:
            return (self.department,)
        return tuple(code for code, (_, region) in DEPARTMENTS.items() if region == self.region)


def _key(text: str) -> str:
    """`Île-de-France` → `ile de france`; `Saint-Étienne`, `St Etienne` → `saint etienne`."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9()]+", " ", text).strip()
    return re.sub(r"\b(st|ste)\b", lambda m: "saint" if m.group(1) == "st" else "sainte", text)


def _names() -> dict[str, Place]:
    names = {_key(name): Place(code) for code, name in REGIONS.items()}
    names |= {alias: Place(code) for alias, code in REGION_ALIASES.items()}
    # A department named like its region (Guadeloupe…) is the region; Paris the city is the department.
    names |= {_key(name): Place(region, code) for code, (name, region) in DEPARTMENTS.items()
              if _key(name) not in names}
    names |= {city: Place(DEPARTMENTS[code][1], code) for city, code in CITIES.items()}
    return names


NAMES = _names()
_CODE = r"(\d{2,3}|2[ab])"


def _department(code: str) -> Place | None:
    code = code.upper()
    if code in DEPARTMENTS:
        return Place(DEPARTMENTS[code][1], code)
    return None


def _from_postcode(digits: str) -> Place | None:
    """`75011` → 75; Corsica's `20xxx` splits at 20200; overseas codes have three digits."""
    digits = digits.zfill(5)  # spreadsheets drop the leading zero of `01000`
    if digits.startswith("97"):
        return _department(digits[:3])
    if digits.startswith("20"):
        return _department("2A" if int(digits) < 20200 else "2B")
    return _department(digits[:2])


def locate(value) -> Place | None:
    """The region or department a cell names, or None when it does not name one."""
    key = _key(value)
    if not key:
        return None
    if key in NAMES:
        return NAMES[key]
    # `75011 Paris`, `69 Rhône`; never a date (`2026-03-16 12:46`, `12/03/2026`): the words after a code are not digits.
    if match := re.fullmatch(r"(\d{4,5})( [^\d].*)?", key):
        return _from_postcode(match.group(1))
    if match := re.fullmatch(_CODE, key) or re.search(rf"\({_CODE}\)", key) or re.match(rf"{_CODE} (?!\d)", key):
        return _department(match.group(1))
    for prefix in ("region ", "departement ", "dept ", "dep "):
        if key.startswith(prefix) and key[len(prefix):] in NAMES:
            return NAMES[key[len(prefix):]]
    # `Paris 11e`, `Lyon 3eme`: a city followed by its arrondissement.
    stripped = re.sub(r" \d{1,2}( ?(e|er|eme|ieme))?$", "", key)
    if stripped != key and stripped in NAMES:
        return NAMES[stripped]
    return None


def locate_all(values: Iterable) -> dict:
    """Each value → its place (None when not recognised)."""
    return {value: locate(value) for value in values}


def areas(values: Iterable) -> tuple[dict[str, str], list]:
    """Which value each department is painted with, and the values that name no French place. A value naming
    a department wins over one naming its whole region (`Paris` over `Île-de-France` for department 75)."""
    places = locate_all(values)
    painted = {}
    for level in ("region", "department"):
        for value, place in places.items():
            if place is not None and (place.department is None) == (level == "region"):
                painted |= dict.fromkeys(place.departments, value)
    return painted, [value for value, place in places.items() if place is None]


def place_groups(values: Iterable) -> dict | None:
    """When several values fall in one department (postcodes, cities), the area each value adds up to: its
    department, or its region when some values name whole regions. None when every area has one value, so
    the values are drawn as they are."""
    places = {value: place for value, place in locate_all(values).items() if place is not None}
    covered = [department for place in places.values() for department in place.departments]
    if len(covered) == len(set(covered)):
        return None
    by_department = all(place.department for place in places.values())
    return {value: place.name if by_department else REGIONS[place.region] for value, place in places.items()}
