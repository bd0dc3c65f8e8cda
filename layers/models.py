"""Maintained aggregates for the map layers."""

from django.db import models


class ReportCell(models.Model):
    """How many public reports of a category and status lie in one Web Mercator grid cell.

    A cell at level z is the tile z/x/y; levels 4..16 are kept, so a tile of zoom z <= 12 reads
    its 16x16 cells at level z + 4. Maintained by statement-level triggers on reports_report
    (see migration 0001), rebuilt by `manage.py refresh_report_cells`.
    """

    z = models.SmallIntegerField()
    x = models.IntegerField()
    y = models.IntegerField()
    category_id = models.BigIntegerField()
    status = models.CharField(max_length=20)
    count = models.IntegerField(default=0)
    # Sums of the reports' lon and lat: sum / count is the centroid the map draws the count at.
    lon_sum = models.FloatField(db_default=0.0)
    lat_sum = models.FloatField(db_default=0.0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["z", "x", "y", "category_id", "status"], name="report_cell_key")]

    def __str__(self) -> str:
        return f"{self.z}/{self.x}/{self.y} {self.category_id} {self.status}: {self.count}"
