import pytest
from django.core.management import call_command
from django.db import connection

from layers.models import ReportCell
from reports.models import Category, Report, ReportEvent

pytestmark = pytest.mark.django_db


def test_generate_reports_routed_inside_boundaries():
    call_command("generate_reports", count=60, seed=7)
    assert Category.objects.exists()  # the defaults were loaded
    reports = Report.objects.all()
    assert reports.count() == 60
    assert reports.filter(is_sample=True, confirmed_at__isnull=False).count() == 60
    assert reports.filter(municipal_unit__isnull=True).count() == 0
    assert reports.filter(submunicipal_unit__isnull=True).count() == 0
    assert ReportEvent.objects.filter(kind="created", report__in=reports).count() == 60
    assert reports.exclude(status="closed").filter(outcome="").count() == reports.exclude(status="closed").count()
    assert reports.filter(status="closed", outcome="").count() == 0
    with connection.cursor() as cursor:
        # Every point lies in its government's and its 읍면동's subdivided pieces.
        cursor.execute("""
            SELECT count(*) FROM reports_report r
            WHERE EXISTS (SELECT 1 FROM geodata_areapiece p WHERE p.area_id = r.municipal_unit_id AND ST_Covers(p.geom, r.location))
              AND EXISTS (SELECT 1 FROM geodata_area u WHERE u.id = r.municipal_unit_id AND u.local_government_id = r.local_government_id)
              AND r.address LIKE '%% %%'
        """)
        assert cursor.fetchone()[0] == 60
    assert sum(ReportCell.objects.filter(z=8).values_list("count", flat=True)) == 60


def test_generate_reports_is_repeatable_and_validates():
    call_command("generate_reports", count=10, seed=3)
    first = list(Report.objects.order_by("id").values_list("address", "status"))
    Report.objects.all().delete()
    call_command("generate_reports", count=10, seed=3)
    assert list(Report.objects.order_by("id").values_list("address", "status")) == first
    with pytest.raises(Exception, match="at least 1"):
        call_command("generate_reports", count=0)
