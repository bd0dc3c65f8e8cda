"""An export imported into a fresh installation exports byte for byte the same: a database of its
own, cloned from the test template (migrations and boundaries, no data), and the operator's
commands run in separate processes against it."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection

from tests.conftest import ROOT, TEMPLATE, _admin_connection

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh_installation(django_db_setup):
    """A factory of fresh installations: each call clones the template into a database named for
    this worker (pytest-xdist runs one process a worker) and returns its DATABASE_URL; all are dropped after."""
    settings_dict = connection.settings_dict
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    created = []

    def make() -> str:
        name = f"{TEMPLATE['base']}_fresh_{worker}_{os.getpid()}_{len(created)}"
        admin = _admin_connection(settings_dict)
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            # As conftest clones it: one clone of the template at a time.
            cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", [TEMPLATE["name"]])
            try:
                cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE["name"]}"')
            finally:
                cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [TEMPLATE["name"]])
        admin.close()
        created.append(name)
        user = quote(settings_dict["USER"] or "")
        password = f":{quote(settings_dict['PASSWORD'])}" if settings_dict["PASSWORD"] else ""
        return f"postgresql://{user}{password}@{settings_dict['HOST'] or 'localhost'}:{settings_dict['PORT'] or 5432}/{name}"

    yield make
    admin = _admin_connection(settings_dict)
    with admin.cursor() as cursor:
        for name in created:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def manage(database_url: str, *args: str) -> subprocess.CompletedProcess:
    """manage.py in its own process, as an operator runs it on the other installation."""
    env = {**os.environ, "DATABASE_URL": database_url}
    result = subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env, capture_output=True, timeout=300)
    assert result.returncode == 0, result.stderr.decode()
    return result


def test_an_export_imported_into_a_fresh_installation_exports_the_same_bytes(published, tmp_path: Path, fresh_installation):
    original = tmp_path / "original.json"
    call_command("export_model", "suwon-barrier-free", "--output", str(original))
    fresh = fresh_installation()
    assert fresh.rsplit("/", 1)[1] != connection.settings_dict["NAME"]
    manage(fresh, "import_model", str(original))
    again = tmp_path / "again.json"
    manage(fresh, "export_model", "suwon-barrier-free", "--output", str(again))
    assert again.read_bytes() == original.read_bytes()
    # The fresh installation had nothing of ours: no model, no campaign, no category of 수원시.
    listing = manage(fresh, "shell", "-v", "0", "-c", "from campaigns.models import Campaign; from standard_models.models import StandardModel; "
                     "print(StandardModel.objects.count(), Campaign.objects.count())").stdout.decode().split()
    assert listing == ["1", "0"]


def test_a_bundle_imported_into_a_fresh_installation_carries_the_same_document(published, tmp_path: Path, fresh_installation):
    bundle = tmp_path / "original.zip"
    call_command("export_model", "suwon-barrier-free", "--bundle", "--output", str(bundle))
    fresh = fresh_installation()
    manage(fresh, "import_model", str(bundle))
    again = tmp_path / "again.zip"
    manage(fresh, "export_model", "suwon-barrier-free", "--bundle", "--output", str(again))
    with zipfile.ZipFile(io.BytesIO(bundle.read_bytes())) as first, zipfile.ZipFile(io.BytesIO(again.read_bytes())) as second:
        assert second.read("model.json") == first.read("model.json") == published.document_text.encode()
        assert second.namelist() == first.namelist()
