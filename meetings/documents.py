"""The minutes PDF, built through the shared document service (core.documents)."""

import datetime

from django.utils.translation import gettext as _

from core.documents import DocumentContent, document_builder, issuer_parent
from meetings.models import Meeting, MinutesRevision
from meetings.snapshot import minutes_snapshot


def _summary_lines(m):
    lines = [
        _("Thời gian: %(time)s ngày %(date)s; địa điểm: %(venue)s")
        % {"time": m["time"], "date": datetime.date.fromisoformat(m["date"]).strftime("%d/%m/%Y"), "venue": m["venue"]},
        _("Có mặt %(present)d/%(total)d đơn vị") % {"present": m["present_count"], "total": m["member_count"]},
    ]
    for row in m["attendance"]:
        state = _("có mặt") if row["present"] else _("vắng")
        who = ", ".join(part for part in (row["name"], row["title"]) if part)
        lines.append(f"{row['agency']}: {state}" + (f" ({who})" if who else ""))
    for guest in m["guests"]:
        lines.append(_("Khách mời: %(guest)s") % {"guest": ", ".join(p for p in (guest["name"], guest["title"], guest["organization"]) if p)})
    for text in m["decisions"]:
        lines.append(_("Quyết nghị: %(text)s") % {"text": text})
    return lines



@document_builder("minutes", view_rule="meetings.view", manage_rule="meetings.edit")
def build_minutes(source):
    """``source`` is an approved MinutesRevision (the issued PDF) or a Meeting (a preview of the draft)."""
    if isinstance(source, MinutesRevision):
        m, content_hash = source.snapshot, source.content_hash
    elif isinstance(source, Meeting):
        m, content_hash = minutes_snapshot(source), ""
    else:  # pragma: no cover - registered for these two only
        raise TypeError(f"cannot build minutes from {type(source).__name__}")
    day = datetime.date.fromisoformat(m["date"])
    context = {
        "m": m,
        "day": day,
        "issuer_parent": issuer_parent(m["province"]),
        "issuer_name": m["issuer_name"],
        "number": m["number"],
        "place": m["province"],
    }
    summary = {
        "title": _("Biên bản %(title)s") % {"title": m["title"]},
        "number": m["number"],
        "bloc": m["bloc"],
        "year": m["year"],
        "province": m["province"],
        "lines": _summary_lines(m),
    }
    return DocumentContent(template_name="meetings/minutes_document.html", context=context, summary=summary, content_hash=content_hash)
