"""Test database: migrated and loaded with the real KOSTAT 2018 boundaries once, then cloned.

The first run builds a template database (migrations + boundary import) named after a hash of
what shapes it; later runs clone it in a second. Transactional and live-server tests end with
Django flushing every table, so the boundaries are restored from snapshot tables that Django
does not know about (and so never flushes).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from pytest_django.fixtures import validate_django_db
from pytest_django.plugin import blocking_manager_key

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
KOSTAT_2018 = Path(os.environ.get("TEST_BOUNDARIES", SHARED / "data" / "kostat-2018"))
OPEN311_SCHEMAS = SHARED / "data" / "open311-georeport-v2"
SNAPSHOT_TABLES = [
    "geodata_vintage", "geodata_area", "geodata_areaboundary", "geodata_areacodealias", "geodata_areapiece",
]


# The template of this run's test databases (migrations and boundaries, no data), for tests that
# need a fresh installation of their own (tests/standard_models/test_fresh_install.py).
TEMPLATE: dict[str, str] = {}


def _fingerprint() -> str:
    digest = hashlib.sha1()
    shaping = sorted(ROOT.glob("*/migrations/*.py")) + [
        ROOT / "geodata" / name for name in ("importer.py", "changes.py", "boundary_changes.csv")
    ] + [ROOT / "config" / "settings.py"]
    for path in shaping:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for path in sorted(KOSTAT_2018.glob("*")):
        digest.update(f"{path.name}:{path.stat().st_size}".encode())
    return digest.hexdigest()[:12]


def _admin_connection(settings_dict: dict):
    return psycopg.connect(
        dbname="postgres",
        user=settings_dict["USER"] or None,
        password=settings_dict["PASSWORD"] or None,
        host=settings_dict["HOST"] or None,
        port=settings_dict["PORT"] or None,
        autocommit=True,
    )


def terminate_own_connection() -> int:
    """Kill Django's current database session from outside, as a restart or failover does; returns its pid."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    admin = _admin_connection(connection.settings_dict)
    with admin.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    admin.close()
    return pid


def _database_exists(cursor, name: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    return cursor.fetchone() is not None


@pytest.fixture(scope="session")
def django_db_setup(django_db_blocker):
    from django.core.management import call_command
    from django.db import connection, connections

    base_name = connection.settings_dict["NAME"]
    # One test database per run, so several runs against one cluster never collide.
    test_name = f"test_{base_name}_{os.getpid()}"
    template = f"{base_name}_tpl_{_fingerprint()}"
    TEMPLATE.update(name=template, base=base_name)
    with django_db_blocker.unblock():
        admin = _admin_connection(connection.settings_dict)
        with admin.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", [template])
            if not _database_exists(cursor, template):
                _drop_stale(cursor, f"{base_name}_tpl_%")
                cursor.execute(f'CREATE DATABASE "{test_name}"')
                _use_database(connections, test_name)
                call_command("migrate", verbosity=0, interactive=False)
                call_command("import_boundaries", str(KOSTAT_2018), verbosity=0)
                with connection.cursor() as tc:
                    for table in SNAPSHOT_TABLES:
                        tc.execute(f"CREATE TABLE keep_{table} AS TABLE {table}")
                connections.close_all()
                cursor.execute(f'CREATE DATABASE "{template}" TEMPLATE "{test_name}"')
            else:
                cursor.execute(f'CREATE DATABASE "{test_name}" TEMPLATE "{template}"')
                _use_database(connections, test_name)
            cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [template])
        admin.close()
    yield
    with django_db_blocker.unblock():
        connections.close_all()
        admin = _admin_connection(connection.settings_dict)
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{test_name}" WITH (FORCE)')
        admin.close()


def _drop_stale(cursor, pattern: str) -> None:
    """Templates of older migrations; one still being cloned by another run is left alone."""
    cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [pattern])
    for (stale,) in cursor.fetchall():
        try:
            cursor.execute(f'DROP DATABASE IF EXISTS "{stale}"')
        except psycopg.Error:
            pass


def _use_database(connections, name: str) -> None:
    for alias in connections:
        connections[alias].close()
        connections[alias].settings_dict["NAME"] = name
    settings.DATABASES["default"]["NAME"] = name


def _is_transactional(item: pytest.Item) -> bool:
    if {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())):
        return True
    marker = item.get_closest_marker("django_db")
    return marker is not None and validate_django_db(marker)[0]  # (transaction, reset_sequences, ...)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test Django has truncated every table: put the boundaries back, and
    empty procrastinate's queue.

    A hook rather than a fixture, so it runs after pytest-django's flush whatever the fixture order.
    """
    yield
    # After the last test the session fixtures are gone too, the test database with them.
    if nextitem is None or not _is_transactional(item):
        return
    from django.db import connection

    with item.config.stash[blocking_manager_key].unblock(), connection.cursor() as cursor:
        # procrastinate's tables are not Django-managed, so the flush left the test's jobs behind.
        cursor.execute("TRUNCATE procrastinate_jobs, procrastinate_workers CASCADE")
        cursor.execute("SELECT count(*) FROM geodata_area")
        if cursor.fetchone()[0]:
            return
        for table in SNAPSHOT_TABLES:
            cursor.execute(f"INSERT INTO {table} SELECT * FROM keep_{table}")


@pytest.fixture(autouse=True)
def _offline_basemap(settings):
    # Pages must not reach the internet in tests: serve no basemap tiles.
    settings.BASEMAP_TILE_URL = ""


@pytest.fixture
def deliver_mail(mailoutbox):
    """Run the worker's due jobs now, in this thread; returns Django's in-memory outbox.

    Emails are queued in the outbox (notifications.outbox) with the change that causes them and
    leave only through the worker's jobs, so a test runs them before it reads `mailoutbox`.
    """
    from notifications.worker import jobs_run_here

    def deliver():
        jobs_run_here()
        return mailoutbox

    return deliver


class DeliveringOutbox(list):
    """Django's in-memory outbox that runs the worker's delivery pass whenever a test reads it.

    Messages are queued in the database with the change that causes them and leave only through
    the worker's jobs; reading the outbox in a test runs the due jobs first, in this thread, as the
    worker would a moment later. Tests that want to control delivery use `deliver_mail`.
    """

    _delivering = False

    def _deliver(self) -> None:
        if DeliveringOutbox._delivering:
            return
        from notifications.worker import jobs_run_here

        DeliveringOutbox._delivering = True
        try:
            jobs_run_here()
        except RuntimeError:  # a test without database access has nothing queued
            pass
        finally:
            DeliveringOutbox._delivering = False

    def _reading(name):  # noqa: N805 - builds the read methods below
        def method(self, *args, **kwargs):
            self._deliver()
            return getattr(list, name)(self, *args, **kwargs)

        return method

    for _name in ("__getitem__", "__iter__", "__len__", "__contains__", "__eq__", "__repr__", "index", "count", "copy"):
        locals()[_name] = _reading(_name)
    del _name, _reading

    def __bool__(self) -> bool:
        return len(self) > 0

    def clear(self) -> None:
        # Forget everything sent so far, the messages still queued included.
        self._deliver()
        list.clear(self)


@pytest.fixture(autouse=True)
def _delivering_outbox():
    from django.core import mail

    mail.outbox = DeliveringOutbox()
    yield
CELL_TRIGGERS = "layers_reportcell_insert, layers_reportcell_update, layers_reportcell_delete"


@pytest.fixture(autouse=True)
def _report_cells_at_statement_end(request):
    """The map's cell counts are upserted at commit (deferred triggers, layers migration 0003), and a
    test's transaction never commits: count at the end of each statement instead, as before."""
    if request.node.get_closest_marker("django_db") is None and "db" not in request.fixturenames:
        return
    if _is_transactional(request.node):
        return  # every statement commits on its own there
    request.getfixturevalue("db")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SET CONSTRAINTS {CELL_TRIGGERS} IMMEDIATE")
