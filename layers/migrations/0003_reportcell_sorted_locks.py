from django.db import migrations

# Concurrent report inserts deadlocked on layers_reportcell: each statement upserts a cell at every
# zoom (13 rows), and two transactions could take the same cells in different orders. Upserting in
# key order makes every transaction lock cells in one global order, so they queue instead.
# Same function as 0002 otherwise.
SYNC_SORTED = r"""
CREATE OR REPLACE FUNCTION layers_reportcell_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  public_old text := 'SELECT public_location AS g, category_id, status, -1 AS n FROM old_rows WHERE confirmed_at IS NOT NULL AND NOT is_hidden';
  public_new text := 'SELECT public_location AS g, category_id, status, 1 AS n FROM new_rows WHERE confirmed_at IS NOT NULL AND NOT is_hidden';
  delta text;
BEGIN
  -- A bulk load (generate_reports) defers the counts for its transaction and refreshes them once.
  IF current_setting('layers.defer_report_cells', true) = 'on' THEN
    RETURN NULL;
  END IF;
  delta := CASE TG_OP WHEN 'INSERT' THEN public_new WHEN 'DELETE' THEN public_old
                      ELSE public_old || ' UNION ALL ' || public_new END;
  EXECUTE format($f$
    INSERT INTO layers_reportcell (z, x, y, category_id, status, count, lon_sum, lat_sum)
    SELECT l.z, b.x >> (16 - l.z), b.y >> (16 - l.z), b.category_id, b.status, sum(b.n), sum(b.lon_sum), sum(b.lat_sum)
    FROM (
      SELECT layers_cell_x(ST_X(g)) AS x, layers_cell_y(ST_Y(g)) AS y, category_id, status, sum(n) AS n,
             sum(n * ST_X(g)) AS lon_sum, sum(n * ST_Y(g)) AS lat_sum
      FROM (%s) d GROUP BY 1, 2, 3, 4
    ) b CROSS JOIN generate_series(4, 16) AS l(z)
    GROUP BY 1, 2, 3, 4, 5 HAVING sum(b.n) <> 0 OR sum(b.lon_sum) <> 0 OR sum(b.lat_sum) <> 0
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (z, x, y, category_id, status) DO UPDATE SET count = layers_reportcell.count + EXCLUDED.count,
      lon_sum = layers_reportcell.lon_sum + EXCLUDED.lon_sum, lat_sum = layers_reportcell.lat_sum + EXCLUDED.lat_sum
  $f$, delta);
  RETURN NULL;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("layers", "0002_reportcell_sums")]

    # Forward only: 0001's reverse drops the function anyway.
    operations = [migrations.RunSQL(SYNC_SORTED, migrations.RunSQL.noop)]
