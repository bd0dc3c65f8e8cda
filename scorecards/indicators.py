"""The one catalogue of scorecard indicators: the methods page, the API's field names and the CSV
headers all read it, so a definition and its figure cannot drift apart.

Every indicator but `reports_received` is published as {"value", "low", "high", "n"}, or as
{"value": null, "reason": ...} when it cannot be computed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

HEADLINE = "share_closed_within_sla"

# Why a value is missing.
REASONS = {
    "not_available": _("This feature does not exist on the platform yet."),
    "no_population": _("No resident population has been imported yet."),
    "no_reports": _("No report counts towards this indicator yet."),
    "not_reached": _("Fewer than half (or than the share asked) of the reports have been closed, so the time is not known yet."),
    "too_few_units": _("Fewer than two 읍면동 have enough closed reports."),
    "too_few_repeats": _("Too few incidents have been reported again (SCORECARD_MIN_DELAY_REPEATS) to estimate the reporting delay."),
    "no_obligations": _("No proposal obligation has come due yet."),
    # Standard models: a government's figures over a window around an adoption (scorecard_window).
    "window_not_begun": _("The window has not begun yet."),
    "too_few_reports": _("Fewer reports than SCORECARD_MIN_WINDOW_REPORTS were filed in the window."),
}

COMMON_FILTER = _(
    "Public reports only: sample reports and reports hidden by a moderator are always excluded. "
    "A report counts for the local government it is routed to now (after any re-routing)."
)
TIME_FILTER = _("Reports closed as duplicates are left out, since their time says nothing about the work.")


@dataclass(frozen=True)
class Indicator:
    key: str
    kind: str  # count, rate, days, proportion, ratio, score
    label: Promise
    clock: Promise
    filters: Promise
    caveats: Promise
    available: bool = True
    higher_is_better: bool | None = None
    experimental: bool = False


def _i(key, kind, label, clock, filters, caveats, **extra) -> Indicator:
    return Indicator(key, kind, label, clock, filters, caveats, **extra)


def _days(key: str, label: Promise, clock: Promise, caveats: Promise) -> Indicator:
    """A time to respond or close: in days, duplicates left out (TIME_FILTER), the shorter the better."""
    return _i(key, "days", label, clock, TIME_FILTER, caveats, higher_is_better=False)


def _outcome(key: str, label: Promise) -> Indicator:
    """One share of the outcome mix: every outcome has the same clock, filters and caveats."""
    return _i(
        key, "proportion", label,
        _("The outcome given when the report was last closed."), _("Closed reports, duplicates included."),
        _("Outcomes are chosen by the government's staff."),
    )


INDICATORS: tuple[Indicator, ...] = (
    _i(
        "reports_received", "count", _("Reports received"),
        _("Counted at the moment a report is filed (made public)."),
        _("Every public, non-sample report routed to the government, duplicates included."),
        _("Report volume is not need: some neighbourhoods report the same problem faster and more often than others."),
    ),
    _i(
        "reports_received_per_10k", "rate", _("Reports received per 10,000 residents"),
        _("As reports received."),
        _("As reports received, divided by the resident population of the latest imported month, times 10,000."),
        _("Empty until a resident-population file is imported (manage.py import_population)."),
    ),
    _days(
        "median_days_to_acknowledge", _("Median days to first response"),
        _("From the report's filing to the government's first status change (acknowledged, in progress or closed)."),
        _("Kaplan–Meier median: reports with no response yet are censored at the moment of computation, not dropped. The interval is read off the curve's 95 % pointwise bounds (log scale)."),
    ),
    _days(
        "median_days_to_close", _("Median days to close"),
        _("From the report's filing to its (latest) closing; a reopened report's clock runs on until it is closed again."),
        _("Kaplan–Meier median with open reports censored: an average over closed reports alone would flatter slow governments. The interval is read off the curve's 95 % pointwise bounds (log scale)."),
    ),
    _days(
        "p90_days_to_close", _("90th percentile of days to close"),
        _("As median days to close: the time by which 90 % of reports are closed."),
        _("Empty (not reached) while more than 10 % of reports are still open after the longest observed time."),
    ),
    _i(
        HEADLINE, "proportion", _("Share closed within the target time"),
        _("From filing to closing, against the due date set from the category's target days when the report was filed (or reopened)."),
        format_lazy("{} {}", TIME_FILTER, _("Counted: closed reports, and open reports already past their due date (as misses). Open reports not yet due are left out.")),
        _("The headline indicator: bands within the peer group are on it. A reopened report gets a new due date."),
        higher_is_better=True,
    ),
    *(_outcome(key, label) for key, label in (
        ("share_resolved", _("Outcome: resolved")),
        ("share_partially_accepted", _("Outcome: partially accepted")),
        ("share_not_accepted", _("Outcome: not accepted")),
        ("share_duplicate", _("Outcome: duplicate")),
        ("share_referred", _("Outcome: referred")),
        ("share_already_done", _("Outcome: already done")),
    )),
    _i(
        "reopen_rate", "proportion", _("Reopen rate"),
        _("Reports reopened at least once (by the reporter or staff) after a closing."),
        _("Reports closed at least once (closed now, or reopened since), duplicates included."),
        _("A reopening says the problem was not really fixed, or was closed too early."),
        higher_is_better=False,
    ),
    _i(
        "equity_spread_days", "days", _("Equity: spread of median days to close across 읍면동"),
        _("As median days to close, computed for each 읍면동 of the government: the slowest 읍면동's median minus the fastest's."),
        format_lazy("{} {}", TIME_FILTER, _("Only 읍면동 with at least SCORECARD_MIN_EQUITY_REPORTS closed reports count; at least two are needed.")),
        _("Differences between 읍면동 may come from the kind of problems reported there, not only from service."),
        higher_is_better=False,
    ),
    _i(
        "equity_ratio", "ratio", _("Equity: slowest to fastest 읍면동"),
        _("The slowest 읍면동's median days to close over the fastest's."),
        _("As the spread."),
        _("As the spread."),
        higher_is_better=False,
    ),
    _i(
        "not_solved_rate", "proportion", _("Not solved, from ratings"), _("From closing to the reporter's rating."),
        _("Rated reports."), _("Only reporters rate, through the link emailed at closing; those who answer may not be typical."), higher_is_better=False,
    ),
    _i(
        "mean_rating", "score", _("Mean rating"), _("From closing to the reporter's rating."),
        _("Rated reports."), _("Only reporters rate, through the link emailed at closing; those who answer may not be typical."), higher_is_better=True,
    ),
    _i(
        "proposals_answered_by_deadline", "proportion", _("Proposals answered by their deadline"),
        _("From the support that crossed a threshold (creating a public obligation) to the first answer that stops the clock: "
          "accepted, declined, or under review with a next date."),
        _("Obligations of public proposals whose deadline has passed or that were answered; example proposals never count."),
        _("An 'under review' without a date does not stop the clock. Few proposals give a wide interval."),
        higher_is_better=True,
    ),
    _i(
        "obligations_overdue", "count", _("Obligations overdue"),
        _("Open obligations past their due date (the deadline, or the next date an 'under review' answer gave), "
          "or given a second 'under review' without a date; n is every obligation of the government."),
        _("Obligations of public proposals; example proposals never count."),
        _("A count, not a rate: governments with more proposals have more chances to be late."), higher_is_better=False,
    ),
    _i(
        "polls_held", "count", _("Polls held"), _("Polls closed in the period."), _("Public polls; example polls never count."),
        _("A count of polls says nothing about their quality or turnout."),
    ),
    _i(
        "campaigns_run", "count", _("Campaigns run"), _("Campaigns started by the moment of computation."),
        _("Mapping campaigns the government organises; example (demo) campaigns never count."),
        _("Counts campaigns, not what they mapped; a campaign organised by an organisation counts for no government."),
    ),
    _i(
        "models_adopted", "count", _("Models adopted"), _("Adoptions whose start date has come, by the moment of computation."),
        _("Standard models the government adopted; example (demo) models never count."),
        _("Counts adoptions, not their results; moving to a model's newer version is the same adoption."),
    ),
    _i(
        "relative_reporting_delay", "ratio", _("Relative reporting delay (experimental)"),
        _("From an incident's first report to the next report of the same incident (a \"me too\" support or a report marked its duplicate), until the incident is closed."),
        _("Incidents: public, non-sample reports that are not duplicates. Repeats: confirmed supports and public, non-sample reports marked duplicates of them. At least SCORECARD_MIN_DELAY_REPEATS incidents reported again."),
        _("Experimental, after Liu, Bhandaram & Garg (2024); never part of the bands. The national rate of repeated reports over the government's: above 1, incidents there are reported again more slowly than nationally, a sign that residents under-report. See the assumptions below."),
        experimental=True, higher_is_better=False,
    ),
)

BY_KEY = {indicator.key: indicator for indicator in INDICATORS}
# Published as {"value", "low", "high", "n"} (every indicator but the plain count).
OBJECT_KEYS = tuple(indicator.key for indicator in INDICATORS if indicator.key != "reports_received")
OUTCOME_KEYS = {
    "resolved": "share_resolved",
    "partially_accepted": "share_partially_accepted",
    "not_accepted": "share_not_accepted",
    "duplicate": "share_duplicate",
    "referred": "share_referred",
    "already_done": "share_already_done",
}

PEER_GROUPS = {
    "province": _("Provinces (광역)"),
    "city": _("Cities (시)"),
    "county": _("Counties (군)"),
    "district": _("Autonomous districts (자치구)"),
}

FUNNEL_POSITIONS = {
    "below_998": _("below the 99.8 % limit"),
    "below_95": _("below the 95 % limit"),
    "within": _("within the limits"),
    "above_95": _("above the 95 % limit"),
    "above_998": _("above the 99.8 % limit"),
}


def csv_headers() -> list[str]:
    """The columns of the CSV download, in catalogue order."""
    headers = ["code", "name", "province", "level", "peer_group", "reports_received"]
    for key in OBJECT_KEYS:
        headers += [key, f"{key}_low", f"{key}_high", f"{key}_n", f"{key}_reason"]
    return headers + ["band", "band_reason", "closed_reports", "computed_at"]
