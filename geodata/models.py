"""Korea's administrative areas (KOSTAT census units) and the local governments among them.

Levels, top down: province (시도) > city with non-autonomous districts > municipal unit (시군구,
the KOSTAT unit) > submunicipal unit (읍면동). As in MapIt, an area is an identity (a government
keeps its row, and every foreign key to it, across boundary vintages) whose geometry is
versioned: each vintage (base year, one import) stores its polygon as an AreaBoundary, and the
area's own `geom`, names and hierarchy are those of the current vintage.
"""

from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Vintage(models.Model):
    year = models.PositiveIntegerField(_("base year"), unique=True)
    is_current = models.BooleanField(_("current"), default=False)
    source = models.CharField(_("source"), max_length=500, blank=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True), name="one_current_vintage")]
        verbose_name = _("boundary vintage")
        verbose_name_plural = _("boundary vintages")

    def __str__(self) -> str:
        return f"{self.year}{' *' if self.is_current else ''}"


class Level(models.TextChoices):
    PROVINCE = "province", _("Province (시도)")
    CITY = "city", _("City with districts")
    MUNICIPAL = "municipal", _("Municipal unit (시군구)")
    SUBMUNICIPAL = "submunicipal", _("Submunicipal unit (읍면동)")


class AreaQuerySet(models.QuerySet):
    """Chainable spatial and hierarchy lookups, in the manner of MapIt."""

    def current(self) -> "AreaQuerySet":
        return self.filter(is_current=True)

    def with_code(self, code: str) -> "AreaQuerySet":
        """By today's code or by an old one a government answered to (see AreaCodeAlias)."""
        return self.filter(Q(code=code) | Q(code_aliases__code=code)).distinct()

    def local_governments(self) -> "AreaQuerySet":
        return self.filter(is_local_government=True)

    def at_level(self, *levels: str) -> "AreaQuerySet":
        return self.filter(level__in=levels)



class Area(models.Model):
    # Today's code; older ones live on as AreaCodeAlias rows.
    code = models.CharField(_("KOSTAT code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    # The government responsible for this area: itself when it is one, else a city or province above.
    local_government = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="governed_areas"
    )
    is_local_government = models.BooleanField(_("local government"), default=False)
    # Present in the current vintage. An area that is not (abolished, merged, or only in another
    # vintage) keeps its row, so whatever points at it still does, and its last geometry.
    is_current = models.BooleanField(_("in the current vintage"), default=False)
    geom = models.MultiPolygonField(srid=4326)

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"])]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def display_name(self, language: str = "ko") -> str:
        return self.name_en if language.startswith("en") and self.name_en else self.name


class AreaPiece(models.Model):
    """An ST_Subdivide'd piece of an area in the current vintage: small polygons make point-in-polygon fast."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="pieces")
    # The area's level, repeated here so routing probes an index of municipal and 읍면동 pieces
    # only, instead of also testing the province pieces that every point falls in.
    level = models.CharField(max_length=16, choices=Level.choices)
    # No index over all pieces: the partial ones by level (migration 0002) are what queries use,
    # and with a full index beside them the planner may pick it and test province pieces too.
    geom = models.PolygonField(srid=4326, spatial_index=False)

    class Meta:
        verbose_name = _("area piece")
        # Partial GiST indexes by level are created in migration 0002 (see there why in SQL).


class AreaBoundary(models.Model):
    """An area's polygon, and names, in one vintage (after the change table was applied)."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="boundaries")
    vintage = models.ForeignKey(Vintage, on_delete=models.CASCADE, related_name="boundaries")
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    geom = models.MultiPolygonField(srid=4326)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["area", "vintage"], name="one_boundary_per_area_and_vintage")]
        verbose_name = _("area boundary")
        verbose_name_plural = _("area boundaries")


class AreaCodeAlias(models.Model):
    """A code an area had before a recode, reparent or merge: lookups by it still find the area."""

    code = models.CharField(_("former KOSTAT code"), max_length=10, unique=True)
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="code_aliases")

    class Meta:
        ordering = ["code"]
        verbose_name = _("former area code")
        verbose_name_plural = _("former area codes")

    def __str__(self) -> str:
        return f"{self.code} -> {self.area.code}"
