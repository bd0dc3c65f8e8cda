"""Proposals and the duty to answer them.

A proposal is addressed to one local government. Supports from eligible people count towards the
government's thresholds; crossing one creates a public `Obligation` with a deadline, which the
government meets with an `Answer` (under review with a next date, accepted, declined).
"""

from django.conf import settings
from django.contrib.gis.db import models
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moderation.models import Hideable
from residency.eligibility import Rule


class ProposalQuerySet(models.QuerySet):
    def counted(self):
        """What statistics and scorecards count: no examples."""
        return self.filter(is_example=False)

    def public(self):
        return self.filter(is_hidden=False)


class Proposal(Hideable):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    local_government = models.ForeignKey(
        "geodata.Area", on_delete=models.PROTECT, related_name="proposals", verbose_name=_("local government")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals", verbose_name=_("author")
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("proposal"), max_length=8000)
    location = models.PointField(_("location"), srid=4326)
    reports = models.ManyToManyField("reports.Report", blank=True, related_name="proposals", verbose_name=_("related reports"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    # Kept with the supports, under the proposal's row lock, so thresholds are crossed exactly once.
    support_count = models.PositiveIntegerField(_("supports"), default=0)
    is_example = models.BooleanField(_("example"), default=False, help_text=_("demo data, never counted"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["local_government", "status"])]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status != self.Status.OPEN

    def moderation_government_id(self) -> int:
        return self.local_government_id

    def moderation_author_id(self) -> int | None:
        return self.author_id

    def moderation_text(self) -> str:
        return f"{self.title}\n\n{self.body}"


class Level(models.TextChoices):
    """What a crossed threshold obliges the government to do, in rising order."""

    DEPARTMENT = "department", _("An answer from the department")
    FORUM = "forum", _("A public forum")
    HEAD = "head", _("An answer from the head of government")


LEVEL_ORDER = [Level.DEPARTMENT, Level.FORUM, Level.HEAD]


class ProposalSettings(models.Model):
    """A government's rules for proposals, set by its administrators; absent: the defaults of settings."""

    local_government = models.OneToOneField(
        "geodata.Area", on_delete=models.CASCADE, related_name="proposal_settings", verbose_name=_("local government")
    )
    eligibility_rule = models.CharField(_("who may support"), max_length=24, choices=Rule.choices, default=Rule.RESIDENTS)
    department_supports = models.PositiveIntegerField(_("supports for a department answer"), validators=[MinValueValidator(1)])
    department_days = models.PositiveIntegerField(_("days to answer"), validators=[MinValueValidator(1), MaxValueValidator(365)])
    forum_supports = models.PositiveIntegerField(_("supports for a public forum"), validators=[MinValueValidator(1)])
    forum_days = models.PositiveIntegerField(_("days to hold it"), validators=[MinValueValidator(1), MaxValueValidator(365)])
    head_supports = models.PositiveIntegerField(_("supports for the head of government's answer"), validators=[MinValueValidator(1)])
    head_days = models.PositiveIntegerField(_("days to answer"), validators=[MinValueValidator(1), MaxValueValidator(365)])
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("proposal settings")
        verbose_name_plural = _("proposal settings")

    def __str__(self) -> str:
        return str(self.local_government)


class ProposalSupport(models.Model):
    """One eligible person's support. `identity` is the eligibility's participant (one per DI when required)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="proposal_supports")
    identity = models.CharField(max_length=80)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["proposal", "identity"], name="one_support_per_person_per_proposal")]

    def __str__(self) -> str:
        return f"#{self.proposal_id} · {self.identity}"


class Stance(models.TextChoices):
    FOR = "for", _("For")
    NEUTRAL = "neutral", _("Neutral")
    AGAINST = "against", _("Against")


class ProposalComment(Hideable):
    MAX_DEPTH = 3

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    depth = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1), MaxValueValidator(MAX_DEPTH)])
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="proposal_comments")
    stance = models.CharField(_("stance"), max_length=8, choices=Stance.choices)
    body = models.TextField(_("comment"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(depth__gte=1, depth__lte=3), name="proposal_comment_depth_1_to_3")]

    def __str__(self) -> str:
        return f"#{self.proposal_id} · {self.body[:40]}"

    def moderation_government_id(self) -> int:
        return self.proposal.local_government_id

    def moderation_author_id(self) -> int | None:
        return self.author_id

    def moderation_text(self) -> str:
        return self.body


class ExpertAlternative(Hideable):
    """An alternative posted by a holder of the government's expert role; shown apart from comments."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="alternatives")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("alternative"), max_length=8000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title

    def moderation_government_id(self) -> int:
        return self.proposal.local_government_id

    def moderation_author_id(self) -> int | None:
        return self.author_id

    def moderation_text(self) -> str:
        return f"{self.title}\n\n{self.body}"


class Obligation(models.Model):
    """A public duty created when supports cross a threshold: answer (or hold a forum) by the deadline.

    `due_at` starts at `deadline` and moves to the next date an "under review" answer gives;
    `met_at` is the first answer that stopped the clock (a dated review or a final answer);
    `marked_overdue_at` is set by a second "under review" without a date; `closed_at` by the final answer.
    """

    class State(models.TextChoices):
        OPEN = "open", _("Counting down")
        UNDER_REVIEW = "under_review", _("Under review")
        OVERDUE = "overdue", _("Overdue")
        ANSWERED = "answered", _("Answered")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="obligations")
    level = models.CharField(_("duty"), max_length=16, choices=Level.choices)
    threshold = models.PositiveIntegerField(_("threshold"))
    days = models.PositiveIntegerField(_("days"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    deadline = models.DateTimeField(_("deadline"))
    due_at = models.DateTimeField(_("due"))
    met_at = models.DateTimeField(null=True, blank=True)
    marked_overdue_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["proposal", "level"], name="one_obligation_per_level")]
        indexes = [models.Index(fields=["closed_at", "due_at"])]

    def __str__(self) -> str:
        return f"#{self.proposal_id} · {self.get_level_display()} · {self.deadline:%Y-%m-%d}"

    def state(self, now=None) -> str:
        now = now or timezone.now()
        if self.closed_at:
            return self.State.ANSWERED
        if self.marked_overdue_at or now > self.due_at:
            return self.State.OVERDUE
        if self.met_at:
            return self.State.UNDER_REVIEW
        return self.State.OPEN

    def is_overdue(self, now=None) -> bool:
        return self.state(now) == self.State.OVERDUE


def overdue_obligations_q(now):
    """Open obligations past their due date, or marked overdue by a second undated review."""
    return models.Q(closed_at__isnull=True) & (models.Q(due_at__lt=now) | models.Q(marked_overdue_at__isnull=False))


class Answer(models.Model):
    """The government's official answer, in the proposal's timeline."""

    class Kind(models.TextChoices):
        UNDER_REVIEW = "under_review", _("Under review")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="answers")
    kind = models.CharField(_("answer"), max_length=16, choices=Kind.choices)
    text = models.TextField(_("answer"), max_length=8000)
    next_date = models.DateField(_("next date"), null=True, blank=True)
    # Accepted: the policy or project it becomes.
    policy_title = models.CharField(_("policy or project"), max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"#{self.proposal_id} · {self.get_kind_display()}"


class Milestone(models.Model):
    """A step of the policy or project an accepted proposal became, with its progress."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_date = models.DateField(_("planned for"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, validators=[MaxValueValidator(100)])
    note = models.TextField(_("note"), max_length=2000, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(progress__lte=100), name="milestone_progress_at_most_100")]

    def __str__(self) -> str:
        return self.title
