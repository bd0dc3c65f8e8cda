"""Settings fail fast in production without a real secret key and host list."""

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k3y-" + "x7Qp9vR2sT4uW6yZ8aB1cD3eF5gH7jK9" * 2
# Environment variables the settings read; the subprocess gets none of them unless a case sets them.
SETTINGS_VARIABLES = {
    "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DONGNE_ENV", "DATABASE_URL", "SECURE_COOKIES", "SITE_URL", "TRUSTED_PROXY_HOPS",
}
SITE = "https://dongne.kr"


def _django_setup(**env: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        # Any URL: settings never connect at import.
        DATABASE_URL="postgresql://dongne:secret@db.invalid:5432/dongne",
        **env,
    )
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('ready')"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60,
    )


CASES = {
    "no secret key": ({"DONGNE_ENV": "production", "ALLOWED_HOSTS": "dongne.kr", "SITE_URL": SITE}, "Production needs SECRET_KEY"),
    "empty secret key": ({"DONGNE_ENV": "production", "SECRET_KEY": "", "ALLOWED_HOSTS": "dongne.kr", "SITE_URL": SITE},
                         "Production needs SECRET_KEY"),
    "short key": ({"DONGNE_ENV": "production", "SECRET_KEY": "short-key", "ALLOWED_HOSTS": "dongne.kr", "SITE_URL": SITE},
                  "Production needs SECRET_KEY"),
    "development key": ({"DONGNE_ENV": "production", "SECRET_KEY": "dev-only-insecure-key-do-not-use-in-production",
                         "ALLOWED_HOSTS": "dongne.kr", "SITE_URL": SITE}, "Production needs SECRET_KEY"),
    "no allowed hosts": ({"DONGNE_ENV": "production", "SECRET_KEY": GOOD_KEY}, "Production needs ALLOWED_HOSTS"),
    "blank allowed hosts": ({"DONGNE_ENV": "production", "SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": " , "},
                            "Production needs ALLOWED_HOSTS"),
    "debug on": ({"DONGNE_ENV": "production", "SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "dongne.kr", "SITE_URL": SITE, "DEBUG": "1"},
                 "DEBUG must be off in production"),
    "no site url": ({"DONGNE_ENV": "production", "SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "dongne.kr"}, "Production needs SITE_URL"),
    "relative site url": ({"DONGNE_ENV": "production", "SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "dongne.kr", "SITE_URL": "dongne.kr"},
                          "SITE_URL must be an absolute http(s) address"),
    "ftp site url": ({"SITE_URL": "ftp://dongne.kr"}, "SITE_URL must be an absolute http(s) address"),
    "negative proxy hops": ({"TRUSTED_PROXY_HOPS": "-1"}, "TRUSTED_PROXY_HOPS must be 0 or more"),
    "unknown environment": ({"DONGNE_ENV": "staging"}, "DONGNE_ENV must be 'development' or 'production'"),
    "bad boolean": ({"DEBUG": "maybe"}, "DEBUG must be a boolean"),
    "production ready": ({"DONGNE_ENV": "production", "SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "dongne.kr", "SITE_URL": SITE}, None),
    "development defaults": ({}, None),
}


@pytest.fixture(scope="module")
def outcomes() -> dict[str, subprocess.CompletedProcess]:
    """Each case in its own interpreter, a few at a time (each takes a second or two)."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {name: pool.submit(_django_setup, **env) for name, (env, _message) in CASES.items()}
        return {name: future.result() for name, future in futures.items()}


@pytest.mark.parametrize("case", CASES)
def test_settings(case, outcomes):
    result = outcomes[case]
    _env, message = CASES[case]
    if message is None:
        assert result.returncode == 0, result.stderr[-2000:]
        assert result.stdout.strip() == "ready"
    else:
        assert result.returncode != 0
        assert "ImproperlyConfigured" in result.stderr
        assert message in result.stderr
        assert "ready" not in result.stdout
