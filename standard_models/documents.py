"""The model document: one JSON document (format version 1) that carries a standard model from one
installation or government to another, its JSON Schema, its canonical bytes and its validation.

Canonical form: every optional part written out with its default, object keys sorted, lists kept
in their meaningful order (fields, questions, choices, phases), compact separators, UTF-8 and a
final newline. `document_clean` turns any valid input into that form, so an exported document,
imported and exported again, is the same bytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import FIELD_DATATYPES, CoverageUnit, Participation, Theme
from core.errors import DomainError, ErrorCode
from reports.models import Question
from scorecards.indicators import INDICATORS

FORMAT = "dongne-standard-model"
FORMAT_VERSION = 1
QUESTION_DATATYPES = tuple(Question.Datatype.values)
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,59}$")
KEY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
CATEGORY_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,47}$")
COLOUR = re.compile(r"^#[0-9a-f]{6}$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
GOVERNMENT_CODE = re.compile(r"^[0-9]{2,10}$")
LICENCES = ("CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "KOGL-1")  # 공공누리 제1유형 = KOGL-1
CAMPAIGN_ROLES = ("organiser", "validator", "mapper")
REPORT_STATUSES = ("submitted", "acknowledged", "in_progress", "closed")

# The fixed catalogue of indicators a model may name: counts over a window, never free-form code,
# plus the scorecards' computed indicators.
COUNT_INDICATORS = {
    "entries_by_type": gettext_lazy("Campaign entries by entry type"),
    "entries_validated": gettext_lazy("Validated campaign entries"),
    "reports_by_category": gettext_lazy("Reports by category"),
    "reports_by_category_and_status": gettext_lazy("Reports by category and status"),
}
SCORECARD_INDICATORS = tuple(f"scorecard:{i.key}" for i in INDICATORS if i.available and not i.experimental)
INDICATOR_KEYS = tuple(COUNT_INDICATORS) + SCORECARD_INDICATORS

TOP_LEVEL = ("format", "format_version", "identity", "taxonomy", "workflow", "campaign", "playbook", "indicators", "evidence", "photos")


class _Problems:
    """Collects what is wrong, by JSON path; the first problem gives the error its code and message."""

    def __init__(self):
        self.fields: dict[str, list[str]] = {}
        self.first: tuple[ErrorCode, str] | None = None

    def add(self, path: str, message: str, code: ErrorCode = ErrorCode.INVALID_MODEL_DOCUMENT) -> None:
        self.fields.setdefault(path, []).append(message)
        if self.first is None or (self.first[0] == ErrorCode.INVALID_MODEL_DOCUMENT and code != ErrorCode.INVALID_MODEL_DOCUMENT):
            self.first = (code, f"{path}: {message}")

    def raise_if_any(self) -> None:
        if self.first is not None:
            code, message = self.first
            raise DomainError(code, _("The model document is not valid: %(problem)s") % {"problem": message}, fields=self.fields)


def _obj(problems: _Problems, value, path: str) -> Mapping:
    if value is None:
        problems.add(path, _("this part is missing."))
        return {}
    if not isinstance(value, Mapping):
        problems.add(path, _("must be an object."))
        return {}
    return value


def _list(problems: _Problems, value, path: str, required: bool = False) -> list:
    if value is None:
        if required:
            problems.add(path, _("this part is missing."))
        return []
    if not isinstance(value, list):
        problems.add(path, _("must be a list."))
        return []
    return value


def _str(problems: _Problems, data: Mapping, key: str, path: str, *, required: bool = False, limit: int = 4000,
         pattern: re.Pattern | None = None, choices: tuple | None = None) -> str:
    value = data.get(key)
    where = f"{path}.{key}"
    if value is None or value == "":
        if required:
            problems.add(where, _("this part is missing."))
        return ""
    if not isinstance(value, str):
        problems.add(where, _("must be text."))
        return ""
    value = value.replace("\x00", "").strip()
    if len(value) > limit:
        problems.add(where, _("at most %(max)d characters.") % {"max": limit})
    elif pattern is not None and not pattern.match(value):
        problems.add(where, _("%(value)s is not in the expected form.") % {"value": value[:80]})
    elif choices is not None and value not in choices:
        problems.add(where, _("%(value)s is not one of: %(choices)s.") % {"value": value[:80], "choices": ", ".join(choices)})
    return value


def _bool(problems: _Problems, data: Mapping, key: str, path: str, default: bool = False) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        problems.add(f"{path}.{key}", _("must be true or false."))
        return default
    return value


def _int(problems: _Problems, data: Mapping, key: str, path: str, *, default: int | None = None, low: int = 0, high: int = 100_000) -> int:
    value = data.get(key, default)
    if value is None:
        problems.add(f"{path}.{key}", _("this part is missing."))
        return low
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        problems.add(f"{path}.{key}", _("must be a whole number from %(low)d to %(high)d.") % {"low": low, "high": high})
        return low
    return value


def _number(problems: _Problems, data: Mapping, key: str, path: str):
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value or value in (float("inf"), float("-inf")):
        problems.add(f"{path}.{key}", _("must be a number."))
        return None
    return value


def _keyed(problems: _Problems, items, path: str, name: str, duplicate: str, required: bool = False) -> Iterator[tuple[str, Mapping, str]]:
    """Each object of a keyed list (questions, form fields, entry types) with its JSON path and its
    key, the key checked for its form and for being unique (`duplicate` names the problem)."""
    seen = set()
    for index, item in enumerate(_list(problems, items, path, required=required)):
        where = f"{path}[{index}]"
        item = _obj(problems, item, where)
        key = _str(problems, item, name, where, required=True, pattern=KEY, limit=64)
        if key in seen:
            problems.add(f"{where}.{name}", duplicate % {"key": key, "code": key})
        seen.add(key)
        yield where, item, key


def _choices(problems: _Problems, values, path: str, datatype: str) -> list[dict]:
    cleaned, seen = [], set()
    for index, value in enumerate(_list(problems, values, path)):
        where = f"{path}[{index}]"
        value = _obj(problems, value, where)
        key = _str(problems, value, "key", where, required=True, limit=64)
        if key in seen:
            problems.add(f"{where}.key", _("two choices have the key %(key)s.") % {"key": key})
        seen.add(key)
        cleaned.append({"key": key, "name": _str(problems, value, "name", where, required=True, limit=200),
                        "name_en": _str(problems, value, "name_en", where, limit=200)})
    if datatype in ("singlevaluelist", "multivaluelist") and not cleaned:
        problems.add(path, _("a list question needs its choices."))
    return cleaned


def _datatype(problems: _Problems, data: Mapping, path: str, allowed: tuple) -> str:
    value = data.get("datatype")
    if value not in allowed:
        if value is None:
            problems.add(f"{path}.datatype", _("this part is missing."))
        else:
            problems.add(f"{path}.datatype", _("unknown datatype %(value)s; use one of: %(choices)s.")
                         % {"value": str(value)[:40], "choices": ", ".join(allowed)}, ErrorCode.UNKNOWN_DATATYPE)
        return ""
    return value


def _clean_identity(problems: _Problems, data) -> dict:
    path = "identity"
    data = _obj(problems, data, path)
    return {
        "slug": _str(problems, data, "slug", path, required=True, pattern=SLUG, limit=60),
        "title": _str(problems, data, "title", path, required=True, limit=200),
        "title_en": _str(problems, data, "title_en", path, limit=200),
        "summary": _str(problems, data, "summary", path, required=True, limit=2000),
        "summary_en": _str(problems, data, "summary_en", path, limit=2000),
        "theme": _str(problems, data, "theme", path, required=True, choices=tuple(Theme.values)),
        "origin_government": _str(problems, data, "origin_government", path, required=True, pattern=GOVERNMENT_CODE),
        "version": _int(problems, data, "version", path, low=1),
        "licence": _str(problems, data, "licence", path, required=True, choices=LICENCES),
        "started_on": _str(problems, data, "started_on", path, pattern=re.compile(r"^\d{4}-\d{2}-\d{2}$")),
    }


def _clean_taxonomy(problems: _Problems, data) -> dict:
    data = _obj(problems, data, "taxonomy")
    categories, codes = [], set()
    for index, category in enumerate(_list(problems, data.get("categories"), "taxonomy.categories", required=True)):
        path = f"taxonomy.categories[{index}]"
        category = _obj(problems, category, path)
        code = _str(problems, category, "code", path, required=True, pattern=CATEGORY_CODE, limit=48)
        if code and code in codes:
            problems.add(f"{path}.code", _("two categories have the code %(code)s.") % {"code": code}, ErrorCode.CATEGORY_CODE_CONFLICT)
        codes.add(code)
        questions = []
        for q_path, question, q_code in _keyed(problems, category.get("questions"), f"{path}.questions", "code",
                                               _("two questions have the code %(code)s.")):
            datatype = _datatype(problems, question, q_path, QUESTION_DATATYPES)
            questions.append({
                "code": q_code, "datatype": datatype,
                "description": _str(problems, question, "description", q_path, required=True, limit=300),
                "description_en": _str(problems, question, "description_en", q_path, limit=300),
                "help": _str(problems, question, "help", q_path, limit=300),
                "required": _bool(problems, question, "required", q_path),
                "variable": _bool(problems, question, "variable", q_path, default=True),
                "values": _choices(problems, question.get("values"), f"{q_path}.values", datatype),
            })
        categories.append({
            "code": code,
            "name": _str(problems, category, "name", path, required=True, limit=120),
            "name_en": _str(problems, category, "name_en", path, required=True, limit=120),
            "description": _str(problems, category, "description", path, limit=2000),
            "description_en": _str(problems, category, "description_en", path, limit=2000),
            "group": _str(problems, category, "group", path, limit=80),
            "group_en": _str(problems, category, "group_en", path, limit=80),
            "keywords": _str(problems, category, "keywords", path, limit=300),
            "is_sensitive": _bool(problems, category, "is_sensitive", path),
            "questions": questions,
        })
    return {"categories": categories}


def _clean_workflow(problems: _Problems, data, category_codes: set[str]) -> list[dict]:
    cleaned, seen = [], set()
    for index, step in enumerate(_list(problems, data, "workflow", required=True)):
        path = f"workflow[{index}]"
        step = _obj(problems, step, path)
        code = _str(problems, step, "category", path, required=True, limit=48)
        if code and code not in category_codes:
            problems.add(f"{path}.category", _("no category %(code)s in the taxonomy.") % {"code": code})
        if code in seen:
            problems.add(f"{path}.category", _("the workflow of %(code)s is given twice.") % {"code": code}, ErrorCode.CATEGORY_CODE_CONFLICT)
        seen.add(code)
        statuses = [str(s) for s in _list(problems, step.get("statuses", list(REPORT_STATUSES)), f"{path}.statuses")]
        if any(s not in REPORT_STATUSES for s in statuses) or statuses[:1] != ["submitted"] or statuses[-1:] != ["closed"]:
            problems.add(f"{path}.statuses", _("statuses run from submitted to closed, among: %(choices)s.") % {"choices": ", ".join(REPORT_STATUSES)})
        cleaned.append({
            "category": code, "sla_days": _int(problems, step, "sla_days", path, default=7, low=1, high=365),
            "department": _str(problems, step, "department", path, limit=120), "statuses": statuses,
        })
    missing = category_codes - seen - {""}
    if missing:
        problems.add("workflow", _("no workflow for: %(codes)s.") % {"codes": ", ".join(sorted(missing))})
    return sorted(cleaned, key=lambda step: step["category"])  # one per category: order carries no meaning


def _clean_campaign(problems: _Problems, data) -> dict:
    path = "campaign"
    data = _obj(problems, data, path)
    fields = []
    for f_path, field, key in _keyed(problems, data.get("fields"), f"{path}.fields", "key", _("two fields have the key %(key)s."), required=True):
        datatype = _datatype(problems, field, f_path, FIELD_DATATYPES)
        fields.append({
            "key": key, "datatype": datatype,
            "label": _str(problems, field, "label", f_path, required=True, limit=200),
            "label_en": _str(problems, field, "label_en", f_path, limit=200),
            "help": _str(problems, field, "help", f_path, limit=500),
            "help_en": _str(problems, field, "help_en", f_path, limit=500),
            "required": _bool(problems, field, "required", f_path),
            "public": _bool(problems, field, "public", f_path),
            "locked": _bool(problems, field, "locked", f_path),
            "values": _choices(problems, field.get("values"), f"{f_path}.values", datatype),
        })
    entry_types = []
    for t_path, kind, key in _keyed(problems, data.get("entry_types"), f"{path}.entry_types", "key",
                                    _("two entry types have the key %(key)s."), required=True):
        entry_types.append({
            "key": key, "label": _str(problems, kind, "label", t_path, required=True, limit=120),
            "label_en": _str(problems, kind, "label_en", t_path, limit=120),
            "colour": _str(problems, kind, "colour", t_path, required=True, pattern=COLOUR, limit=7),
            "icon": _str(problems, kind, "icon", t_path, limit=8),
        })
    if not entry_types and "entry_types" in data:
        problems.add(f"{path}.entry_types", _("give at least one entry type."))
    roles = []
    for index, role in enumerate(_list(problems, data.get("roles"), f"{path}.roles")):
        r_path = f"{path}.roles[{index}]"
        role = _obj(problems, role, r_path)
        roles.append({
            "role": _str(problems, role, "role", r_path, required=True, choices=CAMPAIGN_ROLES),
            "team": _str(problems, role, "team", r_path, limit=80),
            "duties": _str(problems, role, "duties", r_path, limit=1000),
        })
    settings = _obj(problems, data.get("settings", {}), f"{path}.settings")
    return {
        "title": _str(problems, data, "title", path, required=True, limit=200),
        "title_en": _str(problems, data, "title_en", path, limit=200),
        "description": _str(problems, data, "description", path, limit=10_000),
        "description_en": _str(problems, data, "description_en", path, limit=10_000),
        "fields": fields,
        "entry_types": entry_types,
        "roles": roles,
        "participation": _str(problems, data, "participation", path, required=True, choices=tuple(Participation.values)),
        "eligibility": _str(problems, data, "eligibility", path, limit=1000),
        "coverage_unit": _str(problems, data, "coverage_unit", path, required=True, choices=tuple(CoverageUnit.values)),
        "duration_days": _int(problems, data, "duration_days", path, low=1, high=730),
        "settings": {
            "counted_in_statistics": _bool(problems, settings, "counted_in_statistics", f"{path}.settings", default=True),
            "public_dashboard": _bool(problems, settings, "public_dashboard", f"{path}.settings", default=True),
            "entries_become_reports": _bool(problems, settings, "entries_become_reports", f"{path}.settings", default=True),
        },
    }


def _clean_playbook(problems: _Problems, data) -> dict:
    path = "playbook"
    data = _obj(problems, data, path)
    phases = []
    for index, phase in enumerate(_list(problems, data.get("phases"), f"{path}.phases", required=True)):
        p_path = f"{path}.phases[{index}]"
        phase = _obj(problems, phase, p_path)
        start = _int(problems, phase, "start_day", p_path, low=-365, high=730)
        end = _int(problems, phase, "end_day", p_path, low=-365, high=730)
        if end < start:
            problems.add(f"{p_path}.end_day", _("a phase ends on or after its start day."))
        phases.append({
            "name": _str(problems, phase, "name", p_path, required=True, limit=120),
            "name_en": _str(problems, phase, "name_en", p_path, limit=120),
            "start_day": start, "end_day": end,
            "tasks": [str(t)[:500] for t in _list(problems, phase.get("tasks"), f"{p_path}.tasks")],
        })
    roles = [{"name": _str(problems, r, "name", f"{path}.roles[{i}]", required=True, limit=120),
              "duties": _str(problems, r, "duties", f"{path}.roles[{i}]", limit=1000)}
             for i, r in enumerate(_obj(problems, r, f"{path}.roles[{i}]") for i, r in enumerate(_list(problems, data.get("roles"), f"{path}.roles")))]
    partners = [{"name": _str(problems, r, "name", f"{path}.partners[{i}]", required=True, limit=200),
                 "role": _str(problems, r, "role", f"{path}.partners[{i}]", limit=500)}
                for i, r in enumerate(_obj(problems, r, f"{path}.partners[{i}]") for i, r in enumerate(_list(problems, data.get("partners"), f"{path}.partners")))]
    materials = [{"title": _str(problems, r, "title", f"{path}.materials[{i}]", required=True, limit=200),
                  "text": _str(problems, r, "text", f"{path}.materials[{i}]", limit=10_000)}
                 for i, r in enumerate(_obj(problems, r, f"{path}.materials[{i}]") for i, r in enumerate(_list(problems, data.get("materials"), f"{path}.materials")))]
    return {"phases": phases, "roles": roles, "partners": partners, "materials": materials}


def _clean_indicators(problems: _Problems, data, category_codes: set[str]) -> list[dict]:
    cleaned = []
    for index, indicator in enumerate(_list(problems, data, "indicators", required=True)):
        path = f"indicators[{index}]"
        indicator = _obj(problems, indicator, path)
        key = _str(problems, indicator, "key", path, required=True, choices=INDICATOR_KEYS, limit=80)
        category = _str(problems, indicator, "category", path, limit=48)
        if category and category not in category_codes:
            problems.add(f"{path}.category", _("no category %(code)s in the taxonomy.") % {"code": category})
        cleaned.append({
            "key": key, "category": category,
            "status": _str(problems, indicator, "status", path, choices=REPORT_STATUSES),
            "window_days": _int(problems, indicator, "window_days", path, default=90, low=1, high=730),
        })
    return cleaned


def _clean_evidence(problems: _Problems, data) -> dict:
    path = "evidence"
    data = _obj(problems, data, path)
    figures = []
    for index, figure in enumerate(_list(problems, data.get("figures"), f"{path}.figures")):
        f_path = f"{path}.figures[{index}]"
        figure = _obj(problems, figure, f_path)
        figures.append({
            "label": _str(problems, figure, "label", f_path, required=True, limit=200),
            "label_en": _str(problems, figure, "label_en", f_path, limit=200),
            "before": _number(problems, figure, "before", f_path), "after": _number(problems, figure, "after", f_path),
            "unit": _str(problems, figure, "unit", f_path, limit=40),
            "source": _str(problems, figure, "source", f_path, required=True, limit=500),
        })
    text = _str(problems, data, "text", path, required=True, limit=20_000)
    if text and re.fullmatch(r"\s*https?://\S+\s*", text):
        problems.add(f"{path}.text", _("write the evidence out; a link alone is not evidence."))
    return {"text": text, "text_en": _str(problems, data, "text_en", path, limit=20_000), "figures": figures,
            "sources": [str(s)[:500] for s in _list(problems, data.get("sources"), f"{path}.sources")]}


def _clean_photos(problems: _Problems, data) -> list[dict]:
    photos = []
    for index, photo in enumerate(_list(problems, data, "photos")):
        path = f"photos[{index}]"
        photo = _obj(problems, photo, path)
        photos.append({
            "url": _str(problems, photo, "url", path, required=True, pattern=re.compile(r"^(https?://|/)\S+$"), limit=500),
            "sha256": _str(problems, photo, "sha256", path, required=True, pattern=SHA256, limit=64),
            "caption": _str(problems, photo, "caption", path, limit=300),
        })
    return photos


def document_clean(data) -> dict:
    """The canonical form of a model document, or DomainError naming every problem (nothing saved)."""
    problems = _Problems()
    if not isinstance(data, Mapping):
        raise DomainError(ErrorCode.INVALID_MODEL_DOCUMENT, _("The model document is not valid: it must be a JSON object."))
    if data.get("format") != FORMAT:
        raise DomainError(ErrorCode.INVALID_MODEL_DOCUMENT, _("The model document is not valid: format must be %(format)s.") % {"format": FORMAT},
                          fields={"format": [_("must be %(format)s.") % {"format": FORMAT}]})
    if data.get("format_version") != FORMAT_VERSION:
        raise DomainError(
            ErrorCode.UNKNOWN_FORMAT_VERSION,
            _("Unknown format version %(version)s: this installation reads version %(ours)d.")
            % {"version": str(data.get("format_version"))[:20], "ours": FORMAT_VERSION},
            fields={"format_version": [_("must be %(ours)d.") % {"ours": FORMAT_VERSION}]},
        )
    for key in data:
        if key not in TOP_LEVEL:
            problems.add(str(key)[:40], _("unknown part."))
    taxonomy = _clean_taxonomy(problems, data.get("taxonomy"))
    codes = {c["code"] for c in taxonomy["categories"]}
    document = {
        "format": FORMAT, "format_version": FORMAT_VERSION,
        "identity": _clean_identity(problems, data.get("identity")),
        "taxonomy": taxonomy,
        "workflow": _clean_workflow(problems, data.get("workflow"), codes),
        # null: a model of categories and workflow alone, with no campaign to run.
        "campaign": None if "campaign" in data and data["campaign"] is None else _clean_campaign(problems, data.get("campaign")),
        "playbook": _clean_playbook(problems, data.get("playbook")),
        "indicators": _clean_indicators(problems, data.get("indicators"), codes),
        "evidence": _clean_evidence(problems, data.get("evidence")),
        "photos": _clean_photos(problems, data.get("photos")),
    }
    problems.raise_if_any()
    return document


def document_parse(raw: bytes | str) -> dict:
    """Bytes or text of a document → its canonical form; unreadable JSON is a clear error too."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes | bytearray) else raw
        data = json.loads(text)
    except (UnicodeDecodeError, ValueError) as exc:
        raise DomainError(ErrorCode.INVALID_MODEL_DOCUMENT, _("The model document is not valid JSON in UTF-8: %(error)s") % {"error": str(exc)[:200]}) from exc
    return document_clean(data)


def document_bytes(document: dict) -> bytes:
    """The canonical serialisation: sorted keys, lists in order, fixed separators, UTF-8, final newline."""
    return (json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False) + "\n").encode("utf-8")


# --- JSON Schema (published at /api/v1/models/schema.json) --------------------------------------

def _s(max_length: int | None = None, **extra) -> dict:
    return {"type": "string", **({"maxLength": max_length} if max_length else {}), **extra}


def _o(properties: dict, required: list[str]) -> dict:
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}


_CHOICE = _o({"key": _s(64), "name": _s(200), "name_en": _s(200)}, ["key", "name"])
_BOOL = {"type": "boolean"}


def document_json_schema() -> dict:
    """The JSON Schema of format version 1 (Draft 2020-12). Validation in `document_clean` is the
    same rules in code, with localized messages."""
    question = _o({
        "code": _s(64, pattern=KEY.pattern), "datatype": {"enum": list(QUESTION_DATATYPES)}, "description": _s(300),
        "description_en": _s(300), "help": _s(300), "required": _BOOL, "variable": _BOOL, "values": {"type": "array", "items": _CHOICE},
    }, ["code", "datatype", "description"])
    category = _o({
        "code": _s(48, pattern=CATEGORY_CODE.pattern), "name": _s(120), "name_en": _s(120), "description": _s(2000),
        "description_en": _s(2000), "group": _s(80), "group_en": _s(80), "keywords": _s(300), "is_sensitive": _BOOL,
        "questions": {"type": "array", "items": question},
    }, ["code", "name", "name_en"])
    field = _o({
        "key": _s(64, pattern=KEY.pattern), "datatype": {"enum": list(FIELD_DATATYPES)}, "label": _s(200), "label_en": _s(200),
        "help": _s(500), "help_en": _s(500), "required": _BOOL, "public": _BOOL,
        "locked": {"type": "boolean", "description": "kept identical by adopters, so results stay comparable"},
        "values": {"type": "array", "items": _CHOICE},
    }, ["key", "datatype", "label"])
    day = {"type": "integer", "minimum": -365, "maximum": 730}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "/api/v1/models/schema.json",
        "title": "Dongne standard model (표준모델), format version 1",
        **_o({
            "format": {"const": FORMAT},
            "format_version": {"const": FORMAT_VERSION},
            "identity": _o({
                "slug": _s(60, pattern=SLUG.pattern), "title": _s(200), "title_en": _s(200), "summary": _s(2000), "summary_en": _s(2000),
                "theme": {"enum": list(Theme.values)}, "origin_government": _s(10, pattern=GOVERNMENT_CODE.pattern),
                "version": {"type": "integer", "minimum": 1}, "licence": {"enum": list(LICENCES)},
                "started_on": _s(10, description="the origin's start date, YYYY-MM-DD"),
            }, ["slug", "title", "summary", "theme", "origin_government", "version", "licence"]),
            "taxonomy": _o({"categories": {"type": "array", "items": category}}, ["categories"]),
            "workflow": {"type": "array", "items": _o({
                "category": _s(48), "sla_days": {"type": "integer", "minimum": 1, "maximum": 365}, "department": _s(120),
                "statuses": {"type": "array", "items": {"enum": list(REPORT_STATUSES)}},
            }, ["category"])},
            "campaign": {**_o({
                "title": _s(200), "title_en": _s(200), "description": _s(10_000), "description_en": _s(10_000),
                "fields": {"type": "array", "items": field},
                "entry_types": {"type": "array", "minItems": 1, "items": _o({
                    "key": _s(64, pattern=KEY.pattern), "label": _s(120), "label_en": _s(120), "colour": _s(7, pattern=COLOUR.pattern), "icon": _s(8),
                }, ["key", "label", "colour"])},
                "roles": {"type": "array", "items": _o({"role": {"enum": list(CAMPAIGN_ROLES)}, "team": _s(80), "duties": _s(1000)}, ["role"])},
                "participation": {"enum": list(Participation.values)}, "eligibility": _s(1000),
                "coverage_unit": {"enum": list(CoverageUnit.values)}, "duration_days": {"type": "integer", "minimum": 1, "maximum": 730},
                "settings": _o({"counted_in_statistics": _BOOL, "public_dashboard": _BOOL, "entries_become_reports": _BOOL}, []),
            }, ["title", "fields", "entry_types", "participation", "coverage_unit", "duration_days"]), "type": ["object", "null"]},
            "playbook": _o({
                "phases": {"type": "array", "items": _o({
                    "name": _s(120), "name_en": _s(120), "start_day": day, "end_day": day, "tasks": {"type": "array", "items": _s(500)},
                }, ["name", "start_day", "end_day"])},
                "roles": {"type": "array", "items": _o({"name": _s(120), "duties": _s(1000)}, ["name"])},
                "partners": {"type": "array", "items": _o({"name": _s(200), "role": _s(500)}, ["name"])},
                "materials": {"type": "array", "items": _o({"title": _s(200), "text": _s(10_000)}, ["title"])},
            }, ["phases"]),
            "indicators": {"type": "array", "items": _o({
                "key": {"enum": list(INDICATOR_KEYS)}, "category": _s(48), "status": {"enum": ["", *REPORT_STATUSES]},
                "window_days": {"type": "integer", "minimum": 1, "maximum": 730},
            }, ["key"])},
            "evidence": _o({
                "text": _s(20_000, minLength=1), "text_en": _s(20_000),
                "figures": {"type": "array", "items": _o({
                    "label": _s(200), "label_en": _s(200), "before": {"type": ["number", "null"]}, "after": {"type": ["number", "null"]},
                    "unit": _s(40), "source": _s(500),
                }, ["label", "source"])},
                "sources": {"type": "array", "items": _s(500)},
            }, ["text"]),
            "photos": {"type": "array", "items": _o({"url": _s(500), "sha256": _s(64, pattern=SHA256.pattern), "caption": _s(300)}, ["url", "sha256"])},
        }, ["format", "format_version", "identity", "taxonomy", "workflow", "campaign", "playbook", "indicators", "evidence"]),
    }
