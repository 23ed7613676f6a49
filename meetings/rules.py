"""Access rules of the meetings app (filters over ``Meeting``; see ``core.access``).

A minutes revision or an article is checked through its meeting. ``meetings.create`` is over
``BlocYear``.
"""

from django.db.models import Q

from blocs.access import bloc_years_where
from core.access import NOTHING, any_of, rule


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


@rule("meetings.approve", model="meetings.Meeting", subject=_meeting_of)
def _approve(roles) -> Q:
    """The chair of the meeting or the leader of the head agency approves the minutes.

    Whoever writes the minutes (the bloc-year's secretaries, the board) does not approve them
    through the chair's account: the secretary picks that account and could pick their own.
    """
    runs = bloc_years_where(roles, "run")
    as_chair = None
    if roles.user_id is not None:
        as_chair = Q(chair_user_id=roles.user_id)
        if runs == NOTHING:
            pass
        elif not runs:  # runs every bloc-year (superuser): never approves as the chair
            as_chair = None
        else:
            as_chair &= ~runs
    return any_of(
        Q(bloc_year__head_id__in=sorted(roles.leader_agency_ids)) if roles.leader_agency_ids else None,
        as_chair,
    )
