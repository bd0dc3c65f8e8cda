"""The demo's example poll: open, in a real 구, marked, never counted, created once."""

import pytest
from django.core.management import call_command

from polls.models import Poll

pytestmark = pytest.mark.django_db


def test_load_demo_poll_creates_one_open_example_poll_in_jongno(capsys):
    call_command("load_demo_poll")
    call_command("load_demo_poll")
    poll = Poll.objects.get()
    assert poll.is_example and poll.is_open() and poll.local_government.code == "11010"
    assert poll.question.startswith("[예시]") and poll.choices.count() == 3
    assert all(choice.location is not None for choice in poll.choices.all())
    assert not Poll.objects.counted().exists()
    assert "nothing to do" in capsys.readouterr().out
