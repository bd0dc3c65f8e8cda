"""The model document: canonical bytes, the round trip, the JSON Schema, and every bad document
refused with a message naming the problem and nothing created."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest

from core.errors import DomainError, ErrorCode
from standard_models.documents import document_bytes, document_clean, document_json_schema
from standard_models.models import ModelVersion, StandardModel
from standard_models.services import model_export, model_import


def test_export_import_export_is_byte_for_byte_identical(published):
    first = model_export(version=published)
    StandardModel.objects.all().delete()  # a fresh installation: only the boundaries are shared
    imported = model_import(actor=None, raw=first)
    assert model_export(version=imported) == first
    assert imported.model.status == "published" and imported.number == 1
    # Canonical: sorted keys, compact separators, UTF-8 (Korean unescaped), one final newline.
    assert first.endswith(b"}\n") and b'", "' not in first and "무장애".encode() in first
    assert document_bytes(json.loads(first)) == first


def test_exported_document_matches_its_json_schema(published):
    document = json.loads(model_export(version=published))
    jsonschema.Draft202012Validator.check_schema(document_json_schema())
    jsonschema.Draft202012Validator(document_json_schema()).validate(document)


def test_fidelity_list_survives_the_round_trip(published):
    StandardModel.objects.all().delete()
    document = model_import(actor=None, raw=model_export(version=published)).document
    fields = document["campaign"]["fields"]
    assert [f["key"] for f in fields] == ["entrance", "door_width", "note", "photo", "contact"]  # field order
    entrance = fields[0]
    assert [(v["key"], v["name"], v["name_en"]) for v in entrance["values"]] == [
        ("flat", "턱 없음", "Level"), ("step", "계단·턱", "Step or stairs"), ("ramp", "경사로", "Ramp")]  # choices, translations
    assert entrance["help"] == "문 앞의 턱이나 계단을 보고 고르세요." and entrance["help_en"].startswith("Look")  # help texts
    assert entrance["locked"] and fields[1]["locked"] and not fields[2]["locked"]
    assert [f["public"] for f in fields] == [True, True, True, True, False]
    question = document["taxonomy"]["categories"][0]["questions"][0]
    assert question["help"] == "가장 가까운 것을 고르세요." and question["description_en"] == "What is the problem?"
    assert document["campaign"]["settings"] == {"counted_in_statistics": False, "public_dashboard": True, "entries_become_reports": True}
    assert document["campaign"]["participation"] == "invited" and document["campaign"]["eligibility"].startswith("만 14세")
    assert [r["role"] for r in document["campaign"]["roles"]] == ["organiser", "validator", "mapper"]  # permissions
    assert [(p["name"], p["start_day"], p["end_day"]) for p in document["playbook"]["phases"]] == [
        ("준비", -30, -1), ("조사", 0, 29), ("개선", 30, 120)]
    assert document["campaign"]["entry_types"][0] == {"key": "shop", "label": "가게 입구", "label_en": "Shop entrance",
                                                      "colour": "#1f78b4", "icon": "♿"}  # map style
    assert document["workflow"] == [{"category": "step-free-access", "sla_days": 14, "department": "장애인복지과",
                                     "statuses": ["submitted", "acknowledged", "in_progress", "closed"]}]


def _bad(published, mutate) -> DomainError:
    document = json.loads(model_export(version=published))
    StandardModel.objects.all().delete()
    mutate(document)
    before = (StandardModel.objects.count(), ModelVersion.objects.count())
    with pytest.raises(DomainError) as caught:
        model_import(actor=None, raw=json.dumps(document).encode())
    assert (StandardModel.objects.count(), ModelVersion.objects.count()) == before == (0, 0)
    return caught.value


def test_missing_parts_are_named(published):
    error = _bad(published, lambda d: (d.pop("taxonomy"), d["campaign"].pop("fields")))
    assert error.code == ErrorCode.INVALID_MODEL_DOCUMENT
    assert "taxonomy" in error.message and set(error.fields) >= {"taxonomy", "campaign.fields"}


def test_unknown_format_version(published):
    error = _bad(published, lambda d: d.update(format_version=2))
    assert error.code == ErrorCode.UNKNOWN_FORMAT_VERSION and "2" in error.message


def test_unknown_datatype(published):
    error = _bad(published, lambda d: d["campaign"]["fields"][1].update(datatype="colour"))
    assert error.code == ErrorCode.UNKNOWN_DATATYPE
    assert "campaign.fields[1].datatype" in error.message and "colour" in error.message


def test_conflicting_category_code(published):
    def twice(document):
        document["taxonomy"]["categories"].append(copy.deepcopy(document["taxonomy"]["categories"][0]))
    error = _bad(published, twice)
    assert error.code == ErrorCode.CATEGORY_CODE_CONFLICT and "step-free-access" in error.message


@pytest.mark.parametrize(("mutate", "path"), [
    (lambda d: d["identity"].update(slug="Not A Slug"), "identity.slug"),
    (lambda d: d["identity"].update(slug="import"), "identity.slug"),
    (lambda d: d["identity"].update(origin_government="99999"), "identity.origin_government"),
    (lambda d: d["evidence"].update(text="https://example.org/case"), "evidence.text"),
    (lambda d: d["indicators"].append({"key": "eval('code')"}), "indicators[3].key"),
    (lambda d: d["campaign"]["fields"][0].update(values=[]), "campaign.fields[0].values"),
    (lambda d: d["playbook"]["phases"][0].update(end_day=-40), "playbook.phases[0].end_day"),
    (lambda d: d["workflow"].clear(), "workflow"),
    (lambda d: d["photos"][0].update(sha256="abc"), "photos[0].sha256"),
    (lambda d: d.update(extra={}), "extra"),
])
def test_other_bad_documents_name_the_problem(published, mutate, path):
    error = _bad(published, mutate)
    assert path in error.fields or path in error.message, (error.message, error.fields)


def test_unreadable_input_is_a_clear_error(db):
    for raw in (b"\xff\xfe", b"{not json", b"[]", b"PK\x03\x04broken zip"):
        with pytest.raises(DomainError) as caught:
            model_import(actor=None, raw=raw)
        assert caught.value.code == ErrorCode.INVALID_MODEL_DOCUMENT
    assert StandardModel.objects.count() == 0


def test_clean_is_idempotent(published):
    document = published.document
    assert document_clean(copy.deepcopy(document)) == document
