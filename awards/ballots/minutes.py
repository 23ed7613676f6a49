"""The year-end review's minutes show the closed ballots' results and the elected head and deputy
(issue 11), without the meetings app importing awards: the meeting page through a page slot, the
approved minutes' snapshot (and so the minutes PDF) through a snapshot part, as the ranking does
(``awards.scoring.minutes``).

The minutes PDF template prints the part with
``{% if m.ballots %}{% include "awards/ballots/minutes_document_part.html" %}{% endif %}``."""

from django.db.models import Q

from awards.ballots import selectors
from awards.models import Ballot, BallotState
from core.slots import slot
from core.snapshots import snapshot_part

YEAR_END = "year_end"  # meetings.models.MeetingKind.YEAR_END


def ballot_results(meeting) -> list[dict]:
    """The closed ballots of the meeting (or of its bloc-year with no meeting named) as plain data."""
    ballots = (
        Ballot.objects.filter(Q(meeting=meeting) | Q(meeting__isnull=True), bloc_year_id=meeting.bloc_year_id, state=BallotState.CLOSED)
        .select_related("bloc_year").order_by("created_at", "pk")
    )
    results = []
    for ballot in ballots:
        questions = selectors.questions_of(ballot)
        chosen = selectors.elected(questions)
        results.append({
            "pk": ballot.pk,
            "title": ballot.title,
            "mode": ballot.get_mode_display(),
            "members_count": ballot.members_count,
            "rounds": ballot.round,
            "questions": [
                {"round": q.round, "title": q.title, "kind": q.kind, "returned": q.returned, "valid": q.valid, "resolved": q.resolved,
                 "note": q.note,
                 "candidates": [{"agency": c.agency, "yes": c.yes, "percent": str(c.percent) if c.percent is not None else None,
                                 "passed": c.passed} for c in q.candidates]}
                for q in questions if q.counted
            ],
            "head": chosen["head"].agency if "head" in chosen else "",
            "deputy": chosen["deputy"].agency if "deputy" in chosen else "",
        })
    return results


@snapshot_part("minutes")
def _minutes_ballots(meeting):
    if meeting.kind != YEAR_END:
        return None
    found = ballot_results(meeting)
    return {"ballots": found} if found else None


@slot("meeting_minutes", order=20)
def _meeting_ballots(request, meeting):
    """The closed ballots' results under the year-end meeting's minutes."""
    if meeting.kind != YEAR_END:
        return None
    found = ballot_results(meeting)
    if not found:
        return None
    return {"template": "awards/ballots/minutes_part.html", "ballots": found}
