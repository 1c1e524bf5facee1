"""A saved mapping JSON is user input: parsed within bounds and validated completely against one schema, so a
wrong file is answered with one sentence naming what is wrong (never an exception from deep inside)."""

from __future__ import annotations

import codecs
import json
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from kpi_core.currency import CURRENCIES
from kpi_core.presets import PRESETS
from kpi_core.reader import DELIMITERS, UnreadableFile
from kpi_core.schemas import ACTIVITY_TYPES, DATASETS, STATUSES, fields

# A mapping is a few kilobytes; a megabyte already means hundreds of files or custom KPIs.
MAX_MAPPING_BYTES = 1024 * 1024
MAX_TEXT = 1000  # characters in any one name, column or value
MAX_ITEMS = 2000  # entries in any one list or object (a header, a value mapping, custom KPIs)
_CATEGORY_VALUES = {"status": STATUSES, "activity_type": ACTIVITY_TYPES}

class InvalidMapping(UnreadableFile):
    """A mapping file that cannot be used: `reason` is an i18n key, `details` its parameters."""


class _Strict(BaseModel):
    # Strict: `"values": 5` is not a list, `"day_first": "yes"` is not a boolean. Unknown keys are ignored so a
    # file saved by a newer version still opens.
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


def _bounded_texts(values):
    """Every text in a list or object's keys and values is at most MAX_TEXT long."""
    items = values.items() if isinstance(values, dict) else ((value, "") for value in values)
    for key, value in items:
        for text in (key, value) if isinstance(value, str) else (key,):
            if isinstance(text, str) and len(text) > MAX_TEXT:
                raise PydanticCustomError("too_long_text", "text longer than {limit} characters", {"limit": MAX_TEXT})
    return values


class FileEntry(_Strict):
    dataset: Literal[DATASETS]
    columns: dict[str, str] = Field(default_factory=dict, max_length=MAX_ITEMS)
    values: dict[str, dict[str, str]] = Field(default_factory=dict, max_length=MAX_ITEMS)
    amount_product: tuple[str, str] | None = None
    day_first: bool = True
    header: list[str] = Field(default_factory=list, max_length=MAX_ITEMS)
    stage_dates: dict[str, str] = Field(default_factory=dict, max_length=MAX_ITEMS)
    preset: Literal[tuple(preset.id for preset in PRESETS)] | None = None
    encoding: str | None = None
    delimiter: Literal[DELIMITERS] | None = None
    reject_blank: bool = False
    lost_stage: str | None = Field(default=None, max_length=MAX_TEXT)
    fallbacks: dict[str, str] = Field(default_factory=dict, max_length=MAX_ITEMS)
    currency: Literal[CURRENCIES] | None = None

    _texts = field_validator("columns", "header", "stage_dates", "fallbacks")(_bounded_texts)

    @field_validator("encoding")
    @classmethod
    def _text_encoding(cls, name: str | None) -> str | None:
        if name is None:
            return None
        try:
            known = codecs.lookup(name)
        except (LookupError, ValueError):
            raise PydanticCustomError("encoding", "unknown encoding {value}", {"value": name[:40]}) from None
        if not getattr(known, "_is_text_encoding", True):  # rot13, base64, zlib: codecs, not character sets
            raise PydanticCustomError("encoding", "not a text encoding: {value}", {"value": name[:40]})
        return name

    @model_validator(mode="after")
    def _fields_of_the_dataset(self) -> FileEntry:
        names = {spec.name: spec.kind for spec in fields(self.dataset)}
        for name in (*self.columns, *self.values, *self.fallbacks):
            if name not in names:
                raise PydanticCustomError("field", "{value} is not a field of {dataset}",
                                          {"value": name[:40], "dataset": self.dataset})
        for name, meanings in self.values.items():
            _bounded_texts(meanings)
            allowed = _CATEGORY_VALUES.get(name) or (("true", "false") if names[name] == "bool" else None)
            wrong = next((meaning for meaning in meanings.values() if allowed and meaning not in allowed), None)
            if wrong is not None:
                raise PydanticCustomError("literal_error", "{value}: expected {expected}",
                                          {"value": wrong[:40], "expected": ", ".join(allowed)})
        return self


class ConditionEntry(_Strict):
    field: str = Field(max_length=MAX_TEXT)
    operator: str = Field(max_length=MAX_TEXT)
    values: list[str | int | float | bool] = Field(default_factory=list, max_length=MAX_ITEMS)


class CustomEntry(_Strict):
    name: str = Field(max_length=MAX_TEXT)
    dataset: str = Field(max_length=MAX_TEXT)
    aggregation: str = Field(max_length=MAX_TEXT)
    field: str | None = Field(default=None, max_length=MAX_TEXT)
    conditions: list[ConditionEntry] = Field(default_factory=list, max_length=50)
    denominator: str | None = Field(default=None, max_length=MAX_TEXT)
    unit: str = Field(default="count", max_length=MAX_TEXT)
    higher_is_better: bool = True
    description: str = Field(default="", max_length=MAX_TEXT)


class LookupEntry(_Strict):
    header: list[str] = Field(max_length=MAX_ITEMS)
    key: str = Field(max_length=MAX_TEXT)
    on: str = Field(max_length=MAX_TEXT)

    _texts = field_validator("header")(_bounded_texts)


class MappingFile(_Strict):
    version: Literal[1] = 1
    files: list[FileEntry] = Field(default_factory=list, max_length=MAX_ITEMS)
    stages: list[str] | None = Field(default=None, min_length=2, max_length=50)
    custom_kpis: list[CustomEntry] = Field(default_factory=list, max_length=500)
    lookups: list[LookupEntry] = Field(default_factory=list, max_length=MAX_ITEMS)
    fiscal_year_start: int = Field(default=1, ge=1, le=12)

    _texts = field_validator("stages")(lambda values: values if values is None else _bounded_texts(values))

    @model_validator(mode="after")
    def _stage_values_are_stages(self) -> MappingFile:
        stages = self.stages or ()
        for entry in self.files:
            for stage in [*entry.values.get("stage", {}).values(), *filter(None, [entry.lost_stage])]:
                if stages and stage not in stages:
                    raise PydanticCustomError("literal_error", "{value}: expected {expected}",
                                              {"value": stage[:40], "expected": ", ".join(stages)})
        return self


def parse(text: str | bytes) -> MappingFile:
    """The validated content of a mapping file; InvalidMapping with one sentence's key otherwise."""
    if len(text) > MAX_MAPPING_BYTES:
        raise InvalidMapping("mapping.error.too_large", limit_kb=MAX_MAPPING_BYTES // 1024)
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidMapping("mapping.error.encoding") from None
    try:
        json.loads(text)  # only for the position of a syntax error
    except json.JSONDecodeError as error:
        raise InvalidMapping("mapping.error.json", line=error.lineno, column=error.colno) from None
    except RecursionError:
        raise InvalidMapping("mapping.error.deep") from None
    try:
        return MappingFile.model_validate_json(text)
    except ValidationError as error:
        raise _sentence(error.errors(include_url=False)[0]) from None


# pydantic's error types → the sentence saying what was expected there (i18n keys `mapping.expected.*`).
_EXPECTED = {
    "dict_type": "object", "model_type": "object", "list_type": "list", "tuple_type": "list", "string_type": "text",
    "bool_type": "boolean", "int_type": "number", "float_type": "number", "missing": "missing",
    "too_long": "too_long", "too_short": "too_short", "string_too_long": "too_long_text",
    "too_long_text": "too_long_text", "literal_error": "one_of", "encoding": "encoding", "field": "field",
}


def _shown(value) -> str:
    """A value quoted in one line of a sentence: control characters written as escapes, long text cut."""
    return json.dumps(str(value), ensure_ascii=False)[1:-1][:80]


def _sentence(error: dict) -> InvalidMapping:
    """The first problem pydantic found, as `files → 0 → values` and what was expected there."""
    where = " → ".join(_shown(part) for part in error["loc"]) or "/"
    if error["type"] == "recursion_loop":
        return InvalidMapping("mapping.error.deep")
    expected = _EXPECTED.get(error["type"])
    if expected is None:
        return InvalidMapping("mapping.error.field", where=where, detail=error["msg"][:200])
    context = {key: _shown(value) for key, value in (error.get("ctx") or {}).items()}
    if expected == "one_of":
        # pydantic writes `'a', 'b' or 'c'`: the sentence lists them its own way.
        listed = re.findall(r"'((?:[^'\\]|\\.)*)'", str(error["ctx"]["expected"]))
        context["expected"] = " · ".join(listed) if listed else context["expected"]
        context.setdefault("value", _shown(error.get("input", "")))
    return InvalidMapping(f"mapping.expected.{expected}", where=where, **context)
