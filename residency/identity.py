"""The identity-provider adapter interface (본인인증 by phone or i-PIN) and the test adapter.

A real adapter (NICE, KCB, PASS...) receives the provider's callback and returns the site-specific
identifier (DI, "중복가입확인정보"). It must never return nor log a resident registration number:
collecting those is prohibited (개인정보보호법 §24-2). Configure one with IDENTITY_PROVIDER_ADAPTER.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from core.errors import DomainError, ErrorCode


@dataclass(frozen=True)
class IdentityResult:
    di: str  # the provider's site-specific identifier; hashed before it is stored
    provider: str


class IdentityProviderAdapter:
    """Turns what the provider sent back (`payload`) into an IdentityResult, or raises DomainError."""

    name = "abstract"

    def verify(self, *, payload: dict) -> IdentityResult:  # pragma: no cover - interface
        raise NotImplementedError


class TestIdentityAdapter(IdentityProviderAdapter):
    """For development and tests: the payload carries the DI itself. Never configure it in production."""

    name = "test"

    def verify(self, *, payload: dict) -> IdentityResult:
        di = str(payload.get("di", "")).strip()
        if not (8 <= len(di) <= 200) or not di.isprintable():
            raise DomainError(ErrorCode.IDENTITY_REFUSED, _("The identity provider did not confirm who you are."))
        return IdentityResult(di=di, provider=self.name)


def identity_adapter() -> IdentityProviderAdapter:
    path = getattr(settings, "IDENTITY_PROVIDER_ADAPTER", "")
    if not path:
        raise DomainError(ErrorCode.IDENTITY_UNAVAILABLE, _("Identity verification is not available on this site."))
    return import_string(path)()
