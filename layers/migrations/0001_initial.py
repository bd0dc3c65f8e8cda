from django.db import migrations, models

# Cell coordinates at level 16 from lon/lat (Web Mercator tile numbering); coarser levels shift.
FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION layers_cell_x(lon double precision) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT least(greatest(floor((lon + 180.0) / 360.0 * 65536), 0), 65535)::integer
$$;
CREATE OR REPLACE FUNCTION layers_cell_y(lat double precision) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT least(greatest(floor((1 - ln(tan(radians(lat)) + 1 / cos(radians(lat))) / pi()) / 2 * 65536), 0), 65535)::integer
$$;

-- Statement-level: one set-based upsert per statement, so a COPY of a million rows costs one
-- aggregate, and a single report 13 small upserts. Only public reports count.
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

CREATE TRIGGER layers_reportcell_insert AFTER INSERT ON reports_report
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION layers_reportcell_sync();
CREATE TRIGGER layers_reportcell_update AFTER UPDATE ON reports_report
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION layers_reportcell_sync();
CREATE TRIGGER layers_reportcell_delete AFTER DELETE ON reports_report
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION layers_reportcell_sync();
"""

REVERSE = """
DROP TRIGGER IF EXISTS layers_reportcell_insert ON reports_report;
DROP TRIGGER IF EXISTS layers_reportcell_update ON reports_report;
DROP TRIGGER IF EXISTS layers_reportcell_delete ON reports_report;
DROP FUNCTION IF EXISTS layers_reportcell_sync();
DROP FUNCTION IF EXISTS layers_reportcell_refresh();
DROP FUNCTION IF EXISTS layers_cell_x(double precision);
DROP FUNCTION IF EXISTS layers_cell_y(double precision);
"""


class Migration(migrations.Migration):
    initial = True

    dependencies = [("reports", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="ReportCell",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("z", models.SmallIntegerField()),
                ("x", models.IntegerField()),
                ("y", models.IntegerField()),
                ("category_id", models.BigIntegerField()),
                ("status", models.CharField(max_length=20)),
                ("count", models.IntegerField(default=0)),
            ],
            options={"constraints": [models.UniqueConstraint(fields=("z", "x", "y", "category_id", "status"), name="report_cell_key")]},
        ),
        migrations.RunSQL(FUNCTIONS, REVERSE),
    ]
