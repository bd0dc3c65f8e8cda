"""Abuse limits, measured the way the probe did it: `python bench/abuse.py` (not a test).

In a throwaway database (a clone of the test template that `pytest` builds, or migrated and
loaded with the boundaries when there is none) it drives the site through Django's test client
and the domain services, with the default settings:
- how many reports one signed-in account files in an hour (30 tries), and how many are public
  at once for a new, unconfirmed account;
- how many wrong passwords are taken before the lockout, and whether the right one then works;
- how many password-reset emails one address gets from 10 requests in a row, and how many
  accounts one client address creates from 10 sign-ups;
- how many email-only supports count before their link is opened;
- `manage.py check --deploy` warnings with the documented production variables (https SITE_URL),
  and with an http SITE_URL for contrast.
Prints a table and writes it to bench/results/abuse.md.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
RESULTS = ROOT / "bench" / "results" / "abuse.md"
TRIES = 30
PASSWORD = "correct horse battery staple"
PRODUCTION = {
    "DONGNE_ENV": "production",
    "SECRET_KEY": "bench-" + "x7Qp9vR2sT4uW6yZ8aB1cD3eF5gH7jK9",
    "ALLOWED_HOSTS": "dongne.example.kr",
    "SITE_URL": "https://dongne.example.kr",
}


def deploy_warnings(site_url: str) -> int:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "TRUSTED_PROXY_HOPS", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update({**PRODUCTION, "SITE_URL": site_url})
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    if "no issues" in result.stdout:
        return 0
    found = re.search(r"System check identified (\d+) issue", result.stdout + result.stderr)
    if not found:
        raise RuntimeError(result.stdout[-2000:] + result.stderr[-2000:])
    return int(found.group(1)) - 1 if "1 silenced" in result.stdout + result.stderr else int(found.group(1))


def throwaway_database():
    """Point Django at a fresh database with the boundaries; returns a function that drops it."""
    from django.core.management import call_command
    from django.db import connection, connections

    from tests.conftest import KOSTAT_2018, _admin_connection, _database_exists, _fingerprint, _use_database

    base = connection.settings_dict["NAME"]
    name, template = f"{base}_bench_abuse", f"{base}_tpl_{_fingerprint()}"
    admin = _admin_connection(connection.settings_dict)
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if _database_exists(cursor, template):
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            _use_database(connections, name)
        else:
            cursor.execute(f'CREATE DATABASE "{name}"')
            _use_database(connections, name)
            call_command("migrate", verbosity=0, interactive=False)
            call_command("import_boundaries", str(KOSTAT_2018), verbosity=0)

    def drop() -> None:
        connections.close_all()
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    return drop


def measure() -> list[tuple[str, str, str]]:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core import mail
    from django.test import Client

    from core.errors import DomainError
    from notifications.worker import jobs_run_here
    from reports.models import Category, Report, Support
    from reports.services import report_create, report_support

    rows = []
    category = Category.objects.create(code="bench-pothole", name="포트홀", name_en="Pothole", group="도로")
    point = (126.9768, 37.5759)

    user = get_user_model().objects.create_user("bench-resident", "resident@example.kr", PASSWORD)
    filed = 0
    for _ in range(TRIES):
        try:
            report_create(category=category, lon=point[0], lat=point[1], description="보도블록이 깨져 있어요", reporter=user)
            filed += 1
        except DomainError as exc:
            assert exc.code == "rate_limited", exc.code
    rows.append(("reports one account files in an hour", f"{filed} of {TRIES}", f"≤ REPORTS_PER_ACCOUNT_PER_HOUR ({settings.REPORTS_PER_ACCOUNT_PER_HOUR})"))

    client = Client()
    client.post("/accounts/signup/", {
        "username": "bench-new", "email": "new@example.kr", "password1": "a-Long-pass-9911", "password2": "a-Long-pass-9911", "consent": "on",
    })
    newcomer = get_user_model().objects.get(username="bench-new")
    for _ in range(15):
        report_create(category=category, lon=point[0], lat=point[1], description="신규 계정", reporter=newcomer)
    public = Report.objects.public().filter(reporter=newcomer).count()
    rows.append(("a new account's 15 reports public before its email is confirmed", str(public), "0 (the probe: 15)"))

    get_user_model().objects.create_user("bench-walker", "walker@example.kr", PASSWORD)
    client = Client()
    attempts = 0
    for _ in range(TRIES):
        attempts += 1
        if client.post("/accounts/login/", {"username": "bench-walker", "password": "wrong"}).status_code == 429:
            break
    right = client.post("/accounts/login/", {"username": "bench-walker", "password": PASSWORD}).status_code
    rows.append(("wrong passwords until the lockout (the last one answers 429)", str(attempts), f"AXES_FAILURE_LIMIT ({settings.AXES_FAILURE_LIMIT}); the probe: 30, then the right one accepted"))
    rows.append(("the right password just after", "refused (429)" if right == 429 else f"HTTP {right}", "refused for AXES_COOLOFF_MINUTES"))

    mail.outbox = []
    client = Client(REMOTE_ADDR="198.51.100.20")
    for _ in range(10):
        client.post("/accounts/password/reset/", {"email": "walker@example.kr"})
    jobs_run_here()  # what the worker would send
    resets = len([m for m in mail.outbox if "walker@example.kr" in m.to])
    rows.append(("reset emails to one address from 10 requests", str(resets), f"PASSWORD_RESETS_PER_ADDRESS_PER_HOUR ({settings.PASSWORD_RESETS_PER_ADDRESS_PER_HOUR}); the probe: 10"))

    client = Client(REMOTE_ADDR="198.51.100.30")
    for n in range(10):
        client.post("/accounts/signup/", {
            "username": f"bench-s{n}", "email": f"s{n}@example.kr", "password1": "a-Long-pass-9911", "password2": "a-Long-pass-9911", "consent": "on",
        })
        client.post("/accounts/logout/")
    signups = get_user_model().objects.filter(username__startswith="bench-s").count()
    rows.append(("accounts one client address creates from 10 sign-ups", str(signups), f"SIGNUPS_PER_IP_PER_HOUR ({settings.SIGNUPS_PER_IP_PER_HOUR})"))

    report = Report.objects.public().filter(reporter=user).first()
    for n in range(5):
        report_support(report=report, email=f"fan{n}@example.kr")
    report.refresh_from_db()
    rows.append(("email-only supports counted before their link is opened", f"{report.support_count} of {Support.objects.filter(report=report).count()}", "0 (the probe: all)"))
    return rows


def main() -> None:
    import django
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()  # locmem email, testserver host
    drop = throwaway_database()
    try:
        rows = measure()
    finally:
        drop()
    rows.append(("`check --deploy` warnings, documented production variables (https SITE_URL)", str(deploy_warnings(PRODUCTION["SITE_URL"])), "0"))
    rows.append(("`check --deploy` warnings, same with an http SITE_URL", str(deploy_warnings("http://dongne.example.kr")), "(no HSTS, no SSL redirect)"))
    table = ["| what | measured | limit / aim |", "| --- | ---: | --- |", *[f"| {a} | {b} | {c} |" for a, b, c in rows]]
    text = "\n".join(table) + "\n"
    print(text)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)


if __name__ == "__main__":
    main()
