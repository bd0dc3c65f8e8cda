import pytest

from geodata.models import Area
from staff.models import StaffRole
from tests.factories import UserFactory


def government(code: str) -> Area:
    return Area.objects.current().get(code=code)


def grant(code: str, role: str = StaffRole.Role.STAFF, notify: str = StaffRole.Notify.PER_REPORT, **user_kwargs):
    user = UserFactory(**user_kwargs)
    StaffRole.objects.create(user=user, local_government=government(code), role=role, notify=notify)
    return user


@pytest.fixture
def jongno():
    return government("11010")


@pytest.fixture
def haeundae():
    return government("21090")


@pytest.fixture
def jongno_staff(db):
    return grant("11010", username="jongno-officer")


@pytest.fixture
def haeundae_staff(db):
    return grant("21090", username="haeundae-officer")


@pytest.fixture
def jongno_moderator(db):
    return grant("11010", StaffRole.Role.MODERATOR, username="jongno-moderator")


@pytest.fixture
def jongno_expert(db):
    return grant("11010", StaffRole.Role.EXPERT, username="jongno-expert")
