"""Polls with a frozen clock: creation, eligibility by area, one vote per person, changing a vote,
the window, secrecy of the stored rows, and the published log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection

from core.errors import DomainError
from polls.models import Ballot, BallotLogEntry, Poll, VoterRecord
from polls.selectors import poll_has_voted, poll_log_text, poll_tally
from polls.services import poll_create, poll_publish_log, poll_vote
from residency.eligibility import Rule
from residency.services import identity_verify
from staff.models import StaffRole
from tests.factories import UserFactory, photo_upload
from tests.polls.factories import AFTER, CLOSES, NOW, OPENS, area, dong, make_poll, resident

pytestmark = pytest.mark.django_db


def _state():
    return (VoterRecord.objects.count(), sorted(Ballot.objects.values_list("receipt", "choices")))


def test_staff_create_a_poll_with_images_and_places():
    officer = UserFactory()
    StaffRole.objects.create(user=officer, local_government=area("11010"), role=StaffRole.Role.STAFF)
    poll = poll_create(
        actor=officer, government=area("11010"), question="<b>어디에</b> 벤치를 둘까요?",
        choices=[{"label": "광장", "image": photo_upload(), "lon": "126.977", "lat": "37.576"}, {"label": "산책로"}],
        opens_at=OPENS, closes_at=CLOSES, eligibility_rule=Rule.RESIDENTS, areas=[dong("청운효자동")], multiple=True, now=NOW,
    )
    assert poll.question == "어디에 벤치를 둘까요?"
    first, second = poll.choices.all()
    assert first.image.name.startswith("polls/") and first.location.x == pytest.approx(126.977)
    assert not second.image and second.location is None


@pytest.mark.parametrize("changes, field", [
    ({"question": ""}, "question"),
    ({"choices": [{"label": "하나"}]}, "choices"),
    ({"choices": [{"label": "같음"}, {"label": "같음"}]}, "choices"),
    ({"closes_at": OPENS}, "closes_at"),
    ({"eligibility_rule": Rule.RESIDENTS, "areas": []}, "areas"),
    ({"eligibility_rule": Rule.RESIDENTS, "areas": "haeundae"}, "areas"),
    ({"choices": [{"label": "가", "lon": "999", "lat": "1"}, {"label": "나"}]}, "choices"),
    ({"choices": [{"label": "가", "image": photo_upload(name="x.jpg").__class__("x.jpg", b"not an image", "image/jpeg")}, {"label": "나"}]}, "choices"),
])
def test_bad_polls_are_refused_with_the_field_named(changes, field):
    officer = UserFactory()
    StaffRole.objects.create(user=officer, local_government=area("11010"), role=StaffRole.Role.STAFF)
    if changes.get("areas") == "haeundae":
        changes["areas"] = [dong("우1동", "21090")]
    arguments = {
        "actor": officer, "government": area("11010"), "question": "질문", "choices": [{"label": "가"}, {"label": "나"}],
        "opens_at": OPENS, "closes_at": CLOSES, "now": NOW, **changes,
    }
    with pytest.raises(DomainError) as refused:
        poll_create(**arguments)
    assert refused.value.code == "invalid_poll" and field in refused.value.fields
    assert not Poll.objects.exists()


def test_only_the_governments_staff_create_polls():
    busan_officer = UserFactory()
    StaffRole.objects.create(user=busan_officer, local_government=area("21090"), role=StaffRole.Role.STAFF)
    with pytest.raises(DomainError) as refused:
        poll_create(actor=busan_officer, government=area("11010"), question="질문", choices=[{"label": "가"}, {"label": "나"}],
                    opens_at=OPENS, closes_at=CLOSES, now=NOW)
    assert refused.value.code == "permission_denied"
    assert not Poll.objects.exists()


def test_a_resident_of_one_dong_votes_a_resident_of_another_cannot():
    cheongun, sajik = dong("청운효자동"), dong("사직동")
    poll = make_poll(rule=Rule.RESIDENTS, areas=[cheongun])
    receipt = poll_vote(poll=poll, user=resident(cheongun), choices=[1], now=NOW)
    assert len(receipt) == 11
    with pytest.raises(DomainError) as refused:
        poll_vote(poll=poll, user=resident(sajik), choices=[1], now=NOW)
    assert refused.value.code == "not_eligible" and "사직동" in refused.value.message
    assert VoterRecord.objects.count() == Ballot.objects.count() == 1


def test_one_vote_per_person_changeable_until_the_close():
    poll = make_poll()
    voter = resident()
    first = poll_vote(poll=poll, user=voter, choices=[1], now=NOW)
    before = _state()
    with pytest.raises(DomainError) as twice:
        poll_vote(poll=poll, user=voter, choices=[2], now=NOW)
    assert twice.value.code == "already_voted" and twice.value.http_status == 409
    assert _state() == before
    second = poll_vote(poll=poll, user=voter, choices=[2], change=True, now=NOW + timedelta(hours=1))
    assert second != first
    assert list(Ballot.objects.values_list("receipt", "choices")) == [(second, [2])]
    assert poll_has_voted(poll=poll, user=voter) and not poll_has_voted(poll=poll, user=UserFactory())
    with pytest.raises(DomainError) as never_voted:
        poll_vote(poll=poll, user=UserFactory(), choices=[1], change=True, now=NOW)
    assert never_voted.value.code == "not_voted"


def test_one_vote_per_person_across_accounts_when_identity_is_required():
    poll = make_poll(rule=Rule.IDENTITY_VERIFIED)
    first, second = UserFactory(), UserFactory()
    identity_verify(user=first, payload={"di": "DI-of-one-person-0001"})
    poll_vote(poll=poll, user=first, choices=[1], now=NOW)
    with pytest.raises(DomainError) as refused:
        poll_vote(poll=poll, user=second, choices=[1], now=NOW)
    assert refused.value.code == "not_eligible"  # the second account cannot carry the same DI
    assert Ballot.objects.count() == 1


@pytest.mark.parametrize("when, code", [(OPENS - timedelta(seconds=1), "poll_not_open"), (CLOSES, "poll_closed"), (AFTER, "poll_closed")])
def test_votes_outside_the_window_are_refused(when, code):
    poll = make_poll()
    with pytest.raises(DomainError) as refused:
        poll_vote(poll=poll, user=resident(), choices=[1], now=when)
    assert refused.value.code == code and refused.value.message
    assert _state() == (0, [])


@pytest.mark.parametrize("choices", [[], [3], ["x"], [1, 2], None])
def test_bad_choices_are_refused(choices):
    poll = make_poll()
    with pytest.raises(DomainError) as refused:
        poll_vote(poll=poll, user=resident(), choices=choices or [], now=NOW)
    assert refused.value.code == "invalid_choice"
    assert _state() == (0, [])


def test_the_stored_rows_do_not_link_voters_to_ballots():
    poll = make_poll()
    voter = resident()
    poll_vote(poll=poll, user=voter, choices=[1], now=NOW)
    with connection.cursor() as cursor:
        cursor.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'polls_ballot'")
        columns = {row[0] for row in cursor.fetchall()}
    assert columns == {"id", "poll_id", "choices", "receipt", "area_id", "replace_tag"}
    record = VoterRecord.objects.get()
    # Keyed hashes of (poll, person), different for the record and the ballot: no join between them.
    assert len(record.voter_key) == 64 and record.voter_key != Ballot.objects.get().replace_tag
    assert not VoterRecord.objects.filter(voter_key__in=Ballot.objects.values("replace_tag")).exists()


def test_the_log_is_published_after_the_close_and_verifies(capsys):
    from django.core.management import call_command

    poll = make_poll(choices=("가", "나", "다"))
    receipts = [poll_vote(poll=poll, user=resident(), choices=[n], now=NOW) for n in (1, 2, 2, 3, 2)]
    with pytest.raises(DomainError) as early:
        poll_publish_log(poll=poll, now=NOW)
    assert early.value.code == "log_not_published"
    published = poll_publish_log(poll=poll, now=AFTER)
    assert len(published.log_head) == 64
    assert poll_publish_log(poll=poll, now=AFTER + timedelta(days=1)).log_head == published.log_head  # once
    text = poll_log_text(poll=published)
    assert sorted(line.split('"receipt":"')[1][:11] for line in text.splitlines()) == sorted(receipts)
    assert not Ballot.objects.filter(replace_tag__isnull=False).exists()  # who-was-whose is forgotten
    assert poll_tally(poll=published) == {1: 1, 2: 3, 3: 1}
    call_command("verify_ballots", str(poll.pk))
    out = capsys.readouterr().out
    assert "OK: 5 ballots" in out and published.log_head in out and "choice 2: 3" in out


def test_a_tampered_log_is_rejected(tmp_path):
    from django.core.management import CommandError, call_command

    poll = make_poll()
    for n in (1, 1, 2):
        poll_vote(poll=poll, user=resident(), choices=[n], now=NOW)
    poll = poll_publish_log(poll=poll, now=AFTER)
    lines = poll_log_text(poll=poll).splitlines()
    good = tmp_path / "good.jsonl"
    good.write_text("\n".join(lines) + "\n")
    call_command("verify_ballots", str(poll.pk), "--file", str(good))
    flipped = tmp_path / "flipped.jsonl"
    first_choice = '"choice":1' if '"choice":1' in lines[0] else '"choice":2'
    other = '"choice":2' if first_choice == '"choice":1' else '"choice":1'
    flipped.write_text("\n".join([lines[0].replace(first_choice, other), *lines[1:]]) + "\n")
    with pytest.raises(CommandError, match="line 1: hash does not match"):
        call_command("verify_ballots", str(poll.pk), "--file", str(flipped))
    dropped = tmp_path / "dropped.jsonl"
    dropped.write_text("\n".join(lines[:-1]) + "\n")  # a valid chain, one ballot short
    with pytest.raises(CommandError, match="chain ends at"):
        call_command("verify_ballots", str(poll.pk), "--file", str(dropped))
    assert BallotLogEntry.objects.filter(poll=poll).count() == 3


def test_ballots_survive_account_deletion_and_residence_goes_with_the_account():
    from privacy.services import account_delete
    from residency.models import Residence

    poll = make_poll(rule=Rule.RESIDENTS, areas=[dong("청운효자동")])
    voter = resident(dong("청운효자동"))
    identity_verify(user=voter, payload={"di": "DI-of-leaving-person-01"})
    receipt = poll_vote(poll=poll, user=voter, choices=[2], now=NOW)
    account_delete(user=voter)
    assert list(Ballot.objects.values_list("receipt", "choices")) == [(receipt, [2])]
    assert VoterRecord.objects.count() == 1
    assert not Residence.objects.exists()
    assert poll_tally(poll=poll) == {1: 0, 2: 1}
