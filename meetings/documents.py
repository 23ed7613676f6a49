"""The minutes PDF, built through the shared document service (core.documents)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.documents import DocumentContent, document_builder, issuer_parent
from meetings.models import Meeting, MeetingKind, MinutesRevision
from meetings.snapshot import minutes_snapshot, paragraphs

# The text sections of minutes, in the order both the meeting page and the PDF print them.
RESULTS_HEADINGS = {
    MeetingKind.MID_YEAR: gettext_lazy("Kết quả 6 tháng đầu năm"),
    MeetingKind.YEAR_END: gettext_lazy("Kết quả thực hiện cả năm"),
}
MINUTES_SECTIONS = (
    ("results", gettext_lazy("Kết quả thực hiện")),
    ("next_plan", gettext_lazy("Phương hướng, nhiệm vụ")),
    ("discussion", gettext_lazy("Diễn biến, thảo luận")),
    ("conclusions", gettext_lazy("Kết luận")),
)


def minutes_sections(source) -> list[dict]:
    """The minutes' text sections that have content, each ``{"key", "heading", "paragraphs"}``.

    ``source`` is a minutes snapshot (dict, as frozen at approval) or a Meeting (its saved draft):
    the meeting page and the minutes PDF both print these, so a heading cannot go missing in one."""
    if isinstance(source, dict):
        kind, texts = source.get("kind"), {key: source.get(key) or [] for key, _heading in MINUTES_SECTIONS}
    else:
        kind, texts = source.kind, {key: paragraphs(getattr(source, key)) for key, _heading in MINUTES_SECTIONS}
    sections = []
    for key, heading in MINUTES_SECTIONS:
        if key == "results":
            heading = RESULTS_HEADINGS.get(kind, heading)
        if texts[key]:
            sections.append({"key": key, "heading": str(heading), "paragraphs": texts[key]})
    return sections


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
    approved_at, approved_by = None, ""
    if isinstance(source, MinutesRevision):
        m, content_hash = source.snapshot, source.content_hash
        approved_at = timezone.localtime(source.approved_at)
        if source.approved_by_id:
            approved_by = source.approved_by.get_full_name() or source.approved_by.get_username()
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
        "sections": minutes_sections(m),
        "approved_at": approved_at,
    }
    summary = {
        "title": _("Biên bản %(title)s") % {"title": m["title"]},
        "number": m["number"],
        "bloc": m["bloc"],
        "year": m["year"],
        "province": m["province"],
        "lines": _summary_lines(m),
    }
    if approved_at:
        # Who approved the minutes, and when: the verify page answers it as it names a pledge's signers.
        summary["approved"] = {"by": approved_by or m["chair_name"], "chair": m["chair_name"], "chair_title": m["chair_title"],
                               "at": approved_at.strftime("%d/%m/%Y %H:%M")}
    return DocumentContent(template_name="meetings/minutes_document.html", context=context, summary=summary, content_hash=content_hash)
