"""Reads of the meetings app, with the joins that keep query counts flat."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Prefetch
from django.utils import timezone

from blocs.access import roles_of, taking_part_where
from blocs.models import BlocYear, Membership
from core.access import restrict
from core.counts import SubqueryCount
from core.models import IssuedDocument
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
    """Initial rows of the attendance formset: one per member, with what was recorded."""
    recorded = {a.agency_id: a for a in meeting.attendances.all()}
    rows = []
    for membership in meeting.bloc_year.memberships.all():
        row = recorded.get(membership.agency_id)
        rows.append(
            {
                "agency": membership.agency_id,
                "agency_name": membership.agency.name,
                "present": row.present if row else False,
                "representative_name": row.representative_name if row else "",
                "representative_title": row.representative_title if row else "",
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


def upcoming_for_user(*, user, limit=5):
    """Planned meetings of the user's bloc-years (member or secretary), soonest first."""
    return (
        Meeting.objects.filter(bloc_year__in=BlocYear.objects.filter(taking_part_where(roles_of(user))).values("pk"))
        .filter(state=MeetingState.PLANNED, starts_at__gte=timezone.now() - datetime.timedelta(hours=12))
        .select_related("bloc_year__bloc")
        .order_by("starts_at")[:limit]
    )


def awaiting_approval(*, user, limit=10):
    """Submitted minutes this user may approve: as the chair or as the head agency's leader."""
    return (
        restrict(Meeting.objects.filter(state=MeetingState.SUBMITTED), user, "meetings.approve")
        .select_related("bloc_year__bloc")
        .order_by("submitted_at")[:limit]
    )


def awaiting_secretary(*, user, limit=10):
    """Meetings of the user's bloc-years (as secretary) whose minutes still need the secretary."""
    roles = roles_of(user)
    return (
        Meeting.objects.filter(bloc_year__in=roles.secretary_bloc_year_ids, state__in=[MeetingState.HELD, MeetingState.APPROVED])
        .select_related("bloc_year__bloc")
        .order_by("starts_at")[:limit]
    )


def my_bloc_years(*, user, limit=4):
    """The user's bloc-years (member or secretary), newest first: links to their meeting timelines."""
    return (
        BlocYear.objects.filter(taking_part_where(roles_of(user)))
        .select_related("bloc")
        .annotate(meeting_count=SubqueryCount(Meeting.objects.filter(bloc_year=OuterRef("pk"))))
        .order_by("-year", "bloc__name", "pk")[:limit]
    )
