"""The cell counts read reports_report.is_public, the generated column that defines "public" once.

Until now the trigger and the rebuild spelled the rule out again in SQL (confirmed, not hidden);
they now read the column the ORM filters on, so the two can never disagree.
"""

import importlib

from django.db import migrations

previous = importlib.import_module("layers.migrations.0003_reportcell_sorted_locks")
sums = importlib.import_module("layers.migrations.0002_reportcell_sums")

OLD_PUBLIC = "WHERE confirmed_at IS NOT NULL AND NOT is_hidden"
NEW_PUBLIC = "WHERE is_public"

REFRESH = sums.FUNCTIONS[sums.FUNCTIONS.index("CREATE OR REPLACE FUNCTION layers_reportcell_refresh()"):sums.FUNCTIONS.index("SELECT layers_reportcell_refresh();")]

FORWARD = (previous.SYNC_SORTED + REFRESH).replace(OLD_PUBLIC, NEW_PUBLIC)
BACKWARD = previous.SYNC_SORTED + REFRESH


class Migration(migrations.Migration):
    dependencies = [("layers", "0003_reportcell_sorted_locks"), ("reports", "0003_report_is_public")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
