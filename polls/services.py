"""Writes for polls: create (staff), vote and change one's vote (residents), publish the log (after the close).

Also the government's side of residence verification (rolls, invitation codes), which needs the
staff role checked here, above residency.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from django.contrib.gis.geos import Point
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError, ErrorCode
from geodata.models import Area
from polls.ballot_log import GENESIS, log_build
from polls.models import Ballot, BallotLogEntry, Choice, Poll, VoterRecord
from reports.photos import photo_clean
from reports.services import clean_text, validate_coordinates
from residency.eligibility import Rule, eligibility_check
from residency.hashing import keyed_hash
from residency.selectors import area_ancestor_ids
from residency.services import invitation_codes_issue, residence_roll_import
from staff.models import StaffRole
from staff.selectors import staff_roles

POLL_ROLES = {StaffRole.Role.STAFF, StaffRole.Role.ADMINISTRATOR}
MAX_CHOICES = 20
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def _require_poll_staff(actor, government: Area) -> None:
    if not staff_roles(user=actor, government_id=government.pk) & POLL_ROLES:
        raise DomainError(ErrorCode.PERMISSION_DENIED, _("Only staff of %(government)s can do this.") % {"government": government.name})


def poll_create(
    *,
    actor,
    government: Area,
    question: str,
    choices: list[dict],
    opens_at: datetime,
    closes_at: datetime,
    eligibility_rule: str = Rule.SIGNED_IN,
    areas: list[Area] = (),
    description: str = "",
    multiple: bool = False,
    interim_results: bool = False,
    is_example: bool = False,
    now: datetime | None = None,
) -> Poll:
    """A poll of a local government. `choices`: [{"label", "image" (an upload, optional), "lon"/"lat" (optional)}]."""
    if actor is not None:  # None: the platform itself (demo data)
        _require_poll_staff(actor, government)
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    question = clean_text(question)
    if not question or len(question) > 300:
        errors["question"] = [_("Ask a question of 1 to 300 characters.")]
    if opens_at is None or closes_at is None or closes_at <= opens_at:
        errors["closes_at"] = [_("The poll must close after it opens.")]
    elif closes_at <= now:
        errors["closes_at"] = [_("The closing time has already passed.")]
    if eligibility_rule not in Rule.values:
        errors["eligibility_rule"] = [_("Choose who may vote.")]
    elif eligibility_rule in (Rule.RESIDENTS, Rule.VERIFIED_RESIDENTS):
        if not areas:
            errors["areas"] = [_("Name the areas whose residents may vote.")]
        elif any(government.pk not in area_ancestor_ids(area=area) for area in areas):
            errors["areas"] = [_("Every area must be within %(government)s.") % {"government": government.name}]
    cleaned = []
    labels = [clean_text(c.get("label")) for c in choices]
    if not 2 <= len([label for label in labels if label]) <= MAX_CHOICES or len(set(labels)) != len(labels) or not all(labels):
        errors["choices"] = [_("Give between 2 and %(max)d different choices.") % {"max": MAX_CHOICES}]
    for number, (data, label) in enumerate(zip(choices, labels, strict=True), start=1):
        location = None
        if data.get("lon") not in (None, "") or data.get("lat") not in (None, ""):
            try:
                location = Point(*validate_coordinates(data.get("lon"), data.get("lat")), srid=4326)
            except DomainError as exc:
                errors.setdefault("choices", []).append(_("Choice %(n)d: %(error)s") % {"n": number, "error": exc.message})
        image = None
        if data.get("image"):
            try:
                image = photo_clean(data["image"]).content
            except DomainError as exc:
                errors.setdefault("choices", []).append(_("Choice %(n)d: %(error)s") % {"n": number, "error": exc.message})
        cleaned.append((number, label[:200], image, location))
    if errors:
        raise DomainError(ErrorCode.INVALID_POLL, _("Please correct the highlighted fields."), fields=errors)
    with transaction.atomic():
        poll = Poll.objects.create(
            local_government=government, question=question, description=clean_text(description), opens_at=opens_at,
            closes_at=closes_at, eligibility_rule=eligibility_rule, multiple=multiple, interim_results=interim_results,
            is_example=is_example, created_by=actor, created_at=now,
        )
        poll.areas.set(areas)
        for number, label, image, location in cleaned:
            choice = Choice(poll=poll, number=number, label=label, location=location)
            if image is not None:
                choice.image.save(image.name, image, save=False)
            choice.save()
    return poll


def _receipt() -> str:
    code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(10))
    return f"{code[:5]}-{code[5:]}"


def _clean_choices(poll: Poll, choice_numbers) -> list[int]:
    valid = set(poll.choices.values_list("number", flat=True))
    try:
        numbers = sorted({int(n) for n in choice_numbers})
    except (TypeError, ValueError):
        numbers = []
    if not numbers or not set(numbers) <= valid:
        raise DomainError(ErrorCode.INVALID_CHOICE, _("Choose one of the poll's choices."), fields={"choices": [_("Choose one of the poll's choices.")]})
    if len(numbers) > 1 and not poll.multiple:
        raise DomainError(ErrorCode.INVALID_CHOICE, _("This poll takes one choice only."), fields={"choices": [_("Choose one.")]})
    return numbers


def poll_vote(*, poll: Poll, user, choices: list, change: bool = False, now: datetime | None = None) -> str:
    """Cast (or, with change=True, replace) the person's ballot; returns its receipt code.

    One vote per person: a second vote without `change` is refused, and nothing changes.
    The old ballot of a changed vote is deleted, so the log holds each person's last vote only.
    """
    now = now or timezone.now()
    poll = Poll.objects.get(pk=poll.pk)
    if now < poll.opens_at:
        raise DomainError(ErrorCode.POLL_NOT_OPEN, _("This poll opens on %(when)s.") % {"when": timezone.localtime(poll.opens_at).strftime("%Y-%m-%d %H:%M")})
    if now >= poll.closes_at:
        raise DomainError(ErrorCode.POLL_CLOSED, _("This poll closed on %(when)s; votes are no longer taken.") % {"when": timezone.localtime(poll.closes_at).strftime("%Y-%m-%d %H:%M")})
    participant = eligibility_check(eligibility=poll.eligibility(), user=user)
    numbers = _clean_choices(poll, choices)
    voter_key = keyed_hash("voter", f"{poll.pk}:{participant.identity}")
    replace_tag = keyed_hash("ballot", f"{poll.pk}:{participant.identity}")
    receipt = _receipt()
    try:
        with transaction.atomic():
            # Serialises this person's concurrent votes and the log's publication.
            Poll.objects.select_for_update().filter(pk=poll.pk).exists()
            voted = VoterRecord.objects.filter(poll=poll, voter_key=voter_key).exists()
            if voted and not change:
                raise DomainError(ErrorCode.ALREADY_VOTED, _("You have already voted in this poll. You can change your vote until it closes."))
            if not voted and change:
                raise DomainError(ErrorCode.NOT_VOTED, _("You have not voted in this poll yet."))
            if voted:
                Ballot.objects.filter(poll=poll, replace_tag=replace_tag).delete()
            else:
                VoterRecord.objects.create(poll=poll, voter_key=voter_key)
            Ballot.objects.create(poll=poll, choices=numbers, receipt=receipt, area=participant.area, replace_tag=replace_tag)
    except IntegrityError as exc:  # the same person voting twice at the same moment
        raise DomainError(ErrorCode.ALREADY_VOTED, _("You have already voted in this poll. You can change your vote until it closes.")) from exc
    return receipt


def poll_publish_log(*, poll: Poll, now: datetime | None = None) -> Poll:
    """After the close, freeze the ballot log once: ballots in receipt order (so the order says
    nothing about when anyone voted), chained by SHA-256; then forget which ballot was whose."""
    now = now or timezone.now()
    with transaction.atomic():
        poll = Poll.objects.select_for_update().get(pk=poll.pk)
        if poll.log_published_at is not None:
            return poll
        if now < poll.closes_at:
            raise DomainError(ErrorCode.LOG_NOT_PUBLISHED, _("The ballot log is published when the poll closes."))
        ballots = list(Ballot.objects.filter(poll=poll).order_by("receipt").values_list("choices", "receipt"))
        lines = log_build([(numbers if poll.multiple else numbers[0], receipt) for numbers, receipt in ballots])
        BallotLogEntry.objects.bulk_create([BallotLogEntry(poll=poll, **line) for line in lines])
        Ballot.objects.filter(poll=poll).update(replace_tag=None)
        poll.log_head = lines[-1]["hash"] if lines else GENESIS
        poll.log_published_at = now
        poll.save(update_fields=["log_head", "log_published_at"])
    return poll


def residence_roll_upload(*, actor, government: Area, content: bytes, now: datetime | None = None) -> int:
    _require_poll_staff(actor, government)
    return residence_roll_import(government=government, content=content, now=now)


def invitation_codes_issue_by_staff(*, actor, government: Area, count: int, now: datetime | None = None) -> list[str]:
    _require_poll_staff(actor, government)
    return invitation_codes_issue(government=government, count=count, now=now)


def poll_publish_if_due(*, poll: Poll, now: datetime | None = None) -> Poll:
    """Publish the log of a closed poll the first time anyone asks for it (pages, API, command)."""
    if poll.log_published_at is None and poll.is_closed(now):
        return poll_publish_log(poll=poll, now=now)
    return poll
