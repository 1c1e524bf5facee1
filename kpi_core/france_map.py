"""Outlines of the French departments, read from the SVG map shipped in the `pygal_maps_fr` package (no
download at run time): metropolitan France, an enlarged Paris and inner suburbs, and the overseas departments."""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ElementTree
from importlib import resources
from typing import NamedTuple

_SVG = "{http://www.w3.org/2000/svg}"
_TOKEN = re.compile(r"[MmLlHhVvCcSsQqZz]|-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?")
# Coordinates each command takes, and how many of them lead to the end point (curves: the last pair).
_ARITY = {"m": 2, "l": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4}


class Outline(NamedTuple):
    """One department's shape in map units (y pointing up); `inset` for the enlarged Paris drawing."""

    department: str
    rings: tuple[tuple[tuple[float, ...], tuple[float, ...]], ...]
    inset: bool


def _rings(path: str, dx: float, dy: float) -> list[tuple[tuple[float, ...], tuple[float, ...]]]:
    """An SVG path's subpaths as closed rings of end points (curves are drawn through their end points,
    plenty at map scale)."""
    rings, xs, ys = [], [], []
    x = y = start_x = start_y = 0.0
    command = "m"
    tokens = _TOKEN.findall(path)
    position = 0
    while position < len(tokens):
        token = tokens[position]
        if token.isalpha():
            command = token
            position += 1
            if command in "Zz":
                if xs:
                    rings.append((tuple(xs), tuple(ys)))
                xs, ys, x, y = [], [], start_x, start_y
            continue
        lower = command.lower()
        numbers = [float(n) for n in tokens[position:position + _ARITY[lower]]]
        position += _ARITY[lower]
        relative = command.islower()
        if lower == "h":
            x = x + numbers[0] if relative else numbers[0]
        elif lower == "v":
            y = y + numbers[0] if relative else numbers[0]
        else:
            x, y = (x + numbers[-2], y + numbers[-1]) if relative else (numbers[-2], numbers[-1])
        if lower == "m":
            if xs:
                rings.append((tuple(xs), tuple(ys)))
            xs, ys, start_x, start_y = [], [], x, y
            command = "l" if relative else "L"  # further pairs after a move are lines
        xs.append(round(x + dx, 1))
        ys.append(round(-(y + dy), 1))
    if xs:
        rings.append((tuple(xs), tuple(ys)))
    return rings


@functools.cache
def outlines() -> tuple[Outline, ...]:
    """Every department drawing of the map (Paris and its inner suburbs twice: in place and enlarged)."""
    text = resources.files("pygal_maps_fr").joinpath("fr.departments.svg").read_text(encoding="utf-8")
    root = ElementTree.fromstring(text)
    shapes = []
    for group in root.iter(f"{_SVG}g"):
        if group.get("id") is None:
            continue
        dx, dy = (float(n) for n in re.findall(r"-?[\d.]+", group.get("transform", "translate(0,0)")))
        for department in group.findall(f"{_SVG}g"):
            code = department.get("class", "").split()[0].removeprefix("z")
            rings = [ring for path in department.iter(f"{_SVG}path") for ring in _rings(path.get("d"), dx, dy)]
            shapes.append(Outline(code, tuple(rings), group.get("id") == "paris-petite-couronne"))
    return tuple(shapes)
