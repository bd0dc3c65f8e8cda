"""The BASEMAP setting: osm, vworld (with its key) or none; settings start in a subprocess."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VARIABLES = {"BASEMAP", "VWORLD_KEY", "BASEMAP_TILE_URL", "BASEMAP_ATTRIBUTION", "DONGNE_ENV", "DATABASE_URL"}


def basemap_url(**env: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key not in VARIABLES}
    environment.update(DJANGO_SETTINGS_MODULE="config.settings", DATABASE_URL="postgresql://d:s@db.invalid:5432/d", **env)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; print(repr(settings.BASEMAP_TILE_URL))"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60,
    )


@pytest.mark.parametrize(("env", "expected"), [
    ({}, "'https://tile.openstreetmap.org/{z}/{x}/{y}.png'"),
    ({"BASEMAP": "vworld", "VWORLD_KEY": "ABC-123"}, "'https://api.vworld.kr/req/wmts/1.0.0/ABC-123/Base/{z}/{y}/{x}.png'"),
    ({"BASEMAP": "none"}, "''"),
    ({"BASEMAP": "none", "BASEMAP_TILE_URL": "https://tiles.example.go.kr/{z}/{x}/{y}.png"}, "'https://tiles.example.go.kr/{z}/{x}/{y}.png'"),
])
def test_basemap_choices(env, expected):
    result = basemap_url(**env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


@pytest.mark.parametrize(("env", "message"), [
    ({"BASEMAP": "vworld"}, "BASEMAP=vworld needs VWORLD_KEY"),
    ({"BASEMAP": "google"}, "BASEMAP must be 'osm', 'vworld' or 'none'"),
])
def test_bad_basemap_settings_refuse_to_start(env, message):
    result = basemap_url(**env)
    assert result.returncode != 0 and message in result.stderr
