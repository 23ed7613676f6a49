"""The meetings panel of the home page: upcoming meetings, minutes to approve, minutes to finish
(with the chair's reason when they were returned), of the year the home page shows."""

import datetime

from django.db.models import CharField, Exists, JSONField, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.utils import timezone

from blocs.access import roles_of, taking_part_where
from core.access import NOTHING, any_of, restrict
from core.home import home_context, home_panel, pending_work
from core.models import AuditEntry
from meetings import selectors
from meetings.models import Meeting, MeetingState


@pending_work
def pending(user) -> Q:
    """Bloc-years (a ``Q`` over BlocYear) where the panel has meeting work for the user: a meeting
    coming, minutes to approve, minutes the secretary has to finish. The same three lists."""
    roles = roles_of(user)
    meetings = Meeting.objects.filter(bloc_year_id=OuterRef("pk"))
    coming = meetings.filter(state=MeetingState.PLANNED, starts_at__gte=timezone.now() - datetime.timedelta(hours=12))
    to_approve = restrict(meetings.filter(state=MeetingState.SUBMITTED), user, "meetings.approve")
    to_finish = meetings.filter(state__in=[MeetingState.HELD, MeetingState.APPROVED])
    taking_part = taking_part_where(roles)
    return any_of(
        taking_part & Q(Exists(coming)) if taking_part != NOTHING else NOTHING,
        Q(Exists(to_approve)),
        Q(pk__in=sorted(roles.secretary_bloc_year_ids)) & Q(Exists(to_finish)) if roles.secretary_bloc_year_ids else NOTHING,
    )


def _with_return(meetings):
    """Each meeting's latest submit / return / reopen / cancel entry (action, data, who), as columns of
    the same query (none per meeting, none extra): minutes last *returned* show the chair's reason."""
    latest = AuditEntry.objects.filter(
        object_type=Meeting._meta.label_lower, object_id=Cast(OuterRef("pk"), CharField()), action__in=selectors.RETURN_ACTIONS,
    ).order_by("-id")
    return meetings.annotate(
        last_action=Subquery(latest.values("action")[:1]),
        last_data=Subquery(latest.values("data")[:1], output_field=JSONField()),
        last_by=Subquery(latest.values("actor_name")[:1]),
    )


def _returned(meeting):
    """``{"reason": …, "by": …}`` when the chair's return is what the secretary has to answer."""
    if meeting.state != MeetingState.HELD or meeting.last_action != "meeting.minutes_return":
        return None
    return {"reason": (meeting.last_data or {}).get("reason", ""), "by": meeting.last_by}


@home_panel(30)
def meetings_panel(request):
    user = request.user
    year = home_context(request)["year"]
    upcoming = list(selectors.upcoming_for_user(user=user, year=year))
    to_approve = list(selectors.awaiting_approval(user=user, year=year))
    to_finish = list(_with_return(selectors.awaiting_secretary(user=user, year=year)))
    for meeting in to_finish:
        meeting.returned = _returned(meeting)
    bloc_years = list(selectors.my_bloc_years(user=user, year=year))
    if not (upcoming or to_approve or to_finish or bloc_years):
        return None
    return {
        "template": "meetings/_home_panel.html",
        "upcoming": upcoming,
        "to_approve": to_approve,
        "to_finish": to_finish,
        "bloc_years": bloc_years,
    }
