"""Nightly check of the trigger-maintained cell counts against a recount (run by the worker)."""

from __future__ import annotations

import logging

from django.db import connection, transaction

logger = logging.getLogger(__name__)

# One statement, so the recount and the table are read from the same snapshot. Cells whose count
# went back to 0 stay in the table; they are not a difference.
DIFF_SQL = """
WITH truth AS (
  SELECT l.z, b.x >> (16 - l.z) AS x, b.y >> (16 - l.z) AS y, b.category_id, b.status, sum(b.n) AS count
  FROM (
    SELECT layers_cell_x(ST_X(public_location)) AS x, layers_cell_y(ST_Y(public_location)) AS y, category_id, status, count(*) AS n
    FROM reports_report WHERE is_public GROUP BY 1, 2, 3, 4
  ) b CROSS JOIN generate_series(4, 16) AS l(z)
  GROUP BY 1, 2, 3, 4, 5
), stored AS (
  SELECT z, x, y, category_id, status, count FROM layers_reportcell WHERE count <> 0
)
SELECT count(*) FROM truth t FULL JOIN stored s USING (z, x, y, category_id, status)
WHERE t.count IS DISTINCT FROM s.count
"""


def reportcells_repair() -> int:
    """Recount the cells; rebuild them when any differs. Returns the number of differing cells."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(DIFF_SQL)
        differing = cursor.fetchone()[0]
        if differing:
            logger.warning("%d report cells differed from a recount: rebuilding them", differing)
            cursor.execute("SELECT layers_reportcell_refresh()")
    return differing
