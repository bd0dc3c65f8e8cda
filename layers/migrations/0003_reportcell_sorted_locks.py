from django.db import migrations

# Concurrent report inserts deadlocked on layers_reportcell, and serialized on it: each report
# upserts a cell at every zoom (13 rows, the low zooms shared by every report of a category), and
# the statement trigger took those row locks at INSERT time, holding them until the end of the
# whole write transaction (event rows, queued emails, idempotency record...).
# Now the counts are a deferred constraint trigger per row: they are upserted at COMMIT, in key
# order, so a transaction holds the shared cells only while it commits and every transaction takes
# them in one global order (no deadlock). Unchanged reports (updated_at, support_count...) are not
# looked at. A bulk load still defers the counts for its transaction (layers.defer_report_cells) and
# rebuilds them with layers_reportcell_refresh(), which now also tells the pending insert triggers
# of its transaction that their rows are counted already. (An UPDATE made before a rebuild in the
# same transaction would be applied twice: nothing does that; the nightly repair would fix it.)
FORWARD = r"""
CREATE OR REPLACE FUNCTION layers_reportcell_sync_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('layers.defer_report_cells', true) = 'on' THEN
    RETURN NULL;
  END IF;
  -- A rebuild earlier in this transaction counted this row already.
  IF TG_OP = 'INSERT' AND NEW.id <= coalesce(nullif(current_setting('layers.report_cells_rebuilt_upto', true), '')::bigint, 0) THEN
    RETURN NULL;
  END IF;
  INSERT INTO layers_reportcell (z, x, y, category_id, status, count, lon_sum, lat_sum)
  SELECT l.z, d.x >> (16 - l.z), d.y >> (16 - l.z), d.category_id, d.status, sum(d.n), sum(d.n * d.lon), sum(d.n * d.lat)
  FROM (
    SELECT layers_cell_x(ST_X(OLD.public_location)) AS x, layers_cell_y(ST_Y(OLD.public_location)) AS y,
           OLD.category_id AS category_id, OLD.status AS status, -1 AS n, ST_X(OLD.public_location) AS lon, ST_Y(OLD.public_location) AS lat
    WHERE TG_OP IN ('UPDATE', 'DELETE') AND OLD.confirmed_at IS NOT NULL AND NOT OLD.is_hidden
    UNION ALL
    SELECT layers_cell_x(ST_X(NEW.public_location)), layers_cell_y(ST_Y(NEW.public_location)),
           NEW.category_id, NEW.status, 1, ST_X(NEW.public_location), ST_Y(NEW.public_location)
    WHERE TG_OP IN ('INSERT', 'UPDATE') AND NEW.confirmed_at IS NOT NULL AND NOT NEW.is_hidden
  ) d CROSS JOIN generate_series(4, 16) AS l(z)
  GROUP BY 1, 2, 3, 4, 5 HAVING sum(d.n) <> 0 OR sum(d.n * d.lon) <> 0 OR sum(d.n * d.lat) <> 0
  ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (z, x, y, category_id, status) DO UPDATE SET count = layers_reportcell.count + EXCLUDED.count,
    lon_sum = layers_reportcell.lon_sum + EXCLUDED.lon_sum, lat_sum = layers_reportcell.lat_sum + EXCLUDED.lat_sum;
  RETURN NULL;
END
$$;

-- As in 0002, plus: the reports inserted so far are counted by the rebuild, so the pending row
-- triggers of this transaction's inserts (fired at commit) must not count them again.
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
  SELECT set_config('layers.report_cells_rebuilt_upto', coalesce(max(id), 0)::text, true) FROM reports_report;
$$;

DROP TRIGGER IF EXISTS layers_reportcell_insert ON reports_report;
DROP TRIGGER IF EXISTS layers_reportcell_update ON reports_report;
DROP TRIGGER IF EXISTS layers_reportcell_delete ON reports_report;
CREATE CONSTRAINT TRIGGER layers_reportcell_insert AFTER INSERT ON reports_report
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION layers_reportcell_sync_row();
CREATE CONSTRAINT TRIGGER layers_reportcell_update AFTER UPDATE ON reports_report
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (OLD.public_location IS DISTINCT FROM NEW.public_location OR OLD.category_id IS DISTINCT FROM NEW.category_id
        OR OLD.status IS DISTINCT FROM NEW.status OR (OLD.confirmed_at IS NULL) <> (NEW.confirmed_at IS NULL)
        OR OLD.is_hidden IS DISTINCT FROM NEW.is_hidden)
  EXECUTE FUNCTION layers_reportcell_sync_row();
CREATE CONSTRAINT TRIGGER layers_reportcell_delete AFTER DELETE ON reports_report
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION layers_reportcell_sync_row();
"""

REVERSE = r"""
DROP TRIGGER IF EXISTS layers_reportcell_insert ON reports_report;
DROP TRIGGER IF EXISTS layers_reportcell_update ON reports_report;
DROP TRIGGER IF EXISTS layers_reportcell_delete ON reports_report;
DROP FUNCTION IF EXISTS layers_reportcell_sync_row();
CREATE TRIGGER layers_reportcell_insert AFTER INSERT ON reports_report
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION layers_reportcell_sync();
CREATE TRIGGER layers_reportcell_update AFTER UPDATE ON reports_report
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION layers_reportcell_sync();
CREATE TRIGGER layers_reportcell_delete AFTER DELETE ON reports_report
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION layers_reportcell_sync();
"""


class Migration(migrations.Migration):
    dependencies = [("layers", "0002_reportcell_sums")]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
