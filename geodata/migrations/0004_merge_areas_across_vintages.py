"""Areas become identities across vintages (2/3): merge each code's rows into one.

The row of the current vintage (else of the latest one) becomes the identity of its code; the
code's rows of other vintages are merged into it: every foreign key to geodata_area, found
through the app registry so that no app is forgotten, is repointed to the identity, and their
polygons are kept as AreaBoundary rows of their vintage.
"""

from django.db import IntegrityError, migrations, transaction

SUBDIVIDE_MAX_VERTICES = 256


def _foreign_keys_to_area(apps):
    area = apps.get_model("geodata", "Area")
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is area:
                yield model, field


def _repoint(cursor, model, field) -> None:
    table, column, pk = model._meta.db_table, field.column, model._meta.pk.column
    merge = f"UPDATE {table} t SET {column} = i.new_id FROM area_identity i WHERE t.{column} = i.old_id AND i.old_id <> i.new_id"
    try:
        with transaction.atomic():
            cursor.execute(merge)
        return
    except IntegrityError:
        pass
    # A unique constraint (a staff role, a subscription...) already holds for the identity: the
    # row is a duplicate of one that points at the same government, and goes.
    cursor.execute(
        f"SELECT t.{pk}, i.new_id FROM {table} t JOIN area_identity i ON t.{column} = i.old_id AND i.old_id <> i.new_id"
    )
    for row_id, new_id in cursor.fetchall():
        try:
            with transaction.atomic():
                cursor.execute(f"UPDATE {table} SET {column} = %s WHERE {pk} = %s", [new_id, row_id])
        except IntegrityError:
            cursor.execute(f"DELETE FROM {table} WHERE {pk} = %s", [row_id])


def merge_areas(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO geodata_areaboundary (area_id, vintage_id, name, name_en, geom)
            SELECT id, vintage_id, name, name_en, geom FROM geodata_area;
            UPDATE geodata_area a SET is_current = v.is_current FROM geodata_vintage v WHERE v.id = a.vintage_id;
            DELETE FROM geodata_areapiece p USING geodata_area a WHERE a.id = p.area_id AND NOT a.is_current;
            CREATE TEMP TABLE area_identity ON COMMIT DROP AS
            SELECT a.id AS old_id,
                   first_value(a.id) OVER (PARTITION BY a.code ORDER BY v.is_current DESC, v.year DESC) AS new_id
            FROM geodata_area a JOIN geodata_vintage v ON v.id = a.vintage_id;
            """
        )
        for model, field in _foreign_keys_to_area(apps):
            _repoint(cursor, model, field)
        cursor.execute(
            """
            DELETE FROM geodata_area WHERE id IN (SELECT old_id FROM area_identity WHERE old_id <> new_id);
            DROP TABLE area_identity;
            """
        )


def split_areas(apps, schema_editor):
    """Back to one row per vintage and code: each area's other boundaries become rows again.

    Foreign keys stay on the row of the current vintage; former codes (aliases) are dropped.
    """
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE geodata_area a SET vintage_id = COALESCE(
                (SELECT id FROM geodata_vintage WHERE is_current AND a.is_current),
                (SELECT b.vintage_id FROM geodata_areaboundary b JOIN geodata_vintage v ON v.id = b.vintage_id
                 WHERE b.area_id = a.id ORDER BY v.year DESC LIMIT 1));
            DELETE FROM geodata_area a WHERE vintage_id IS NULL
                AND NOT EXISTS (SELECT 1 FROM geodata_areaboundary b WHERE b.area_id = a.id);
            INSERT INTO geodata_area (vintage_id, code, name, name_en, level, is_local_government, is_current, geom)
            SELECT b.vintage_id, a.code, b.name, b.name_en, a.level, a.is_local_government, false, b.geom
            FROM geodata_areaboundary b JOIN geodata_area a ON a.id = b.area_id
            WHERE b.vintage_id <> a.vintage_id;
            UPDATE geodata_area n SET parent_id = np.id FROM geodata_area i, geodata_area ip, geodata_area np
            WHERE n.parent_id IS NULL AND i.code = n.code AND i.vintage_id <> n.vintage_id AND ip.id = i.parent_id
              AND np.code = ip.code AND np.vintage_id = n.vintage_id;
            UPDATE geodata_area n SET local_government_id = nl.id FROM geodata_area i, geodata_area il, geodata_area nl
            WHERE n.local_government_id IS NULL AND i.code = n.code AND i.vintage_id <> n.vintage_id
              AND il.id = i.local_government_id AND nl.code = il.code AND nl.vintage_id = n.vintage_id;
            """
        )
        cursor.execute(
            """
            INSERT INTO geodata_areapiece (area_id, level, geom)
            SELECT a.id, a.level, ST_Subdivide(a.geom, %s) FROM geodata_area a
            WHERE a.level <> 'city' AND NOT EXISTS (SELECT 1 FROM geodata_areapiece p WHERE p.area_id = a.id)
            """,
            [SUBDIVIDE_MAX_VERTICES],
        )


class Migration(migrations.Migration):
    dependencies = [("geodata", "0003_areaboundary_areacodealias_area_is_current")]

    operations = [migrations.RunPython(merge_areas, split_areas)]
