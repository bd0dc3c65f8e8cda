import django.contrib.gis.db.models.fields
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("geodata", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="areapiece",
            name="level",
            field=models.CharField(
                choices=[
                    ("province", "Province (시도)"),
                    ("city", "City with districts"),
                    ("municipal", "Municipal unit (시군구)"),
                    ("submunicipal", "Submunicipal unit (읍면동)"),
                ],
                default="",
                max_length=16,
            ),
            preserve_default=False,
        ),
        migrations.RunSQL(
            "UPDATE geodata_areapiece p SET level = a.level FROM geodata_area a WHERE a.id = p.area_id",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="areapiece",
            name="geom",
            field=django.contrib.gis.db.models.fields.PolygonField(spatial_index=False, srid=4326),
        ),
        # Partial GiST indexes in SQL: GeoDjango's schema editor drops an index's condition on
        # geometry fields. Routing probes only municipal and 읍면동 pieces; the set-based bench
        # (and bulk re-routing) only municipal ones.
        migrations.RunSQL(
            "CREATE INDEX areapiece_routing_geom ON geodata_areapiece USING gist (geom)"
            " WHERE level IN ('municipal', 'submunicipal')",
            "DROP INDEX areapiece_routing_geom",
        ),
        migrations.RunSQL(
            "CREATE INDEX areapiece_municipal_geom ON geodata_areapiece USING gist (geom) WHERE level = 'municipal'",
            "DROP INDEX areapiece_municipal_geom",
        ),
    ]
