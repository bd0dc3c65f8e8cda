"""Migration 0004 turns one-row-per-vintage areas into identities, and back."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from geodata.models import Area, AreaBoundary, AreaPiece
from staff.models import StaffRole
from tests.factories import UserFactory

BEFORE = ("geodata", "0002_areapiece_level")
AFTER = ("geodata", "0005_area_code_unique")


def _migrate(target: tuple[str, str]) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([target])


def _scalar(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _second_vintage_of(codes: list[str]) -> dict[str, tuple[int, int]]:
    """In the old schema: a current vintage 2019 holding copies of these 2018 rows, as a second
    import did. Returns {code: (id in 2018, id in 2019)}."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE geodata_vintage SET is_current = false;
            INSERT INTO geodata_vintage (year, is_current, source, imported_at) VALUES (2019, true, 'test', now());
            INSERT INTO geodata_area (vintage_id, code, name, name_en, level, is_local_government, geom)
            SELECT (SELECT id FROM geodata_vintage WHERE year = 2019), code, name, name_en, level, is_local_government, geom
            FROM geodata_area WHERE code = ANY(%(codes)s);
            UPDATE geodata_area n SET parent_id = np.id FROM geodata_area o, geodata_area op, geodata_area np
            WHERE n.vintage_id = (SELECT id FROM geodata_vintage WHERE year = 2019) AND o.code = n.code
              AND o.id <> n.id AND op.id = o.parent_id AND np.code = op.code AND np.vintage_id = n.vintage_id;
            UPDATE geodata_area n SET local_government_id = nl.id FROM geodata_area o, geodata_area ol, geodata_area nl
            WHERE n.vintage_id = (SELECT id FROM geodata_vintage WHERE year = 2019) AND o.code = n.code
              AND o.id <> n.id AND ol.id = o.local_government_id AND nl.code = ol.code AND nl.vintage_id = n.vintage_id;
            INSERT INTO geodata_areapiece (area_id, level, geom)
            SELECT id, level, ST_Subdivide(geom, 256) FROM geodata_area
            WHERE vintage_id = (SELECT id FROM geodata_vintage WHERE year = 2019);
            """,
            {"codes": codes},
        )
        cursor.execute(
            "SELECT code, min(id), max(id) FROM geodata_area WHERE code = ANY(%s) GROUP BY code", [codes]
        )
        return {code: (old, new) for code, old, new in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)
def test_rows_of_each_code_merge_into_one_identity_and_split_back():
    user = UserFactory()
    _migrate(BEFORE)
    try:
        ids = _second_vintage_of(["11", "11010", "1101053"])
        busan = _scalar("SELECT id FROM geodata_area WHERE code = '21090'")
        for government in (ids["11010"][0], ids["11010"][1], busan):  # a role on each 종로구 row: a duplicate
            StaffRole.objects.create(user=user, local_government_id=government, role=StaffRole.Role.STAFF)

        _migrate(AFTER)

        jongno = Area.objects.get(code="11010")
        assert jongno.pk == ids["11010"][1]  # the current vintage's row is the identity
        assert (jongno.is_current, jongno.parent_id, jongno.local_government_id) == (True, ids["11"][1], jongno.pk)
        assert Area.objects.filter(code__in=["11", "11010", "1101053"]).count() == 3
        assert sorted(AreaBoundary.objects.filter(area=jongno).values_list("vintage__year", flat=True)) == [2018, 2019]
        # Areas only in 2018 keep their row, out of the current vintage and of routing.
        assert not Area.objects.get(code="21090").is_current
        assert not AreaPiece.objects.filter(area__code="21090").exists()
        assert AreaPiece.objects.filter(area=jongno).exists()
        roles = StaffRole.objects.filter(user=user)
        assert sorted(roles.values_list("local_government__code", flat=True)) == ["11010", "21090"]

        _migrate(BEFORE)

        assert _scalar("SELECT count(*) FROM geodata_area WHERE code = '11010'") == 2
        assert _scalar(
            "SELECT v.year FROM staff_staffrole r JOIN geodata_area a ON a.id = r.local_government_id"
            " JOIN geodata_vintage v ON v.id = a.vintage_id WHERE r.user_id = %s AND a.code = '11010'", [user.pk]
        ) == 2019
        assert _scalar(
            "SELECT count(*) FROM geodata_area a JOIN geodata_area p ON p.id = a.parent_id"
            " WHERE a.code = '1101053' AND p.code = '11010' AND p.vintage_id = a.vintage_id"
        ) == 2
    finally:
        _migrate(AFTER)
