"""The year-end review's minutes show the frozen ranking (issue 10), without the meetings app
importing awards: the meeting page gets it through a page slot (``core.slots``), the approved
minutes' snapshot (and so the minutes PDF) through a snapshot part (``core.snapshots``)."""

from awards.models import RankingRecord, RoundState
from core.slots import slot
from core.snapshots import snapshot_part

YEAR_END = "year_end"  # meetings.models.MeetingKind.YEAR_END


def frozen_ranking(bloc_year_id) -> dict | None:
    """The latest frozen ranking of the bloc-year as plain data (one query), or None."""
    record = (
        RankingRecord.objects.filter(round__bloc_year_id=bloc_year_id, round__state=RoundState.FROZEN)
        .order_by("-number").only("snapshot", "number", "frozen_at", "round_id").first()
    )
    if record is None:
        return None
    s = record.snapshot
    return {
        "number": record.number,
        "frozen_at": record.frozen_at.isoformat(),
        "rule_set": s.get("rule_set", ""),
        "tie_break": s.get("tie_break", {}),
        "rows": [
            {"rank": r["rank"], "agency": r["agency"], "total": r["total"], "band": r["band"], "tied": r["tied"],
             "partial_year": r["partial_year"]}
            for r in s.get("rows", [])
        ],
        "round_id": record.round_id,
    }


@snapshot_part("minutes")
def _minutes_ranking(meeting):
    if meeting.kind != YEAR_END:
        return None
    found = frozen_ranking(meeting.bloc_year_id)
    return {"ranking": found} if found else None


@slot("meeting_minutes", order=10)
def _meeting_ranking(request, meeting):
    """The frozen ranking under the year-end meeting's minutes (as approved, else as it stands)."""
    if meeting.kind != YEAR_END:
        return None
    found = frozen_ranking(meeting.bloc_year_id)
    if found is None:
        return None
    return {"template": "awards/scoring/ranking_minutes_part.html", "ranking": found}
