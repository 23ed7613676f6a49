"""What approved minutes say, as plain data: frozen at approval, printed in the PDF."""

from django.utils import timezone

from core.snapshots import snapshot_parts
from meetings.models import MeetingKind


def paragraphs(text):
    return [part.strip() for part in (text or "").replace("\r\n", "\n").split("\n") if part.strip()]


def minutes_snapshot(meeting):
    bloc_year = meeting.bloc_year
    start = timezone.localtime(meeting.starts_at)
    attendance = [
        {
            "agency": row.agency.name,
            "present": row.present,
            "name": row.representative_name,
            "title": row.representative_title,
            "absence_reason": row.absence_reason,
        }
        for row in meeting.attendances.select_related("agency").order_by("agency__name")
    ]
    pledge = getattr(meeting, "pledge", None) if hasattr(meeting, "pledge_id") else None
    head = bloc_year.head
    return {
        "kind": meeting.kind,
        "kind_label": str(MeetingKind(meeting.kind).label),
        "title": meeting.title,
        "number": meeting.minutes_number,
        "revision": meeting.revision,
        "bloc": bloc_year.bloc.name,
        "year": bloc_year.year,
        "province": bloc_year.bloc.province.name,
        "issuer_name": bloc_year.bloc.name,
        "head": head.name if head else "",
        "date": start.date().isoformat(),
        "time": start.strftime("%H:%M"),
        "venue": meeting.venue,
        "host": meeting.host.name if meeting.host_id else "",
        "chair_name": meeting.chair_name,
        "chair_title": meeting.chair_title,
        "secretary_name": meeting.secretary_name,
        "secretary_title": meeting.secretary_title,
        "agenda": meeting.agenda_items(),
        "attendance": attendance,
        "present_count": sum(1 for row in attendance if row["present"]),
        "member_count": len(attendance),
        "guests": [
            {"name": g.name, "title": g.title, "organization": g.organization} for g in meeting.guests.all()
        ],
        "discussion": paragraphs(meeting.discussion),
        "conclusions": paragraphs(meeting.conclusions),
        "results": paragraphs(meeting.results),
        "next_plan": paragraphs(meeting.next_plan),
        "decisions": [d.text for d in meeting.decisions.all()],
        "documents_adopted": meeting.adopted_items(),
        "pledge": str(pledge) if pledge else "",
        # What upper apps add (core.snapshots): the year-end review's frozen ranking (awards).
        **snapshot_parts("minutes", meeting),
    }
