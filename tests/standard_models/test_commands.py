"""export_model, import_model and adopt_model, as an operator runs them."""

from __future__ import annotations

import hashlib
import json
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from reports.models import Category
from standard_models.models import Adoption, StandardModel
from tests.factories import UserFactory

RAMP = b"\xff\xd8 a photo of a ramp \xff\xd9"


def test_export_then_import_after_emptying_the_tables_is_byte_identical(published, tmp_path):
    first = tmp_path / "first.json"
    call_command("export_model", "suwon-barrier-free", "--output", str(first))
    StandardModel.objects.all().delete()
    call_command("import_model", str(first))
    second = tmp_path / "second.json"
    call_command("export_model", "suwon-barrier-free", "--output", str(second))
    assert first.read_bytes() == second.read_bytes()


def test_bundle_carries_the_photos_checked_by_sha256(published, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    document = published.document
    document["identity"]["version"] = 2
    document["photos"] = [{"url": "/media/models/ramp.jpg", "sha256": hashlib.sha256(RAMP).hexdigest(), "caption": "경사로"},
                          {"url": "https://example.org/elsewhere.jpg", "sha256": "b" * 64, "caption": ""}]
    default_storage.save("models/ramp.jpg", ContentFile(RAMP))
    source = tmp_path / "v2.json"
    source.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    call_command("import_model", str(source))
    bundle = tmp_path / "model.zip"
    call_command("export_model", "suwon-barrier-free", "--bundle", "--output", str(bundle))
    with zipfile.ZipFile(bundle) as archive:
        assert sorted(archive.namelist()) == ["model.json", f"photos/{hashlib.sha256(RAMP).hexdigest()}"]
        exported = archive.read("model.json")
    # Into a fresh installation (no photo yet): the photo is restored, the document is the same bytes.
    StandardModel.objects.all().delete()
    default_storage.delete("models/ramp.jpg")
    call_command("import_model", str(bundle))
    with default_storage.open("models/ramp.jpg", "rb") as handle:
        assert handle.read() == RAMP
    out = tmp_path / "again.json"
    call_command("export_model", "suwon-barrier-free", "--output", str(out))
    assert out.read_bytes() == exported


def test_import_names_the_problem_of_a_bad_file(db, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "dongne-standard-model", "format_version": 7}))
    with pytest.raises(CommandError, match="unknown_format_version"):
        call_command("import_model", str(bad))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_model", str(tmp_path / "missing.json"))
    assert not StandardModel.objects.exists()


def test_adopt_model_command(published, capsys):
    UserFactory(username="root", is_superuser=True, is_staff=True)
    call_command("adopt_model", "suwon-barrier-free", "--government", "35010", "--start", "2026-12-01")
    adoption = Adoption.objects.get()
    assert adoption.government.code == "35010" and str(adoption.starts_on) == "2026-12-01"
    assert Category.objects.filter(code="step-free-access-35010").exists()
    assert "step-free-access-35010" in capsys.readouterr().out
    with pytest.raises(CommandError, match="already_adopted"):
        call_command("adopt_model", "suwon-barrier-free", "--government", "35010", "--start", "2026-12-01")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("adopt_model", "suwon-barrier-free", "--government", "35010", "--start", "first of May")
