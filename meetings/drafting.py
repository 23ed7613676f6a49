"""Drafting the news article from approved minutes, in the style of the published reports."""

from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import MeetingKind


def _join(names):
    names = [n for n in names if n]
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s và %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def article_title(meeting):
    return meeting.title


def draft_article(meeting):
    """A first version of the article (title, lead, body) the secretary then edits."""
    bloc_year = meeting.bloc_year
    start = timezone.localtime(meeting.starts_at)
    part_of_day = _("Sáng") if start.hour < 12 else _("Chiều")
    kind_label = str(MeetingKind(meeting.kind).label)
    attendances = list(meeting.attendances.all())
    present = [a for a in attendances if a.present]
    lead = _("%(part)s ngày %(date)s, tại %(venue)s, %(bloc)s đã tổ chức %(kind)s năm %(year)s.") % {
        "part": part_of_day,
        "date": start.strftime("%d/%m/%Y"),
        "venue": meeting.venue,
        "bloc": bloc_year.bloc.name,
        "kind": kind_label[0].lower() + kind_label[1:],
        "year": bloc_year.year,
    }
    body = []
    guests = [", ".join(p for p in (g.name, g.title, g.organization) if p) for g in meeting.guests.all()]
    members = _("đại diện lãnh đạo và cán bộ phụ trách công tác thi đua, khen thưởng của %(n)02d đơn vị thành viên trong Khối: %(names)s") % {
        "n": len(present),
        "names": _join([a.agency.name for a in present]),
    }
    if guests:
        attended = _("Tham dự Hội nghị có %(guests)s; cùng %(members)s.") % {"guests": "; ".join(guests), "members": members}
    else:
        attended = _("Tham dự Hội nghị có %(members)s.") % {"members": members}
    body.append(attended)
    if meeting.chair_name:
        body.append(
            _("Đồng chí %(name)s, %(title)s chủ trì Hội nghị.") % {"name": meeting.chair_name, "title": meeting.chair_title}
            if meeting.chair_title
            else _("Đồng chí %(name)s chủ trì Hội nghị.") % {"name": meeting.chair_name}
        )
    body.extend(p.strip() for p in meeting.results.splitlines() if p.strip())
    body.extend(p.strip() for p in meeting.discussion.splitlines() if p.strip())
    adopted = []
    pledge = getattr(meeting, "pledge", None) if hasattr(meeting, "pledge_id") else None
    if pledge is not None or meeting.kind == MeetingKind.SIGNING:
        adopted.append(_("Bản giao ước thi đua năm %(year)s") % {"year": bloc_year.year})
    adopted.extend(meeting.adopted_items())
    if adopted:
        body.append(_("Hội nghị đã thông qua: %(items)s.") % {"items": "; ".join(adopted)})
    decisions = [d.text.rstrip(".") for d in meeting.decisions.all()]
    if decisions:
        body.append(_("Hội nghị thống nhất: %(items)s.") % {"items": "; ".join(decisions)})
    body.extend(p.strip() for p in meeting.conclusions.splitlines() if p.strip())
    plan = [p.strip() for p in meeting.next_plan.splitlines() if p.strip()]
    if plan:
        body.append(_("Về phương hướng, nhiệm vụ thời gian tới: %(text)s") % {"text": " ".join(plan)})
    return {"title": article_title(meeting), "lead": lead, "body": "\n\n".join(body), "author": meeting.secretary_name}
