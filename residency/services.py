"""Writes about identity and residence. Who may call the government's side (rolls, codes) is the
caller's business: polls.services checks the staff role, the management command is an operator's."""

from __future__ import annotations

import csv
import io
import secrets

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError, ErrorCode
from geodata.models import Area, Level
from residency.hashing import email_hash, keyed_hash
from residency.identity import identity_adapter
from residency.models import IdentityVerification, InvitationCode, Residence, RollEntry

MAX_ROLL_BYTES = 20_000_000
MAX_CODES = 10_000
# No 0/O, 1/I/L: codes are read off paper and typed on phones.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def identity_verify(*, user, payload: dict, now=None) -> IdentityVerification:
    """Record that the account's holder passed 본인인증; one person (DI) holds one account."""
    result = identity_adapter().verify(payload=payload)
    di_hash = keyed_hash("di", result.di)
    with transaction.atomic():
        existing = IdentityVerification.objects.select_for_update().filter(user_id=user.pk).first()
        if existing is not None:
            if existing.di_hash == di_hash:
                return existing
            raise DomainError(ErrorCode.IDENTITY_ALREADY_USED, _("This account is already verified as another person."))
        if IdentityVerification.objects.filter(di_hash=di_hash).exists():
            raise DomainError(ErrorCode.IDENTITY_ALREADY_USED, _("This person is already verified with another account."))
        try:
            with transaction.atomic():
                return IdentityVerification.objects.create(user=user, di_hash=di_hash, provider=result.provider, verified_at=now or timezone.now())
        except IntegrityError as exc:  # the same DI verified at the same moment by another account
            raise DomainError(ErrorCode.IDENTITY_ALREADY_USED, _("This person is already verified with another account.")) from exc


def residence_declare(*, user, area: Area | None, now=None) -> Residence:
    """Say which 읍면동 one lives in (or none); a government's verification stays as it was."""
    if area is not None and (area.level != Level.SUBMUNICIPAL or not area.is_current):
        raise DomainError(ErrorCode.INVALID_AREA, _("Choose a 읍면동 (a neighbourhood), not a larger area."), fields={"area": [_("Choose a 읍면동.")]})
    with transaction.atomic():
        residence, _created = Residence.objects.select_for_update().get_or_create(user=user)
        residence.area = area
        residence.declared_at = (now or timezone.now()) if area else None
        residence.save(update_fields=["area", "declared_at"])
    return residence


def _roll_emails(content: bytes) -> list[str]:
    if len(content) > MAX_ROLL_BYTES:
        raise DomainError(ErrorCode.INVALID_ROLL, _("The roll is too large (at most 20 MB)."))
    for encoding in ("utf-8-sig", "cp949"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise DomainError(ErrorCode.INVALID_ROLL, _("The roll must be a CSV file in UTF-8 or CP949."))
    rows = csv.reader(io.StringIO(text.replace("\x00", "")))
    header = [cell.strip().lower() for cell in next(rows, [])]
    if "email" not in header:
        raise DomainError(ErrorCode.INVALID_ROLL, _("The roll's first line must name an email column (header: email)."))
    column = header.index("email")
    emails, bad = [], []
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        value = row[column].strip() if column < len(row) else ""
        try:
            validate_email(value)
        except ValidationError:
            bad.append(line)
            continue
        emails.append(value.lower())
    if bad:
        shown = ", ".join(str(n) for n in bad[:10]) + (" ..." if len(bad) > 10 else "")
        raise DomainError(ErrorCode.INVALID_ROLL, _("Lines without a valid email address: %(lines)s. Nothing was imported.") % {"lines": shown})
    if not emails:
        raise DomainError(ErrorCode.INVALID_ROLL, _("The roll has no addresses."))
    return emails


def residence_roll_import(*, government: Area, content: bytes, now=None) -> int:
    """Replace the government's residents' roll with this CSV (header `email`); returns the addresses kept.

    Only keyed hashes are kept. An account whose confirmed address is on the roll counts as a
    verified resident of the government, now or when it signs up later; one left off the next roll
    no longer does.
    """
    if not government.is_local_government:
        raise DomainError(ErrorCode.INVALID_GOVERNMENT, _("Choose a local government."))
    hashes = {email_hash(email) for email in _roll_emails(content)}
    when = now or timezone.now()
    with transaction.atomic():
        RollEntry.objects.filter(local_government=government).delete()
        RollEntry.objects.bulk_create([RollEntry(local_government=government, email_hash=h, uploaded_at=when) for h in sorted(hashes)])
    return len(hashes)


def _normalize_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def invitation_codes_issue(*, government: Area, count: int, now=None) -> list[str]:
    """Make `count` one-time residence codes; the plain codes are returned once and stored only hashed."""
    if not government.is_local_government:
        raise DomainError(ErrorCode.INVALID_GOVERNMENT, _("Choose a local government."))
    if not 1 <= count <= MAX_CODES:
        raise DomainError(ErrorCode.INVALID_PARAMETER, _("Issue between 1 and %(max)d codes at a time.") % {"max": MAX_CODES}, fields={"count": [_("Between 1 and %(max)d.") % {"max": MAX_CODES}]})
    codes = ["".join(secrets.choice(CODE_ALPHABET) for _ in range(12)) for _ in range(count)]
    when = now or timezone.now()
    InvitationCode.objects.bulk_create([InvitationCode(local_government=government, code_hash=keyed_hash("code", c), created_at=when) for c in codes])
    return [f"{c[:4]}-{c[4:8]}-{c[8:]}" for c in codes]


def invitation_code_redeem(*, user, code: str, now=None) -> Residence:
    """A resident enters the code their government gave them: the government vouches for them. Once per code."""
    normalized = _normalize_code(code)
    if len(normalized) != 12:
        raise DomainError(ErrorCode.INVALID_INVITATION_CODE, _("This is not a valid invitation code: check it and type it again."), fields={"code": [_("12 letters and digits.")]})
    with transaction.atomic():
        invitation = InvitationCode.objects.select_for_update().select_related("local_government").filter(code_hash=keyed_hash("code", normalized)).first()
        if invitation is None:
            raise DomainError(ErrorCode.INVALID_INVITATION_CODE, _("This is not a valid invitation code: check it and type it again."), fields={"code": [_("Unknown code.")]})
        if invitation.used_at is not None:
            raise DomainError(ErrorCode.INVITATION_CODE_USED, _("This invitation code has already been used."), fields={"code": [_("Already used.")]})
        when = now or timezone.now()
        invitation.used_at = when
        invitation.save(update_fields=["used_at"])
        residence, _created = Residence.objects.select_for_update().get_or_create(user=user)
        residence.verified_government = invitation.local_government
        residence.verified_method = Residence.Method.CODE
        residence.verified_at = when
        residence.save(update_fields=["verified_government", "verified_method", "verified_at"])
    return residence
