"""Standard models (표준모델): a government's practice published as runnable configuration, its
immutable versions, and who adopted which version, with what changes."""

from __future__ import annotations

import json

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Theme

# Paths under /models/ and /api/v1/models/ that are not models.
RESERVED_SLUGS = ("import", "schema.json", "schema", "publish")


class ModelStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Waiting for a moderator")
    PUBLISHED = "published", _("Published")


class EvidenceTier(models.TextChoices):
    DOCUMENTED = "documented", _("Documented")
    MEASURED = "measured", _("Measured")
    REPLICATED = "replicated", _("Replicated")


class StandardModel(models.Model):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices)
    origin_government = models.ForeignKey("geodata.Area", on_delete=models.PROTECT, related_name="standard_models",
                                          verbose_name=_("origin government"))
    licence = models.CharField(_("licence"), max_length=20)
    status = models.CharField(_("status"), max_length=12, choices=ModelStatus.choices, default=ModelStatus.DRAFT)
    is_example = models.BooleanField(_("example"), default=False, help_text=_("demo data, never counted"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["title", "slug"]
        verbose_name = _("standard model")
        verbose_name_plural = _("standard models")

    def __str__(self) -> str:
        return self.title


class ModelVersion(models.Model):
    """One version's document, stored as its canonical bytes (so exports are byte-for-byte stable).
    Immutable once published: standard_models.services never writes a published version."""

    model = models.ForeignKey(StandardModel, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    document_text = models.TextField(_("document"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The API key that saved it (its prefix), when a key did: a key has no account.
    created_by_key = models.CharField(_("saved with API key"), max_length=12, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # The campaign it was published from, when it was (the origin's running instance).
    source_campaign = models.ForeignKey("campaigns.Campaign", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["model", "number"]
        constraints = [models.UniqueConstraint(fields=["model", "number"], name="one_model_version_number")]
        verbose_name = _("model version")
        verbose_name_plural = _("model versions")

    def __str__(self) -> str:
        return f"{self.model.slug} v{self.number}"

    @property
    def document(self) -> dict:
        return json.loads(self.document_text)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Adoption(models.Model):
    """A government runs a model version: what was created, what it changed, from which date."""

    version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, related_name="adoptions")
    model = models.ForeignKey(StandardModel, on_delete=models.CASCADE, related_name="adoptions")
    government = models.ForeignKey("geodata.Area", on_delete=models.PROTECT, related_name="model_adoptions",
                                   verbose_name=_("adopting government"))
    starts_on = models.DateField(_("start date"))
    campaign = models.ForeignKey("campaigns.Campaign", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    categories = models.ManyToManyField("reports.Category", through="AdoptedCategory", related_name="+")
    # The adopter's campaign template: the version's fields with its local changes and extensions
    # (the "mine" of a three-way merge).
    template = models.JSONField(default=dict)
    # What the adopter changed: {"added_fields": [...], "changed_fields": {key: {attr: value}}}
    changes = models.JSONField(default=dict, blank=True)
    # Upgrades applied: [{"from", "to", "at", "kept", "conflicts"}]
    history = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The API key that adopted (its prefix), when a key did: a key has no account.
    created_by_key = models.CharField(_("adopted with API key"), max_length=12, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["model", "government"], name="one_adoption_per_model_government")]
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")

    def __str__(self) -> str:
        return f"{self.model.slug} v{self.version.number} → {self.government.name}"


class AdoptedCategory(models.Model):
    """The lineage of an adopted category: its own Open311 code, and the model's code it came from."""

    adoption = models.ForeignKey(Adoption, on_delete=models.CASCADE, related_name="adopted_categories")
    category = models.ForeignKey("reports.Category", on_delete=models.PROTECT, related_name="model_lineage")
    model_code = models.SlugField(max_length=48)
    # The workflow's department, created at the adopting government when it had none of that name.
    department = models.ForeignKey("staff.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["adoption", "model_code"], name="one_category_per_model_code")]

    def __str__(self) -> str:
        return f"{self.model_code} → {self.category_id}"
