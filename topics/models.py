"""Topics of the opinion map: statements residents write (moderated before shown), their
agree/disagree/pass votes, and the stored result of the opinion math.

Votes carry no account: `participant_key` is a keyed hash of the topic and the person's identity
(one vote per person per statement, changeable). The stored result places participants by an
anonymous index only.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from moderation.models import Hideable
from residency.eligibility import Eligibility, Rule

STATEMENT_MAX_LENGTH = 140


class TopicQuerySet(models.QuerySet):
    def counted(self):
        """What statistics and scorecards count: no examples."""
        return self.filter(is_example=False)


class Topic(models.Model):
    local_government = models.ForeignKey("geodata.Area", on_delete=models.PROTECT, related_name="topics", verbose_name=_("local government"))
    proposal = models.ForeignKey(
        "proposals.Proposal", null=True, blank=True, on_delete=models.CASCADE, related_name="topics", verbose_name=pgettext_lazy("opinion map", "proposal"),
    )
    title = models.CharField(_("question"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    eligibility_rule = models.CharField(_("who may take part"), max_length=24, choices=Rule.choices, default=Rule.SIGNED_IN)
    areas = models.ManyToManyField("geodata.Area", blank=True, related_name="+", verbose_name=_("areas"))
    is_open = models.BooleanField(pgettext_lazy("opinion map", "open"), default=True)
    is_example = models.BooleanField(_("example"), default=False, help_text=_("demo data, never counted"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # The worker recomputes topics whose votes changed; `votes_version` grows with every change, so a
    # recompute that raced a new vote leaves the flag set for the next pass.
    needs_recompute = models.BooleanField(default=False, db_index=True)
    votes_version = models.PositiveBigIntegerField(default=0)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("opinion map", "topic")
        verbose_name_plural = pgettext_lazy("opinion map", "topics")

    def __str__(self) -> str:
        return self.title

    def eligibility(self, area_ids=None) -> Eligibility:
        ids = area_ids if area_ids is not None else self.areas.values_list("id", flat=True)
        return Eligibility(rule=self.eligibility_rule, area_ids=frozenset(ids))


class Statement(Hideable):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        SHOWN = "shown", pgettext_lazy("opinion map", "Shown")
        REJECTED = "rejected", pgettext_lazy("opinion map", "Rejected")

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="statements")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    text = models.CharField(pgettext_lazy("opinion map", "statement"), max_length=STATEMENT_MAX_LENGTH)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    moderated_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.CharField(_("reason"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["topic", "id"]
        indexes = [models.Index(fields=["topic", "status"])]
        verbose_name = pgettext_lazy("opinion map", "statement")
        verbose_name_plural = pgettext_lazy("opinion map", "statements")

    def __str__(self) -> str:
        return self.text

    @property
    def is_votable(self) -> bool:
        return self.status == self.Status.SHOWN and not self.is_hidden

    def moderation_government_id(self) -> int:
        return self.topic.local_government_id

    def moderation_author_id(self) -> int | None:
        return self.author_id

    def moderation_text(self) -> str:
        return self.text


class Vote(models.Model):
    class Value(models.IntegerChoices):
        AGREE = 1, pgettext_lazy("opinion map", "Agree")
        PASS = 0, pgettext_lazy("opinion map", "Pass / unsure")
        DISAGREE = -1, pgettext_lazy("opinion map", "Disagree")

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    participant_key = models.CharField(max_length=64)
    value = models.SmallIntegerField(choices=Value.choices)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["statement", "participant_key"], name="one_topic_vote_per_person")]
        indexes = [models.Index(fields=["topic", "participant_key"])]

    def __str__(self) -> str:
        return f"statement {self.statement_id} · {self.get_value_display()}"


class TopicResult(models.Model):
    """The last recompute: what the page and the API show. Positions by anonymous index only."""

    topic = models.OneToOneField(Topic, on_delete=models.CASCADE, related_name="result")
    computed_at = models.DateTimeField(default=timezone.now)
    votes_version = models.PositiveBigIntegerField(default=0)
    voters = models.PositiveIntegerField(default=0)
    participants = models.PositiveIntegerField(default=0)  # placed on the map
    # [[x, y, group], ...] sorted by group then position: the order says nothing about who.
    positions = models.JSONField(default=list)
    # [{"size", "representative": [{"statement", "direction", "probability", "ratio"}], "votes": {id: [agree, disagree, seen]}}]
    groups = models.JSONField(default=list)
    consensus = models.JSONField(default=dict)  # {statement id: score}
    common_ground = models.JSONField(default=list)  # statement ids every group agrees with, best first

    def __str__(self) -> str:
        return f"topic {self.topic_id} · {self.computed_at:%Y-%m-%d %H:%M}"
