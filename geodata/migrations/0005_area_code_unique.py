from django.db import migrations, models


class Migration(migrations.Migration):
    """Areas become identities across vintages (3/3): one row per code, no vintage of its own."""

    dependencies = [("geodata", "0004_merge_areas_across_vintages")]

    operations = [
        migrations.RemoveConstraint(model_name="area", name="area_code_per_vintage"),
        migrations.RemoveField(model_name="area", name="vintage"),
        migrations.AlterField(
            model_name="area",
            name="code",
            field=models.CharField(max_length=10, unique=True, verbose_name="KOSTAT code"),
        ),
    ]
