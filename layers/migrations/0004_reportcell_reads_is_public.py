"""The cell counts read reports_report.is_public, the generated column that defines "public" once.

Until now the trigger function, its WHEN clause and the rebuild spelled the rule out again in SQL
(confirmed, not hidden); they now read the column the ORM filters on, so the two cannot disagree.
"""

import importlib

from django.db import migrations

previous = importlib.import_module("layers.migrations.0003_reportcell_sorted_locks")

# 0003's functions and triggers, with each spelled-out rule replaced by the column.
RULES = [
    ("OLD.confirmed_at IS NOT NULL AND NOT OLD.is_hidden", "OLD.is_public"),
    ("NEW.confirmed_at IS NOT NULL AND NOT NEW.is_hidden", "NEW.is_public"),
    ("WHERE confirmed_at IS NOT NULL AND NOT is_hidden", "WHERE is_public"),
    (
        "(OLD.confirmed_at IS NULL) <> (NEW.confirmed_at IS NULL)\n        OR OLD.is_hidden IS DISTINCT FROM NEW.is_hidden",
        "OLD.is_public IS DISTINCT FROM NEW.is_public",
    ),
]
FORWARD = previous.FORWARD
for old, new in RULES:
    assert old in FORWARD, old  # 0003 changed: update this migration's rules
    FORWARD = FORWARD.replace(old, new)


class Migration(migrations.Migration):
    dependencies = [("layers", "0003_reportcell_sorted_locks"), ("reports", "0003_report_is_public")]

    operations = [migrations.RunSQL(FORWARD, previous.FORWARD)]
