"""The compose file runs the worker beside the web server; the Procfile of `make run` too."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_file_has_a_worker_service():
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True, timeout=30).returncode == 0:
        done = subprocess.run(
            ["docker", "compose", "-f", str(ROOT / "docker-compose.yml"), "config", "--quiet"],
            capture_output=True, text=True, env={**os.environ, "SECRET_KEY": "x" * 40},
        )
        assert done.returncode == 0, done.stderr
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    worker = compose["services"]["worker"]
    assert worker["command"] == ["python", "manage.py", "run_worker"]
    assert worker["depends_on"]["db"] == {"condition": "service_healthy"}
    assert worker["environment"]["DATABASE_URL"] == compose["services"]["web"]["environment"]["DATABASE_URL"]
    assert "build" in worker and worker["volumes"] == compose["services"]["web"]["volumes"]


def test_procfile_serves_with_gunicorn_and_runs_the_worker():
    processes = dict(line.split(":", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line and not line.startswith("#"))
    assert "gunicorn config.wsgi:application" in processes["web"]
    assert "runserver" in processes["dev"]
    assert processes["worker"].strip() == "exec .venv/bin/python manage.py run_worker"


def test_site_url_follows_the_port_of_make_run():
    env = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "PORT", "MAKEFLAGS"}}
    show = ["make", "-s", "--no-print-directory", "-C", str(ROOT), "--eval", "print-site-url: ; @echo $(SITE_URL)", "print-site-url"]
    assert subprocess.run([*show, "PORT=8811"], capture_output=True, text=True, env=env).stdout.strip() == "http://127.0.0.1:8811"
    assert subprocess.run(show, capture_output=True, text=True, env={**env, "SITE_URL": "https://dongne.example"}).stdout.strip() == "https://dongne.example"
