"""manage.py verify_ballots <poll id> [--file ballots.jsonl]: check a published ballot log.

Checks every line's hash and its link to the line before, that the chain ends at the head the
poll's page shows, and that the log's tally is the published result. A tampered log fails, naming
the line.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from polls.ballot_log import LogError, log_verify
from polls.selectors import poll_get, poll_log_text, poll_tally


class Command(BaseCommand):
    help = "Verify a poll's published ballot log: the hash chain, its head and the tally."

    def add_arguments(self, parser):
        parser.add_argument("poll_id", type=int)
        parser.add_argument("--file", help="a downloaded ballots.jsonl (default: the log as this site publishes it)")

    def handle(self, *args, poll_id: int, file: str | None = None, **options):
        try:
            poll = poll_get(poll_id=poll_id)
            text = Path(file).read_text(encoding="utf-8") if file else poll_log_text(poll=poll)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        try:
            verified = log_verify(text)
        except LogError as exc:
            raise CommandError(f"The log does not verify: {exc}") from exc
        if verified.head != poll.log_head:
            raise CommandError(f"The log does not verify: its chain ends at {verified.head}, the poll publishes {poll.log_head or '(nothing yet)'}")
        published = {n: c for n, c in poll_tally(poll=poll).items() if c}
        if verified.tally != published:
            raise CommandError(f"The log does not verify: its tally {verified.tally} differs from the published result {published}")
        self.stdout.write(f"OK: {verified.ballots} ballots, chain head {verified.head}")
        for number, count in sorted(verified.tally.items()):
            self.stdout.write(f"  choice {number}: {count}")
