"""Reads of the meetings app, with the joins that keep query counts flat."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Prefetch
from django.utils import timezone

from blocs.access import roles_of, taking_part_where
from blocs.models import BlocYear, Membership, Role, RoleAssignment, User
from core.access import can, restrict
from core.counts import SubqueryCount
from core.models import AuditEntry, IssuedDocument
from meetings.models import Article, Attendance, Meeting, MeetingState, MinutesRevision, Photo
from pledges.models import Pledge


def meetings_queryset():
    """Base queryset for one meeting with what every meeting page shows.

    The adopted pledge comes in its own small query: one more join chain here made PostgreSQL
    spend longer planning the query (twelve tables) than running it."""
    return Meeting.objects.select_related("bloc_year__bloc__province", "bloc_year__head", "host", "chair_user", "article").prefetch_related(
        Prefetch("pledge", queryset=Pledge.objects.select_related("bloc_year__bloc"))
    )


def meeting_detail_queryset():
    return meetings_queryset().prefetch_related(
        Prefetch("attendances", queryset=Attendance.objects.select_related("agency").order_by("agency__name")),
        "guests",
        "decisions",
        "photos",
        Prefetch("bloc_year__memberships", queryset=Membership.objects.select_related("agency").order_by("agency__name")),
    )


def with_attendance_counts(meetings):
    """Correlated counts, not a join: joining attendances and grouping sorted every attendance row
    of every visible meeting before the page's LIMIT (150,000 rows nationally)."""
    attendances = Attendance.objects.filter(meeting=OuterRef("pk"))
    return meetings.annotate(present_count=SubqueryCount(attendances.filter(present=True)), attendance_count=SubqueryCount(attendances))


def timeline(*, bloc_year):
    """The meetings of a bloc-year in date order, with attendance counts and their article."""
    meetings = Meeting.objects.filter(bloc_year=bloc_year).select_related("article", "host")
    return with_attendance_counts(meetings).order_by("starts_at", "pk")


def minutes_documents(*, meeting):
    """(revision, issued document or None) for every approval of the minutes, newest first."""
    revisions = list(MinutesRevision.objects.filter(meeting=meeting).select_related("approved_by").order_by("-number"))
    content_type = ContentType.objects.get_for_model(MinutesRevision)
    documents = {
        d.source_id: d
        for d in IssuedDocument.objects.filter(source_type=content_type, source_id__in=[r.pk for r in revisions], kind="minutes")
    }
    return [(revision, documents.get(revision.pk)) for revision in revisions]


def attendance_rows(*, meeting):
    """Initial rows of the attendance formset: one per member, with what was recorded.

    Before anything is recorded, every member starts present, represented by its leader (name
    and title as the agency records them): the secretary unticks the absent ones.
    """
    recorded = {a.agency_id: a for a in meeting.attendances.all()}
    first = not recorded
    rows = []
    for membership in meeting.bloc_year.memberships.all():
        row, agency = recorded.get(membership.agency_id), membership.agency
        if row is None and first:
            present, name, title, reason = True, agency.leader_name, agency.leader_title, ""
        elif row is None:
            present, name, title, reason = False, "", "", ""
        else:
            present, name, title, reason = row.present, row.representative_name, row.representative_title, row.absence_reason
        rows.append(
            {
                "agency": membership.agency_id,
                "agency_name": agency.name,
                "present": present,
                "representative_name": name,
                "representative_title": title,
                "absence_reason": reason,
            }
        )
    return rows


def news_list(*, province):
    """Published articles of a province, newest first (lean: page it with ``news_rows``)."""
    return Article.objects.filter(province=province, is_published=True).order_by("-published_at", "-pk")


def news_rows(articles):
    """The page's articles with their bloc and photos."""
    return articles.select_related("province", "meeting__bloc_year__bloc").prefetch_related(
        Prefetch("meeting__photos", queryset=Photo.objects.order_by("order", "pk"))
    )


def news_article(*, province, pk):
    return (
        Article.objects.filter(province=province, is_published=True, pk=pk)
        .select_related("province", "meeting__bloc_year__bloc", "meeting__host")
        .prefetch_related(Prefetch("meeting__photos", queryset=Photo.objects.order_by("order", "pk")))
        .first()
    )


def meetings_for_user(*, user, year=None):
    """The meetings the user sees, newest first (lean: page it with ``meeting_rows``)."""
    meetings = restrict(Meeting.objects.all(), user, "meetings.view")
    if year:
        meetings = meetings.filter(bloc_year__year=year)
    return meetings.order_by("-starts_at", "-pk")


def meeting_rows(meetings):
    """The page's meetings with their bloc-year, bloc, article and attendance counts."""
    return with_attendance_counts(meetings.select_related("bloc_year__bloc__province", "article"))


def _of_year(meetings, year):
    return meetings if year is None else meetings.filter(bloc_year__year=year)


def upcoming_for_user(*, user, limit=5, year=None):
    """Planned meetings of the user's bloc-years (member or secretary), soonest first."""
    meetings = Meeting.objects.filter(bloc_year__in=BlocYear.objects.filter(taking_part_where(roles_of(user))).values("pk"))
    return (
        _of_year(meetings, year)
        .filter(state=MeetingState.PLANNED, starts_at__gte=timezone.now() - datetime.timedelta(hours=12))
        .select_related("bloc_year__bloc")
        .order_by("starts_at")[:limit]
    )


def awaiting_approval(*, user, limit=10, year=None):
    """Submitted minutes this user may approve: as the chair or as the head agency's leader."""
    return (
        restrict(_of_year(Meeting.objects.filter(state=MeetingState.SUBMITTED), year), user, "meetings.approve")
        .select_related("bloc_year__bloc")
        .order_by("submitted_at")[:limit]
    )


def awaiting_secretary(*, user, limit=10, year=None):
    """Meetings of the user's bloc-years (as secretary) whose minutes still need the secretary."""
    roles = roles_of(user)
    meetings = Meeting.objects.filter(bloc_year__in=roles.secretary_bloc_year_ids, state__in=[MeetingState.HELD, MeetingState.APPROVED])
    return (
        _of_year(meetings, year)
        .select_related("bloc_year__bloc")
        .order_by("starts_at")[:limit]
    )


def my_bloc_years(*, user, limit=4, year=None):
    """The user's bloc-years (member or secretary), newest first: links to their meeting timelines."""
    bloc_years = BlocYear.objects.filter(taking_part_where(roles_of(user)))
    return (
        (bloc_years if year is None else bloc_years.filter(year=year))
        .select_related("bloc")
        .annotate(meeting_count=SubqueryCount(Meeting.objects.filter(bloc_year=OuterRef("pk"))))
        .order_by("-year", "bloc__name", "pk")[:limit]
    )


def person_title(title, agency):
    """"Giám đốc Sở Tài chính" from a title and an agency, without naming the agency twice."""
    title = (title or "").strip()
    name = agency.name if agency is not None else ""
    if not name or name.casefold() in title.casefold():
        return title
    return f"{title} {name}" if title else name


def chair_candidates(*, bloc_year):
    """The accounts the schedule form offers as the chair's: the leaders of the member agencies
    that the ``meetings.chair`` rule (the one the approval asks) allows, head agency first."""
    leaders = (
        User.objects.filter(
            is_active=True,
            pk__in=RoleAssignment.objects.filter(
                role=Role.LEADER, agency__memberships__bloc_year=bloc_year
            ).values("user_id"),
        )
        .select_related("agency")
        .order_by("agency__name", "full_name", "pk")
    )
    chosen = [user for user in leaders if can(user, "meetings.chair", bloc_year)]
    chosen.sort(key=lambda user: user.agency_id != bloc_year.head_id)
    return chosen


def secretary_bloc_years(*, user):
    """The bloc-years the user is a secretary of (newest first): where "Lên lịch hội nghị" leads."""
    roles = roles_of(user)
    if not roles.secretary_bloc_year_ids:
        return []
    return list(
        restrict(BlocYear.objects.filter(pk__in=sorted(roles.secretary_bloc_year_ids)), user, "meetings.create")
        .select_related("bloc")
        .order_by("-year", "bloc__name", "pk")
    )


RETURN_ACTIONS = ("meeting.minutes_submit", "meeting.minutes_return", "meeting.minutes_reopen", "meeting.cancel")


def return_reasons(*, meetings):
    """{meeting id: the audit entry of the chair's return} for the meetings (being drafted) whose
    minutes were last sent back by the chair and not submitted since. One query.

    The entry gives the reason (``entry.data["reason"]``), who returned them (``entry.actor_name``)
    and when (``entry.created_at``). For the home page and the minutes form.
    """
    ids = [m.pk for m in meetings if m.state == MeetingState.HELD]
    if not ids:
        return {}
    latest = {}
    entries = AuditEntry.objects.filter(
        object_type=Meeting._meta.label_lower, object_id__in=[str(pk) for pk in ids], action__in=RETURN_ACTIONS
    ).order_by("-id")
    for entry in entries.only("object_id", "action", "actor_name", "created_at", "data"):
        latest.setdefault(int(entry.object_id), entry)
    return {pk: entry for pk, entry in latest.items() if entry.action == "meeting.minutes_return"}


def return_reason(*, meeting):
    """The chair's return the secretary has still to answer, or None (see ``return_reasons``)."""
    return return_reasons(meetings=[meeting]).get(meeting.pk)
