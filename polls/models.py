"""Polls. Who voted (VoterRecord) and what was voted (Ballot) are kept apart: no column joins them.

See README "Polls: ballot secrecy" for what links remain, to whom, and for how long.
"""

import uuid

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from residency.eligibility import Eligibility, Rule


class PollQuerySet(models.QuerySet):
    def counted(self):
        """What statistics and scorecards count: no example polls."""
        return self.filter(is_example=False)


class Poll(models.Model):
    local_government = models.ForeignKey("geodata.Area", on_delete=models.PROTECT, related_name="polls", verbose_name=_("local government"))
    question = models.CharField(_("question"), max_length=300)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    eligibility_rule = models.CharField(_("who may vote"), max_length=24, choices=Rule.choices, default=Rule.SIGNED_IN)
    areas = models.ManyToManyField("geodata.Area", blank=True, related_name="+", verbose_name=_("areas"))
    multiple = models.BooleanField(_("several choices allowed"), default=False)
    interim_results = models.BooleanField(_("results shown while open"), default=False)
    is_example = models.BooleanField(_("example"), default=False, help_text=_("demo data, never counted"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # Set once, when the ballot log is published after the close: the chain's last hash.
    log_head = models.CharField(max_length=64, blank=True)
    log_published_at = models.DateTimeField(null=True, blank=True)

    objects = PollQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(closes_at__gt=models.F("opens_at")), name="poll_closes_after_opening")]
        verbose_name = _("poll")
        verbose_name_plural = _("polls")

    def __str__(self) -> str:
        return self.question

    def eligibility(self, area_ids=None) -> Eligibility:
        ids = area_ids if area_ids is not None else self.areas.values_list("id", flat=True)
        return Eligibility(rule=self.eligibility_rule, area_ids=frozenset(ids))

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def is_closed(self, now=None) -> bool:
        return (now or timezone.now()) >= self.closes_at


def choice_image_path(instance, filename: str) -> str:
    return f"polls/{uuid.uuid4().hex}{filename[filename.rfind('.'):]}"


class Choice(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="choices")
    number = models.PositiveSmallIntegerField(_("number"))  # 1, 2, 3...: what ballots and the log record
    label = models.CharField(_("choice"), max_length=200)
    image = models.ImageField(_("image"), upload_to=choice_image_path, blank=True)
    location = models.PointField(_("place on the map"), srid=4326, null=True, blank=True)

    class Meta:
        ordering = ["poll", "number"]
        constraints = [models.UniqueConstraint(fields=["poll", "number"], name="one_choice_number_per_poll")]

    def __str__(self) -> str:
        return f"{self.number}. {self.label}"


class VoterRecord(models.Model):
    """That someone voted in a poll (for one vote per person), not what: `voter_key` is a keyed hash
    of the poll and the person's identity (account, or DI when identity is required)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="voter_records")
    voter_key = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["poll", "voter_key"], name="one_vote_per_person")]

    def __str__(self) -> str:
        return f"poll {self.poll_id} · voter"


class Ballot(models.Model):
    """What was voted. No voter, no time: a random id, the choice numbers, the receipt given to the
    voter, and the voter's 읍면동 for results by area (shown only in groups of 10 or more).

    `replace_tag` (another keyed hash of poll and identity) lets a voter change their vote until the
    close; it is erased when the log is published.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    choices = ArrayField(models.PositiveSmallIntegerField())
    receipt = models.CharField(max_length=16)
    area = models.ForeignKey("geodata.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    replace_tag = models.CharField(max_length=64, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "receipt"], name="one_receipt_per_poll"),
            models.UniqueConstraint(fields=["poll", "replace_tag"], name="one_ballot_per_person"),
        ]

    def __str__(self) -> str:
        return f"poll {self.poll_id} · {self.receipt}"


class BallotLogEntry(models.Model):
    """One line of the published ballot log (frozen at publication)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="log_entries")
    seq = models.PositiveIntegerField()
    choice = models.JSONField()
    receipt = models.CharField(max_length=16)
    prev = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["poll", "seq"]
        constraints = [models.UniqueConstraint(fields=["poll", "seq"], name="one_log_line_per_seq")]

    def __str__(self) -> str:
        return f"poll {self.poll_id} · {self.seq}"
