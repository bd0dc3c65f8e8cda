"""Trigram indexes for the place search (geodata.selectors.place_search).

The indexed expressions are the names without spaces and punctuation, lower-cased, so "종로 구",
"Jongno-gu" and "jongnogu" meet the same key; the selector builds exactly these expressions.
"""

from django.db import migrations

NAME_KEY = "lower(regexp_replace(name, '[[:space:]·.,()-]', '', 'g'))"
NAME_EN_KEY = "lower(regexp_replace(name_en, '[[:space:]·.,()-]', '', 'g'))"


class Migration(migrations.Migration):
    dependencies = [("geodata", "0005_area_code_unique")]

    operations = [
        migrations.RunSQL("CREATE EXTENSION IF NOT EXISTS pg_trgm", migrations.RunSQL.noop),
        migrations.RunSQL(
            f"CREATE INDEX geodata_area_name_trgm ON geodata_area USING gin (({NAME_KEY}) gin_trgm_ops)",
            "DROP INDEX IF EXISTS geodata_area_name_trgm",
        ),
        migrations.RunSQL(
            f"CREATE INDEX geodata_area_name_en_trgm ON geodata_area USING gin (({NAME_EN_KEY}) gin_trgm_ops)",
            "DROP INDEX IF EXISTS geodata_area_name_en_trgm",
        ),
    ]
