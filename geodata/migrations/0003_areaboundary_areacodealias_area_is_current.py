import django.contrib.gis.db.models.fields
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Areas become identities across vintages (1/3): the new tables, and room to merge rows."""

    dependencies = [("geodata", "0002_areapiece_level")]

    operations = [
        migrations.AddField(
            model_name="area",
            name="is_current",
            field=models.BooleanField(default=False, verbose_name="in the current vintage"),
        ),
        # Nullable while rows are merged; dropped in 0005. Reversed after 0004's reverse filled it.
        migrations.AlterField(
            model_name="area",
            name="vintage",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.CASCADE, related_name="areas", to="geodata.vintage"
            ),
        ),
        migrations.CreateModel(
            name="AreaBoundary",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                ("name_en", models.CharField(blank=True, max_length=100, verbose_name="English name")),
                ("geom", django.contrib.gis.db.models.fields.MultiPolygonField(srid=4326)),
                (
                    "area",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="boundaries", to="geodata.area"
                    ),
                ),
                (
                    "vintage",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="boundaries", to="geodata.vintage"
                    ),
                ),
            ],
            options={"verbose_name": "area boundary", "verbose_name_plural": "area boundaries"},
        ),
        migrations.AddConstraint(
            model_name="areaboundary",
            constraint=models.UniqueConstraint(fields=("area", "vintage"), name="one_boundary_per_area_and_vintage"),
        ),
        migrations.CreateModel(
            name="AreaCodeAlias",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(max_length=10, unique=True, verbose_name="former KOSTAT code")),
                (
                    "area",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="code_aliases", to="geodata.area"
                    ),
                ),
            ],
            options={"ordering": ["code"], "verbose_name": "former area code", "verbose_name_plural": "former area codes"},
        ),
    ]
