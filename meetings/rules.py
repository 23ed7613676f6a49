"""Access rules of the meetings app (filters over ``Meeting``; see ``core.access``).

A minutes revision or an article is checked through its meeting. ``meetings.create`` and
``meetings.chair`` are over ``BlocYear``.
"""

from django.db.models import Q

from blocs.access import bloc_years_where, member_bloc_years_where
from blocs.models import BlocYear
from core.access import EVERYTHING, NOTHING, any_of, rule


def _meeting_of(obj):
    return getattr(obj, "meeting", obj)


@rule("meetings.view", model="meetings.Meeting", subject=_meeting_of)
def _view(roles) -> Q:
    """Members of the bloc-year, its secretaries, the province's board, central readers."""
    return bloc_years_where(roles, "view")


@rule("meetings.create", model="blocs.BlocYear")
def _create(roles) -> Q:
    """Scheduling the bloc-year's meetings: its secretaries and the board."""
    return bloc_years_where(roles, "run", at="pk")


@rule("meetings.edit", model="meetings.Meeting", subject=_meeting_of)
def _edit(roles) -> Q:
    """Scheduling meetings, entering minutes, publishing: the bloc-year's secretaries and the board."""
    return bloc_years_where(roles, "run")


@rule("meetings.chair", model="blocs.BlocYear")
def _chair(roles) -> Q:
    """Whose account may be a meeting's chair, the one who approves its minutes: a leader of a
    member agency of the bloc-year (never an officer).

    Whoever writes the minutes (the bloc-year's secretaries, the board) is not the chair's
    account, unless they lead the head agency (who approves anyway): the secretary picks that
    account and could pick their own. The schedule form offers exactly these people and the
    approval asks this rule, so the two cannot drift apart.
    """
    if not roles.leader_agency_ids:
        return NOTHING
    leads = sorted(roles.leader_agency_ids)
    member = member_bloc_years_where(leads, at="pk")
    head = Q(head_id__in=leads)
    runs = bloc_years_where(roles, "run", at="pk")
    if runs == NOTHING:
        return member
    if runs == EVERYTHING:  # runs every bloc-year (superuser): chairs none but the ones they head
        return head
    return (member & ~runs) | head


@rule("meetings.approve", model="meetings.Meeting", subject=_meeting_of)
def _approve(roles) -> Q:
    """The chair of the meeting (when ``meetings.chair`` allows them in its bloc-year) or the
    leader of the head agency approves the minutes."""
    chairs = _chair(roles)
    as_chair = None
    if roles.user_id is not None and chairs != NOTHING:
        as_chair = Q(chair_user_id=roles.user_id, bloc_year__in=BlocYear.objects.filter(chairs).values("pk"))
    return any_of(
        Q(bloc_year__head_id__in=sorted(roles.leader_agency_ids)) if roles.leader_agency_ids else None,
        as_chair,
    )
