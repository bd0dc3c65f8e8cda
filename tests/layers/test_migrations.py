"""layers 0002 (cell sums) migrates back to 0001 and forward again, with reports being written between.

The round trip runs inside the test's transaction: PostgreSQL's DDL is transactional, so the
rollback that ends every test puts the schema, functions and data back for the tests after it,
and the boundaries never need restoring from their snapshot (tests/conftest.py).
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from tests.factories import HAEUNDAE, JONGNO, SUWON_PALDAL, CategoryFactory, UserFactory, make_report

pytestmark = pytest.mark.django_db


def _columns() -> set[str]:
    with connection.cursor() as cursor:
        return {column.name for column in connection.introspection.get_table_description(cursor, "layers_reportcell")}


def _function(name: str) -> tuple[str, list | None]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT prosrc, proconfig FROM pg_proc WHERE proname = %s", [name])
        (row,) = cursor.fetchall()
    return row


def _finest_cells() -> list[tuple]:
    """Level-16 cells: (count, centroid lon, centroid lat) where the sums exist, else (count,)."""
    sums = ", lon_sum / count, lat_sum / count" if "lon_sum" in _columns() else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count{sums} FROM layers_reportcell WHERE z = 16 AND count > 0 ORDER BY x, y")
        return cursor.fetchall()


def test_reportcell_sums_migrate_back_to_0001_and_forward_again():
    category = CategoryFactory()
    reporter = UserFactory()
    for point in (JONGNO, HAEUNDAE):
        make_report(category=category, at=point, reporter=reporter)
    assert {"lon_sum", "lat_sum"} <= _columns()

    call_command("migrate", "layers", "0001", verbosity=0)

    assert not {"lon_sum", "lat_sum"} & _columns()
    sync, _config = _function("layers_reportcell_sync")
    refresh, refresh_config = _function("layers_reportcell_refresh")
    assert "lon_sum" not in sync and "defer_report_cells" not in sync
    assert "lon_sum" not in refresh and refresh_config is None
    # 0001's trigger keeps counting: writing a report works and is counted.
    make_report(category=category, at=SUWON_PALDAL, reporter=reporter)
    assert [row[0] for row in _finest_cells()] == [1, 1, 1]
    with connection.cursor() as cursor:
        cursor.execute("SELECT layers_reportcell_refresh()")
    assert [row[0] for row in _finest_cells()] == [1, 1, 1]

    call_command("migrate", "layers", verbosity=0)
    with connection.cursor() as cursor:
        # The recreated cell triggers count at commit (0003); this test's transaction never commits.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    assert {"lon_sum", "lat_sum"} <= _columns()
    # The forward migration rebuilt the sums, the report written at 0001 included.
    expected = sorted((1, lon, lat) for lon, lat in (JONGNO, HAEUNDAE, SUWON_PALDAL))
    assert sorted(_finest_cells()) == [pytest.approx(row) for row in expected]
    make_report(category=category, at=(JONGNO[0] + 0.00001, JONGNO[1]), reporter=reporter)
    jongno_cell = next(row for row in _finest_cells() if row[0] == 2)
    assert jongno_cell == pytest.approx((2, JONGNO[0] + 0.000005, JONGNO[1]))
