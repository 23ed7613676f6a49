"""Drafting the news article from approved minutes, in the order and phrasing of the published reports.

The reports (``../shared/seeds/``) tell, in this order: when, where and which bloc held which
meeting; who attended (guests and the members' representatives, every person as "đồng chí"), who
chaired (introduced once, with their title); what was reviewed (the results, the directions,
the discussion); the chair's conclusions; what the meeting adopted and decided; then the photos
(the news page shows them under the text). The last paragraph ends with "./.".
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import MeetingKind


def _join(names):
    names = [n for n in names if n]
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s và %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def report_date(day):
    """The reports' date: a leading zero only for days 1–9 and months 1–2 (17/6/2020, 22/01/2021)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{day.day:02d}/{month}/{day.year}"


def _comrade(name, *details, first=False):
    """"đồng chí Ngô Thị Kim Oanh, Thành viên …" (the name, then what is known of the person);
    ``first``: at the start of a sentence ("Đồng chí …")."""
    said = (_("Đồng chí %(name)s") if first else _("đồng chí %(name)s")) % {"name": name}
    return ", ".join([said, *[d for d in details if d]])


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def article_title(meeting):
    return meeting.title


def draft_article(meeting):
    """A first version of the article (title, lead, body) the secretary then edits."""
    bloc_year = meeting.bloc_year
    start = timezone.localtime(meeting.starts_at)
    part_of_day = _("Sáng ngày") if start.hour < 12 else _("Chiều ngày")
    kind_label = str(MeetingKind(meeting.kind).label)
    present = [a for a in meeting.attendances.all() if a.present]
    chair = (meeting.chair_name or "").strip()

    # Who, when, where: "Sáng ngày 17/6/2020, tại …, Khối … đã tổ chức Hội nghị … năm 2020."
    lead = _("%(part)s %(date)s, tại %(venue)s, %(bloc)s đã tổ chức %(kind)s năm %(year)s.") % {
        "part": part_of_day,
        "date": report_date(start.date()),
        "venue": meeting.venue,
        "bloc": bloc_year.bloc.name,
        "kind": kind_label,
        "year": bloc_year.year,
    }
    body = []

    # Who attended: the guests (the chair among them is introduced below, once), then the members.
    guests = [
        _comrade(g.name, g.title, g.organization)
        for g in meeting.guests.all()
        if g.name.strip() and g.name.strip().casefold() != chair.casefold()
    ]
    member_names = [
        _("%(name)s (trưởng khối)") % {"name": a.agency.name} if a.agency_id == bloc_year.head_id else a.agency.name for a in present
    ]
    members = _("đại diện lãnh đạo và cán bộ phụ trách công tác thi đua, khen thưởng của %(n)02d đơn vị thành viên trong Khối gồm: %(names)s") % {
        "n": len(present),
        "names": _join(member_names),
    }
    if guests:
        attended = _("Tham dự Hội nghị có %(guests)s; cùng %(members)s.") % {"guests": "; ".join(guests), "members": members}
    else:
        attended = _("Tham dự Hội nghị có %(members)s.") % {"members": members}
    body.append(attended)
    if chair:
        body.append(_("%(chair)s chủ trì Hội nghị.") % {"chair": _comrade(chair, meeting.chair_title, first=True)})

    # What was reviewed: the results, the directions, the discussion.
    results = _lines(meeting.results)
    if results:
        body.append(_("Hội nghị tập trung đánh giá kết quả thực hiện nhiệm vụ: %(text)s") % {"text": " ".join(results)})
    plan = _lines(meeting.next_plan)
    if plan:
        body.append(_("Về phương hướng, nhiệm vụ thời gian tới: %(text)s") % {"text": " ".join(plan)})
    body.extend(_lines(meeting.discussion))

    # The chair's conclusions (the chair already introduced: the name only).
    conclusions = _lines(meeting.conclusions)
    if conclusions:
        if chair:
            body.append(_("Kết luận Hội nghị, đồng chí %(name)s nhấn mạnh: %(text)s") % {"name": chair, "text": " ".join(conclusions)})
        else:
            body.extend(conclusions)

    # What was adopted and decided.
    adopted = []
    pledge = getattr(meeting, "pledge", None) if hasattr(meeting, "pledge_id") else None
    if pledge is not None or meeting.kind == MeetingKind.SIGNING:
        adopted.append(_("Bản giao ước thi đua năm %(year)s") % {"year": bloc_year.year})
    adopted.extend(meeting.adopted_items())
    if adopted:
        body.append(_("Hội nghị đã thông qua: %(items)s.") % {"items": "; ".join(adopted)})
    decisions = [d.text.strip().rstrip(".") for d in meeting.decisions.all() if d.text.strip()]
    if decisions:
        body.append(_("Hội nghị thống nhất: %(items)s.") % {"items": "; ".join(decisions)})

    if body:
        body[-1] = body[-1].rstrip(".") + "./."
    return {"title": article_title(meeting), "lead": lead, "body": "\n\n".join(body), "author": meeting.secretary_name}
