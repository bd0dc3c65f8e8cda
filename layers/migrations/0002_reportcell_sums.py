from django.db import migrations, models

# A transaction may defer the counts (SET LOCAL layers.defer_report_cells = 'on') and call
# layers_reportcell_refresh() before it commits: bulk loads aggregate once instead of per COPY.
# The cells also keep the sums of their reports' longitudes and latitudes, so the map can draw a
# cell's count at the centroid of its reports (sum / count) without touching reports_report.
FUNCTIONS = r"""
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
    ON CONFLICT (z, x, y, category_id, status) DO UPDATE SET count = layers_reportcell.count + EXCLUDED.count,
      lon_sum = layers_reportcell.lon_sum + EXCLUDED.lon_sum, lat_sum = layers_reportcell.lat_sum + EXCLUDED.lat_sum
  $f$, delta);
  RETURN NULL;
END
$$;

-- Rebuild: the aggregate in memory, rows written in key order so the unique index is appended to.
CREATE OR REPLACE FUNCTION layers_reportcell_refresh() RETURNS void LANGUAGE sql SET work_mem = '256MB' AS $$
  TRUNCATE layers_reportcell;
  INSERT INTO layers_reportcell (z, x, y, category_id, status, count, lon_sum, lat_sum)
  SELECT l.z, b.x >> (16 - l.z), b.y >> (16 - l.z), b.category_id, b.status, sum(b.n), sum(b.lon_sum), sum(b.lat_sum)
  FROM (
    SELECT layers_cell_x(ST_X(public_location)) AS x, layers_cell_y(ST_Y(public_location)) AS y, category_id, status,
           count(*) AS n, sum(ST_X(public_location)) AS lon_sum, sum(ST_Y(public_location)) AS lat_sum
    FROM reports_report WHERE confirmed_at IS NOT NULL AND NOT is_hidden GROUP BY 1, 2, 3, 4
  ) b CROSS JOIN generate_series(4, 16) AS l(z)
  GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5;
$$;

SELECT layers_reportcell_refresh();
"""


# The reverse puts back 0001's functions, which know neither the sums nor the deferral, before the
# columns go: left in place, the trigger would write the dropped columns and every report write
# would fail. The counts themselves are unchanged, so no refresh is needed.
REVERSE = r"""
CREATE OR REPLACE FUNCTION layers_reportcell_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  public_old text := 'SELECT public_location AS g, category_id, status, -1 AS n FROM old_rows WHERE confirmed_at IS NOT NULL AND NOT is_hidden';
  public_new text := 'SELECT public_location AS g, category_id, status, 1 AS n FROM new_rows WHERE confirmed_at IS NOT NULL AND NOT is_hidden';
  delta text;
BEGIN
  delta := CASE TG_OP WHEN 'INSERT' THEN public_new WHEN 'DELETE' THEN public_old
                      ELSE public_old || ' UNION ALL ' || public_new END;
  EXECUTE format($f$
    INSERT INTO layers_reportcell (z, x, y, category_id, status, count)
    SELECT l.z, b.x >> (16 - l.z), b.y >> (16 - l.z), b.category_id, b.status, sum(b.n)
    FROM (
      SELECT layers_cell_x(ST_X(g)) AS x, layers_cell_y(ST_Y(g)) AS y, category_id, status, sum(n) AS n
      FROM (%s) d GROUP BY 1, 2, 3, 4
    ) b CROSS JOIN generate_series(4, 16) AS l(z)
    GROUP BY 1, 2, 3, 4, 5 HAVING sum(b.n) <> 0
    ON CONFLICT (z, x, y, category_id, status) DO UPDATE SET count = layers_reportcell.count + EXCLUDED.count
  $f$, delta);
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION layers_reportcell_refresh() RETURNS void LANGUAGE sql AS $$
  TRUNCATE layers_reportcell;
  INSERT INTO layers_reportcell (z, x, y, category_id, status, count)
  SELECT l.z, b.x >> (16 - l.z), b.y >> (16 - l.z), b.category_id, b.status, sum(b.n)
  FROM (
    SELECT layers_cell_x(ST_X(public_location)) AS x, layers_cell_y(ST_Y(public_location)) AS y, category_id, status, count(*) AS n
    FROM reports_report WHERE confirmed_at IS NOT NULL AND NOT is_hidden GROUP BY 1, 2, 3, 4
  ) b CROSS JOIN generate_series(4, 16) AS l(z)
  GROUP BY 1, 2, 3, 4, 5;
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("layers", "0001_initial")]

    operations = [
        migrations.AddField("reportcell", "lon_sum", models.FloatField(db_default=0.0)),
        migrations.AddField("reportcell", "lat_sum", models.FloatField(db_default=0.0)),
        migrations.RunSQL(FUNCTIONS, REVERSE),
    ]
