"""Community mapping campaigns: teams map an area together, entries are validated, coverage is
measured against the area's units, and an entry that shows a problem becomes a routed report."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """An organiser or partner that is not a local government; registered by a superuser."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Theme(models.TextChoices):
    ACCESSIBILITY = "accessibility", _("Accessibility")
    SAFETY = "safety", _("Safety")
    FLOODING = "flooding", _("Flooding")
    ENVIRONMENT = "environment", _("Environment")
    OTHER = "other", _("Other")


class Participation(models.TextChoices):
    OPEN = "open", _("Anyone signed in")
    INVITED = "invited", _("Invited teams only")


class CoverageUnit(models.TextChoices):
    DONG = "dong", _("읍면동")
    GRID = "grid", _("250 m grid")


class WindowState(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


# The answer datatypes of a campaign's form: the Open311 ones of reports.answers, plus a photo.
FIELD_DATATYPES = ("string", "text", "number", "datetime", "singlevaluelist", "multivaluelist", "photo")


class Campaign(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices, default=Theme.OTHER)
    description = models.TextField(_("description"), blank=True)
    # Exactly one organiser: a local government (its staff are organisers) or an organisation.
    organiser_government = models.ForeignKey(
        "geodata.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="organised_campaigns",
        verbose_name=_("organising government"),
    )
    organiser_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="organised_campaigns",
        verbose_name=_("organising organisation"),
    )
    partners = models.ManyToManyField(Organisation, blank=True, related_name="partner_campaigns", verbose_name=_("partners"))
    governments = models.ManyToManyField("geodata.Area", blank=True, related_name="campaigns", verbose_name=_("governments"))
    drawn_area = models.MultiPolygonField(_("drawn area"), srid=4326, null=True, blank=True)
    # The effective area: the governments' current boundaries united, or the drawn polygon
    # (campaigns.services computes it in PostGIS).
    area = models.MultiPolygonField(_("area"), srid=4326)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    participation = models.CharField(_("participation"), max_length=10, choices=Participation.choices, default=Participation.OPEN)
    coverage_unit = models.CharField(_("coverage unit"), max_length=10, choices=CoverageUnit.choices, default=CoverageUnit.DONG)
    # [{"key", "label", "datatype", "required", "values": [{"key", "name"}], "public"}]
    form_fields = models.JSONField(_("form fields"), default=list, blank=True)
    # [{"key", "label", "colour": "#rrggbb", "icon"}]
    entry_types = models.JSONField(_("entry types"), default=list)
    is_example = models.BooleanField(_("example"), default=False, help_text=_("demo data, never counted"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-starts_at", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(organiser_government__isnull=False) & Q(organiser_organisation__isnull=True))
                | (Q(organiser_government__isnull=True) & Q(organiser_organisation__isnull=False)),
                name="campaign_has_one_organiser",
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="campaign_ends_after_start"),
        ]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.title

    def window_state(self, now=None) -> str:
        """Upcoming before starts_at, open until ends_at, closed after (the one definition)."""
        now = now or timezone.now()
        if now < self.starts_at:
            return WindowState.UPCOMING
        if now < self.ends_at:
            return WindowState.OPEN
        return WindowState.CLOSED

    @property
    def state(self) -> str:
        return self.window_state()

    @property
    def organiser_name(self) -> str:
        if self.organiser_government_id:
            return self.organiser_government.name
        return self.organiser_organisation.name if self.organiser_organisation_id else ""

    def entry_type(self, key: str) -> dict | None:
        return next((kind for kind in self.entry_types if kind.get("key") == key), None)


class CampaignMember(models.Model):
    class Role(models.TextChoices):
        ORGANISER = "organiser", _("Organiser")
        VALIDATOR = "validator", _("Validator")
        MAPPER = "mapper", _("Mapper")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="campaign_memberships")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MAPPER)
    team = models.CharField(_("team"), max_length=80, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["team", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "user"], name="one_membership_per_campaign")]
        verbose_name = _("campaign member")
        verbose_name_plural = _("campaign members")

    def __str__(self) -> str:
        return f"{self.campaign.slug}: {self.user} ({self.role})"


class CampaignUnit(models.Model):
    """One unit of the coverage denominator: a 읍면동 clipped to the area, or a 250 m grid cell."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="units")
    kind = models.CharField(_("kind"), max_length=10, choices=CoverageUnit.choices)
    area = models.ForeignKey("geodata.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    label = models.CharField(_("label"), max_length=120)
    geom = models.MultiPolygonField(srid=4326)
    priority = models.BooleanField(_("priority"), default=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("campaign unit")
        verbose_name_plural = _("campaign units")

    def __str__(self) -> str:
        return self.label


class EntryStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    VALIDATED = "validated", _("Validated")
    NEEDS_WORK = "needs_work", _("Needs more work")
    RESUBMITTED = "resubmitted", _("Resubmitted")


class Entry(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="entries")
    # Null once the author deletes their account: the entry stays the campaign's record.
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="campaign_entries")
    entry_type = models.CharField(_("entry type"), max_length=64)
    location = models.PointField(srid=4326)
    # Public and private answers together: which are public is read from the form's `public`
    # flags at read time (campaigns.selectors.campaign_public_field_keys), never stored here.
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=EntryStatus.choices, default=EntryStatus.SUBMITTED)
    is_hidden = models.BooleanField(_("hidden by an organiser"), default=False)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    unit = models.ForeignKey(CampaignUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="entries")
    report = models.ForeignKey("reports.Report", null=True, blank=True, on_delete=models.SET_NULL, related_name="campaign_entries")
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["campaign", "status"])]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")

    def __str__(self) -> str:
        return f"#{self.pk} {self.entry_type}"


def entry_photo_path(instance: EntryPhoto, filename: str) -> str:
    return f"campaigns/{instance.entry_id}/{uuid.uuid4().hex}{filename[filename.rfind('.'):]}"


class EntryPhoto(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="photos")
    # Private answer photos are kept apart from the public ones by the field key they answer.
    field_key = models.CharField(max_length=64, blank=True)
    image = models.ImageField(upload_to=entry_photo_path, width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]


class EntryEvent(models.Model):
    """The audit trail of an entry."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        VALIDATED = "validated", _("Validated")
        SENT_BACK = "sent_back", _("Sent back for more work")
        RESUBMITTED = "resubmitted", _("Resubmitted")
        HIDDEN = "hidden", _("Hidden")
        REPORTED = "reported", _("Turned into a report")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=12, choices=Action.choices)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
