"""A revision number for the categories, so each process may keep them in memory.

Reports are filed under a category looked up by code on every request; the categories (with
their questions and governments) change rarely. Any change to them stores a fresh number from a
sequence (never reused, even when the change is rolled back), and reports.selectors keeps the
categories it read under that number. Statement-level triggers: one bump per statement.
"""

from django.db import migrations

TABLES = ["reports_category", "reports_question", "geodata_area"]

FORWARD = """
CREATE SEQUENCE reports_category_revision_seq;
CREATE TABLE reports_category_revision (id smallint PRIMARY KEY CHECK (id = 1), revision bigint NOT NULL);
INSERT INTO reports_category_revision VALUES (1, nextval('reports_category_revision_seq'));
CREATE FUNCTION reports_category_revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO reports_category_revision VALUES (1, nextval('reports_category_revision_seq'))
  ON CONFLICT (id) DO UPDATE SET revision = EXCLUDED.revision;
  RETURN NULL;
END $$;
""" + "".join(
    f"""
CREATE TRIGGER {table}_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
  FOR EACH STATEMENT EXECUTE FUNCTION reports_category_revision_bump();
"""
    for table in TABLES
)

BACKWARD = "".join(f"DROP TRIGGER IF EXISTS {table}_revision ON {table};\n" for table in TABLES) + """
DROP FUNCTION IF EXISTS reports_category_revision_bump();
DROP TABLE IF EXISTS reports_category_revision;
DROP SEQUENCE IF EXISTS reports_category_revision_seq;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_report_is_public"),
        ("geodata", "0006_place_search_trigram"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
