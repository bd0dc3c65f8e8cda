"""Every migration of the project's apps can be undone.

Statically: every operation is reversible, and one whose reverse is a no-op (a data backfill,
say) is listed below with the reason that makes the no-op right. Actually: each app with more
than one migration is migrated back to its first and forward again. `migrate <app> zero` would
drop the boundaries and every report; the round trips run inside the test's transaction instead
(PostgreSQL's DDL is transactional), so the rollback puts everything back for the other tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, migrations
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

ROOT = Path(__file__).resolve().parent.parent

# (app, migration, operation index): why undoing nothing is the right reverse.
NOOP_REVERSES = {
    ("geodata", "0002_areapiece_level", 1): "backfills the new column, which the reverse of the operation before drops",
    ("geodata", "0006_place_search_trigram", 0): "pg_trgm may serve other databases' objects too; an unused extension is harmless",
    ("reports", "0002_support_confirmed_at", 1): "backfills the new column, which the reverse of the operation before drops",
}


def _project_migrations() -> dict[tuple[str, str], migrations.Migration]:
    project = {config.label for config in apps.get_app_configs() if Path(config.path).parent == ROOT}
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {key: migration for key, migration in loader.disk_migrations.items() if key[0] in project}


def _is_noop_reverse(operation) -> bool:
    if isinstance(operation, migrations.RunSQL):
        return operation.reverse_sql in ("", [], ())
    if isinstance(operation, migrations.RunPython):
        return operation.reverse_code is migrations.RunPython.noop
    return False


def test_every_project_migration_declares_a_reverse():
    found = _project_migrations()
    assert {"geodata", "reports", "layers"} <= {app for app, _name in found}
    irreversible, unexplained = [], []
    for (app, name), migration in sorted(found.items()):
        for index, operation in enumerate(migration.operations):
            if not operation.reversible:
                irreversible.append((app, name, index, operation.describe()))
            elif _is_noop_reverse(operation) and (app, name, index) not in NOOP_REVERSES:
                unexplained.append((app, name, index, operation.describe()))
    assert not irreversible, irreversible
    assert not unexplained, f"no-op reverses without a reason in NOOP_REVERSES: {unexplained}"
    # A reason for an operation that is gone or changed is stale.
    for app, name, index in NOOP_REVERSES:
        assert _is_noop_reverse(found[app, name].operations[index]), (app, name, index)


def _leaf(app: str) -> str:
    executor = MigrationExecutor(connection)
    (leaf,) = [name for label, name in executor.loader.graph.leaf_nodes() if label == app]
    return leaf


@pytest.mark.django_db
@pytest.mark.parametrize("app", sorted({app for app, name in _project_migrations() if not name.startswith("0001")}))
def test_app_migrates_back_to_its_first_migration_and_forward(app):
    first = min(name for label, name in _project_migrations() if label == app)
    leaf = _leaf(app)
    with connection.cursor() as cursor:
        # Migrations run here inside the test's one transaction: deferred foreign-key checks left
        # pending by a data migration would block the next ALTER TABLE, so check them at once.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("migrate", app, first, verbosity=0)
    applied = MigrationExecutor(connection).loader.applied_migrations
    assert (app, first) in applied and (app, leaf) not in applied
    call_command("migrate", app, verbosity=0)
    assert (app, leaf) in MigrationExecutor(connection).loader.applied_migrations
    # The tables have every column the models expect again.
    with connection.cursor() as cursor:
        for model in apps.get_app_config(app).get_models():
            columns = {c.name for c in connection.introspection.get_table_description(cursor, model._meta.db_table)}
            assert {f.column for f in model._meta.local_concrete_fields} <= columns, model
