"""Reports of living inconveniences and incidents, their categories and their public timeline."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import ExpressionWrapper, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    """What a report is about; each category is an Open311 service."""

    code = models.SlugField(_("code"), max_length=64, unique=True, help_text=_("Open311 service_code"))
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    group = models.CharField(_("group"), max_length=80, blank=True)
    group_en = models.CharField(_("English group"), max_length=80, blank=True)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True, help_text=_("comma-separated"))
    # Null: a national category, routed by the report's point. Set: that government's own category.
    local_government = models.ForeignKey(
        "geodata.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="categories",
        limit_choices_to={"is_local_government": True}, verbose_name=_("local government"),
    )
    is_sensitive = models.BooleanField(_("sensitive"), default=False, help_text=_("public location is coarsened"))
    sla_days = models.PositiveSmallIntegerField(_("target days"), default=7)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    def display_name(self, language: str = "ko") -> str:
        return self.name_en if language.startswith("en") else self.name

    def display_description(self, language: str = "ko") -> str:
        return self.description_en if language.startswith("en") and self.description_en else self.description


class Question(models.Model):
    """An extra question of a category: an Open311 service attribute."""

    class Datatype(models.TextChoices):
        STRING = "string", _("Short text")
        NUMBER = "number", _("Number")
        DATETIME = "datetime", _("Date and time")
        TEXT = "text", _("Long text")
        SINGLEVALUELIST = "singlevaluelist", _("One choice")
        MULTIVALUELIST = "multivaluelist", _("Several choices")

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="questions")
    code = models.SlugField(_("code"), max_length=64)
    datatype = models.CharField(_("datatype"), max_length=20, choices=Datatype.choices)
    description = models.CharField(_("question"), max_length=300)
    description_en = models.CharField(_("English question"), max_length=300, blank=True)
    datatype_description = models.CharField(_("datatype description"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=False)
    # Open311: false marks information shown to the user rather than asked.
    variable = models.BooleanField(_("variable"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # [{"key": "...", "name": "...", "name_en": "..."}] for the list datatypes.
    values = models.JSONField(_("values"), default=list, blank=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["category", "code"], name="question_code_per_category")]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return f"{self.category.code}.{self.code}"

    def display_description(self, language: str = "ko") -> str:
        return self.description_en if language.startswith("en") and self.description_en else self.description

    def value_keys(self) -> list[str]:
        return [str(value["key"]) for value in self.values]


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (Status.SUBMITTED, Status.ACKNOWLEDGED, Status.IN_PROGRESS)


class Outcome(models.TextChoices):
    RESOLVED = "resolved", _("Resolved")
    PARTIALLY_ACCEPTED = "partially_accepted", _("Partially accepted")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    DUPLICATE = "duplicate", _("Duplicate")
    REFERRED = "referred", _("Not our responsibility / referred")
    ALREADY_DONE = "already_done", _("Already done")


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("REST API")
    OPEN311 = "open311", _("Open311")


def overdue_q(now=None) -> Q:
    """Overdue: still open after its due time. The one definition; Report.is_overdue is its in-memory twin."""
    return Q(status__in=OPEN_STATUSES, due_at__lt=now or timezone.now())


class ReportQuerySet(models.QuerySet):
    def public(self) -> ReportQuerySet:
        """Shown to everyone (Report.is_public, the one definition, which the cell triggers read too)."""
        return self.filter(is_public=True)

    def open(self) -> ReportQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, now=None) -> ReportQuerySet:
        return self.filter(overdue_q(now))

    def counted(self) -> ReportQuerySet:
        """What statistics and scorecards count: no sample reports."""
        return self.filter(is_sample=False)


class Report(models.Model):
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="reports")
    # The exact point (staff only for sensitive categories) and the point shown to the public.
    location = models.PointField(srid=4326)
    public_location = models.PointField(srid=4326)
    description = models.TextField(_("description"), max_length=4000)
    answers = models.JSONField(_("answers"), default=dict, blank=True)

    local_government = models.ForeignKey("geodata.Area", on_delete=models.PROTECT, related_name="reports")
    municipal_unit = models.ForeignKey("geodata.Area", null=True, on_delete=models.PROTECT, related_name="+")
    submunicipal_unit = models.ForeignKey("geodata.Area", null=True, on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("address"), max_length=300, blank=True)

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices, blank=True)
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates")

    # The reporter. Private: never in public pages, feeds, exports or API output.
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports")
    reporter_email = models.EmailField(_("email"), blank=True)
    reporter_name = models.CharField(_("name"), max_length=100, blank=True)
    reporter_phone = models.CharField(_("phone"), max_length=40, blank=True)
    show_name = models.BooleanField(_("show my name publicly"), default=False)

    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.WEB)
    api_client = models.ForeignKey("clients.ApiClient", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports")
    media_url = models.URLField(_("media URL"), max_length=500, blank=True)
    device_id = models.CharField(max_length=100, blank=True)
    account_id = models.CharField(max_length=100, blank=True)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    confirmation_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    is_hidden = models.BooleanField(_("hidden by a moderator"), default=False)
    # Public: confirmed by the reporter and not hidden by a moderator. Computed by PostgreSQL, so the
    # ORM (ReportQuerySet.public) and the SQL of the cell-count triggers read one definition.
    is_public = models.GeneratedField(
        expression=ExpressionWrapper(Q(confirmed_at__isnull=False) & Q(is_hidden=False), output_field=models.BooleanField()),
        output_field=models.BooleanField(), db_persist=True, verbose_name=_("public"),
    )
    is_sample = models.BooleanField(_("sample"), default=False, help_text=_("demo data, never counted"))
    support_count = models.PositiveIntegerField(_("supporters"), default=0)

    created_at = models.DateTimeField(_("reported at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(_("due"))

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["local_government", "status"]),
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["updated_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="closed") | Q(outcome=""), name="outcome_only_when_closed"
            ),
            models.CheckConstraint(condition=~Q(duplicate_of=F("id")), name="not_duplicate_of_itself"),
        ]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"#{self.pk} {self.category}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def open311_status(self) -> str:
        return "open" if self.is_open else "closed"

    @property
    def is_overdue(self) -> bool:  # overdue_q, for a report already in memory
        return self.is_open and self.due_at < timezone.now()

    @property
    def public_name(self) -> str:
        """The name the public may see: only when the reporter chose to show it."""
        if not self.show_name:
            return ""
        return self.reporter_name or (self.reporter.get_full_name() if self.reporter else "")


def report_photo_path(instance: ReportPhoto, filename: str) -> str:
    return f"reports/{instance.report_id}/{uuid.uuid4().hex}{filename[filename.rfind('.'):]}"


class ReportPhoto(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to=report_photo_path, width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    order = models.PositiveSmallIntegerField(default=0)
    is_hidden = models.BooleanField(_("hidden by a moderator"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["order", "id"]


class ReportEvent(models.Model):
    """One entry of a report's timeline: who, when, what changed, why, and the public note."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Reported")
        STATUS = "status", _("Status changed")
        REOPENED = "reopened", _("Reopened")
        REROUTED = "rerouted", _("Re-routed")
        UPDATE = "update", _("Official update")
        MODERATED = "moderated", _("Moderated")
        ASSIGNED = "assigned", _("Assigned")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    outcome = models.CharField(max_length=24, choices=Outcome.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    public_note = models.TextField(_("public note"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Shown instead of a person's name: "the reporter", "수원시", "moderator"...
    actor_label = models.CharField(max_length=120, blank=True)
    is_public = models.BooleanField(default=True)
    # Free-form details for the audit trail (e.g. re-routing from/to, moderated field and original).
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    @property
    def is_by_reporter(self) -> bool:
        return self.data.get("by") == "reporter"


class Support(models.Model):
    """"Me too": one per person, by account or by email."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Counted in Report.support_count only once confirmed (by its link, or a confirmed account).
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "user"], condition=Q(user__isnull=False), name="one_support_per_user"),
            models.UniqueConstraint(fields=["report", "email"], condition=~Q(email=""), name="one_support_per_email"),
            models.CheckConstraint(condition=Q(user__isnull=False) | ~Q(email=""), name="support_has_supporter"),
        ]


class Comment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    author_email = models.EmailField(blank=True)
    author_name = models.CharField(max_length=100, blank=True)
    show_name = models.BooleanField(default=False)
    text = models.TextField(max_length=2000)
    is_hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
