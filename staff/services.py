"""Staff writes: thin permission checks over reports.services, plus assignment, official updates
and moderation. Every change leaves a ReportEvent in the report's audit trail.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.events import send_event
from core.parsing import parse_email
from geodata.models import Area
from reports import services as report_services
from reports.models import Comment, Report, ReportEvent, ReportPhoto, Status
from reports.services import clean_text
from staff import signals
from staff.models import Department, ReplyTemplate, ReportAssignment, StaffInvitation, StaffRole
from staff.selectors import MODERATE_ROLES, WORK_ROLES, staff_can, staff_can_manage_team, staff_roles

MAX_NOTE = 4000


def _require(user, report: Report, roles: set[str]) -> None:
    if not staff_can(user=user, report=report, roles=roles):
        raise PermissionDenied(_("You do not work on this report's local government."))


def _government_label(report: Report) -> str:
    # The public sees the government acting, never the officer's name.
    return Area.objects.only("name").get(pk=report.local_government_id).name


def staff_change_status(
    *, report: Report, actor, to_status: str, reason: str = "", public_note: str = "", outcome: str = "",
    duplicate_of: Report | None = None,
) -> ReportEvent:
    """Acknowledge, start or close a report (with outcome) for the government that holds it."""
    _require(actor, report, WORK_ROLES)
    if duplicate_of is not None and duplicate_of.local_government_id != report.local_government_id and not staff_can(
        user=actor, report=duplicate_of, roles=WORK_ROLES
    ):
        raise DomainError("duplicate_of_not_found", _("Name a report of your own government."), fields={"duplicate_of": [_("Unknown report.")]})
    return report_services.report_change_status(
        report=report, to_status=to_status, actor=actor, actor_label=_government_label(report), reason=reason,
        public_note=public_note, outcome=outcome, duplicate_of=duplicate_of,
    )


def staff_reopen(*, report: Report, actor, reason: str) -> ReportEvent:
    _require(actor, report, WORK_ROLES)
    return report_services.report_reopen(report=report, actor=actor, actor_label=_government_label(report), reason=reason)


def staff_reroute(*, report: Report, actor, to_government: Area, reason: str) -> ReportEvent:
    """Pass a report to another government; from then on only that government's staff work it."""
    _require(actor, report, WORK_ROLES)
    with transaction.atomic():  # one step: never a re-routed report still assigned inside the old government
        event = report_services.report_reroute(
            report=report, to_government=to_government, actor=actor, actor_label=_government_label(report), reason=reason
        )
        # The old government's assignment means nothing to the new one.
        ReportAssignment.objects.filter(report=report).delete()
    return event


def report_assign(*, report: Report, actor, department: Department | None = None, officer=None) -> ReportAssignment:
    """Give a report to a department and/or an officer of its own government."""
    _require(actor, report, WORK_ROLES)
    if department is None and officer is None:
        raise DomainError("assignee_required", _("Choose a department or an officer."))
    if department is not None and department.local_government_id != report.local_government_id:
        raise DomainError("invalid_department", _("Choose a department of this local government."), fields={"department": [_("Unknown department.")]})
    if officer is not None and not staff_roles(user=officer, government_id=report.local_government_id) & WORK_ROLES:
        raise DomainError("invalid_officer", _("Choose an officer of this local government."), fields={"officer": [_("Unknown officer.")]})
    now = timezone.now()
    with transaction.atomic():
        assignment, _created = ReportAssignment.objects.update_or_create(
            report=report, defaults={"department": department, "officer": officer, "assigned_by": actor, "assigned_at": now}
        )
        ReportEvent.objects.create(
            report=report, kind=ReportEvent.Kind.ASSIGNED, actor=actor, actor_label=_government_label(report),
            is_public=False, created_at=now,
            data={"department": department.pk if department else None, "department_name": department.name if department else "",
                  "officer": officer.pk if officer else None},
        )
    return assignment


def report_official_update(*, report: Report, actor, public_note: str) -> ReportEvent:
    """A reply from the government on the public timeline; the reporter and supporters are emailed."""
    _require(actor, report, WORK_ROLES)
    note = clean_text(public_note)
    if not note:
        raise DomainError("note_required", _("Write the update."), fields={"public_note": [_("Write the update.")]})
    if len(note) > MAX_NOTE:
        raise DomainError("note_too_long", _("At most %(max)d characters.") % {"max": MAX_NOTE}, fields={"public_note": [_("Too long.")]})
    now = timezone.now()
    with transaction.atomic():
        event = ReportEvent.objects.create(
            report=report, kind=ReportEvent.Kind.UPDATE, public_note=note, actor=actor,
            actor_label=_government_label(report), created_at=now,
        )
        Report.objects.filter(pk=report.pk).update(updated_at=now)
        send_event(signals.report_official_update, Report, report=report, event=event)
    return event


class Moderation:
    HIDE_REPORT = "hide_report"
    SHOW_REPORT = "show_report"
    HIDE_COMMENT = "hide_comment"
    REMOVE_PHOTO = "remove_photo"
    HIDE_NAME = "hide_name"
    ACTIONS = (HIDE_REPORT, SHOW_REPORT, HIDE_COMMENT, REMOVE_PHOTO, HIDE_NAME)


def report_moderate(
    *, report: Report, actor, action: str, reason: str, comment: Comment | None = None, photo: ReportPhoto | None = None
) -> ReportEvent:
    """Take something out of public view. Nothing is deleted: the original stays in the audit trail."""
    _require(actor, report, MODERATE_ROLES)
    if action not in Moderation.ACTIONS:
        raise DomainError("invalid_action", _("Unknown moderation action."))
    reason = clean_text(reason)
    if not reason:
        raise DomainError("reason_required", _("Say why."), fields={"reason": [_("Give a reason.")]})
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        data: dict = {"action": action}
        if action in (Moderation.HIDE_REPORT, Moderation.SHOW_REPORT):
            data["original"] = {"is_hidden": report.is_hidden}
            report.is_hidden = action == Moderation.HIDE_REPORT
            report.save(update_fields=["is_hidden"])
        elif action == Moderation.HIDE_NAME:
            data["original"] = {"show_name": report.show_name, "reporter_name": report.reporter_name}
            report.show_name = False
            report.save(update_fields=["show_name"])
        elif action == Moderation.HIDE_COMMENT:
            if comment is None or comment.report_id != report.pk:
                raise DomainError("invalid_comment", _("Choose a comment of this report."))
            data.update(comment=comment.pk, original={"text": comment.text, "is_hidden": comment.is_hidden})
            Comment.objects.filter(pk=comment.pk).update(is_hidden=True)
        elif action == Moderation.REMOVE_PHOTO:
            if photo is None or photo.report_id != report.pk:
                raise DomainError("invalid_photo", _("Choose a photo of this report."))
            # Hidden, not deleted: the file stays for the audit trail until the retention purge.
            data.update(photo=photo.pk, original={"image": photo.image.name, "is_hidden": photo.is_hidden})
            ReportPhoto.objects.filter(pk=photo.pk).update(is_hidden=True)
        event = ReportEvent.objects.create(
            report=report, kind=ReportEvent.Kind.MODERATED, reason=reason, actor=actor,
            actor_label=_("Moderator"), is_public=False, data=data,
        )
    return event


# --- bulk work from the queue ------------------------------------------------------------------


def report_bulk_acknowledge(*, reports: list[Report], actor, public_note: str = "") -> list[ReportEvent]:
    """Acknowledge several new reports at once: all or nothing, each report's timeline written.

    Reports past "submitted" are left as they are (someone acknowledged them meanwhile).
    """
    for report in reports:
        _require(actor, report, WORK_ROLES)
    events = []
    with transaction.atomic():
        for report in Report.objects.select_for_update().filter(pk__in=[r.pk for r in reports]).order_by("pk"):
            if report.status != Status.SUBMITTED:
                continue
            events.append(staff_change_status(report=report, actor=actor, to_status=Status.ACKNOWLEDGED, public_note=public_note))
    return events


def report_bulk_assign(*, reports: list[Report], actor, department: Department | None = None, officer=None) -> list[ReportAssignment]:
    """Give several reports of one government to a department and/or officer: all or nothing."""
    if not reports:
        return []
    with transaction.atomic():
        return [report_assign(report=report, actor=actor, department=department, officer=officer) for report in reports]


# --- the government's team: invitations and roles ---------------------------------------------


def _require_team(actor, government: Area) -> None:
    if not staff_can_manage_team(user=actor, government_id=government.pk):
        raise PermissionDenied(_("Only this local government's administrators manage its team."))


def _clean_role(role: str) -> str:
    if role not in StaffRole.Role.values:
        raise DomainError("invalid_role", _("Unknown role."), fields={"role": [_("Choose a role.")]})
    return role



def staff_invitation_create(*, actor, government: Area, email: str, role: str = StaffRole.Role.STAFF) -> StaffInvitation:
    """Invite a person by email to a role at a government; they get a link to accept it.

    A new invitation to the same address and government replaces a pending one (a fresh link).
    """
    _require_team(actor, government)
    email = parse_email(email)
    role = _clean_role(role)
    if not government.is_local_government:
        raise DomainError("invalid_government", _("Choose a local government."))
    with transaction.atomic():
        StaffInvitation.objects.filter(local_government=government, email__iexact=email, accepted_at__isnull=True).delete()
        invitation = StaffInvitation.objects.create(local_government=government, email=email, role=role, invited_by=actor)
        send_event(signals.staff_invitation_created, StaffInvitation, invitation=invitation)
    return invitation


def staff_invitation_accept(*, token, user) -> StaffRole:
    """The invited person, signed in with the invited address, takes the role."""
    with transaction.atomic():
        invitation = StaffInvitation.objects.select_for_update().select_related("local_government").filter(token=token).first()
        if invitation is None or not invitation.is_usable:
            raise DomainError("invitation_invalid", _("This invitation has expired or was already used. Ask for a new one."))
        if (user.email or "").strip().lower() != invitation.email.lower():
            raise DomainError(
                "invitation_email_mismatch",
                _("This invitation is for %(email)s. Sign in with the account of that address.") % {"email": invitation.email},
            )
        role, _created = StaffRole.objects.get_or_create(user=user, local_government=invitation.local_government, role=invitation.role)
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return role


def staff_invitation_cancel(*, actor, invitation: StaffInvitation) -> None:
    _require_team(actor, invitation.local_government)
    StaffInvitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).delete()


def staff_role_set(*, actor, government: Area, user, roles: set[str]) -> set[str]:
    """Give a person exactly these roles at a government (an empty set removes them from the team).

    A government keeps at least one administrator, so its team can never lock itself out.
    """
    _require_team(actor, government)
    roles = {_clean_role(role) for role in roles}
    with transaction.atomic():
        # Serialises concurrent changes to one government's team, so the last-administrator check holds.
        Area.objects.select_for_update().filter(pk=government.pk).first()
        StaffRole.objects.filter(local_government=government, user=user).exclude(role__in=roles).delete()
        for role in roles:
            StaffRole.objects.get_or_create(user=user, local_government=government, role=role)
        if not StaffRole.objects.filter(local_government=government, role=StaffRole.Role.ADMINISTRATOR).exists() and not actor.is_superuser:
            raise DomainError("last_administrator", _("Keep at least one administrator for this local government."))
    if hasattr(actor, "_staff_roles_cache"):
        del actor._staff_roles_cache
    return roles


def staff_administrator_grant(*, actor, government: Area, email: str) -> StaffRole | StaffInvitation:
    """A superuser makes someone the administrator of a government: at once when they have an
    account with this address, otherwise by an invitation email."""
    if not actor.is_superuser:
        raise PermissionDenied(_("Only site administrators name a local government's administrators."))
    email = parse_email(email)
    user = get_user_model().objects.filter(email__iexact=email).order_by("pk").first()
    if user is None:
        return staff_invitation_create(actor=actor, government=government, email=email, role=StaffRole.Role.ADMINISTRATOR)
    role, _created = StaffRole.objects.get_or_create(user=user, local_government=government, role=StaffRole.Role.ADMINISTRATOR)
    return role


# --- saved replies --------------------------------------------------------------------------------


def reply_template_create(*, actor, government: Area, title: str, text: str) -> ReplyTemplate:
    _require_team(actor, government)
    title, text = clean_text(title), clean_text(text)
    errors = {}
    if not title:
        errors["title"] = [_("Give the reply a title.")]
    elif len(title) > 120:
        errors["title"] = [_("At most %(max)d characters.") % {"max": 120}]
    if not text:
        errors["text"] = [_("Write the reply.")]
    elif len(text) > MAX_NOTE:
        errors["text"] = [_("At most %(max)d characters.") % {"max": MAX_NOTE}]
    if not errors and ReplyTemplate.objects.filter(local_government=government, title=title).exists():
        errors["title"] = [_("A saved reply already has this title.")]
    if errors:
        raise DomainError("invalid_reply_template", _("Please correct the highlighted fields."), fields=errors)
    return ReplyTemplate.objects.create(local_government=government, title=title, text=text)


def reply_template_delete(*, actor, template: ReplyTemplate) -> None:
    _require_team(actor, template.local_government)
    template.delete()
