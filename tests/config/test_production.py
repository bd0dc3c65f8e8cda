"""Production as deployed: the compose file's environment, `check --deploy`, static files without DEBUG."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from tests.config.test_settings import GOOD_KEY, SETTINGS_VARIABLES

ROOT = Path(__file__).resolve().parents[2]
# The variables an operator must give `docker compose`, with test values.
REQUIRED = {"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "dongne.example.kr", "SITE_URL": "https://dongne.example.kr"}
PRODUCTION = {"DONGNE_ENV": "production", **REQUIRED, "DATABASE_URL": "postgresql://dongne:secret@db.invalid:5432/dongne"}
VARIABLE = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:\?|:-)(?P<arg>[^}]*))?\}")


def _run(code: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    # Browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment never has it.
    dropped = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES and k not in dropped}
    environment.update({"DJANGO_SETTINGS_MODULE": "config.settings", **env})
    command = [sys.executable, "-c", code] if code else [sys.executable, *args]
    return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=180)


def _compose_environment(given: dict[str, str]) -> dict[str, str]:
    """The `web` service's environment as docker compose would substitute it."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    missing = []

    def substitute(match: re.Match) -> str:
        name, op, arg = match["name"], match["op"], match["arg"]
        if given.get(name):
            return given[name]
        if op == ":?":
            missing.append(name)
            return ""
        return arg or ""

    environment = {key: VARIABLE.sub(substitute, str(value)) for key, value in compose["services"]["web"]["environment"].items()}
    return environment, missing


def test_compose_requires_the_production_variables():
    _env, missing = _compose_environment({})
    assert set(missing) == {"SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL"}


def test_compose_web_service_runs_in_production_with_debug_off():
    environment, missing = _compose_environment(REQUIRED)
    assert not missing
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'debug': s.DEBUG, 'production': s.PRODUCTION, 'middleware': s.MIDDLEWARE, "
        "'ssl_redirect': s.SECURE_SSL_REDIRECT, 'hsts': s.SECURE_HSTS_SECONDS, 'site': s.SITE_URL, "
        "'proxy_header': getattr(s, 'SECURE_PROXY_SSL_HEADER', None), "
        "'static': s.STORAGES['staticfiles']['BACKEND']}))"
    )
    result = _run(code, environment)
    assert result.returncode == 0, result.stderr[-2000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["debug"] is False and seen["production"] is True
    assert seen["site"] == "https://dongne.example.kr" and seen["ssl_redirect"] is True and seen["hsts"] >= 31_536_000
    assert seen["proxy_header"] is None  # no proxy is trusted unless TRUSTED_PROXY_HOPS says so
    security = seen["middleware"].index("django.middleware.security.SecurityMiddleware")
    assert seen["middleware"][security + 1] == "whitenoise.middleware.WhiteNoiseMiddleware"
    assert seen["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"

    behind_proxy, _ = _compose_environment({**REQUIRED, "TRUSTED_PROXY_HOPS": "1"})
    result = _run(code, behind_proxy)
    assert json.loads(result.stdout.strip().splitlines()[-1])["proxy_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_check_deploy_reports_no_warnings_with_the_documented_production_variables():
    result = _run("", PRODUCTION, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_without_https():
    result = _run("", {**PRODUCTION, "SITE_URL": "http://dongne.example.kr"}, "manage.py", "check", "--deploy")
    assert "security.W004" in result.stderr and "security.W008" in result.stderr


def test_static_files_are_served_with_debug_off(tmp_path):
    """The image's collectstatic, then a request answered by WhiteNoise: no DEBUG, no web server in front."""
    env = {**PRODUCTION, "ALLOWED_HOSTS": "testserver", "STATIC_ROOT": str(tmp_path / "static")}
    collected = _run("", env, "manage.py", "collectstatic", "--noinput", "-v0")
    assert collected.returncode == 0, collected.stderr[-3000:]
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    hashed = manifest["dongne/site.css"]
    code = (
        "import django, sys; django.setup(); from django.test import Client; "
        f"r = Client().get('/static/{hashed}', secure=True); "
        "print(r.status_code, r.headers.get('Cache-Control', ''), r.headers.get('Content-Type', ''), sep='|')"
    )
    result = _run(code, env)
    assert result.returncode == 0, result.stderr[-2000:]
    status, cache_control, content_type = result.stdout.strip().split("|")
    assert status == "200" and "max-age=315360000" in cache_control and content_type.startswith("text/css")
