"""Access rules of the meetings app (see blocs.access for the conventions)."""

from blocs.access import can, rule


def _bloc_year(obj):
    """Rules accept a meeting, a minutes revision or a bloc-year."""
    if hasattr(obj, "meeting"):
        obj = obj.meeting
    return getattr(obj, "bloc_year", obj)


@rule("meetings.view")
def _view(user, roles, obj):
    """Members of the bloc-year, its secretaries, the province's board, central readers."""
    return can(user, "blocs.view_blocyear", _bloc_year(obj))


@rule("meetings.edit")
def _edit(user, roles, obj):
    """Scheduling meetings, entering minutes, publishing: the bloc-year's secretaries and the board."""
    return can(user, "blocs.run_blocyear", _bloc_year(obj))


@rule("meetings.approve")
def _approve(user, roles, meeting):
    """The chair of the meeting or the leader of the head agency approves the minutes.

    Whoever writes the minutes (the bloc-year's secretaries, the board) does not approve them
    through the chair's account: the secretary picks that account and could pick their own.
    """
    if hasattr(meeting, "meeting"):
        meeting = meeting.meeting
    if roles.leads(meeting.bloc_year.head_id):
        return True
    is_chair = meeting.chair_user_id is not None and meeting.chair_user_id == user.pk
    return is_chair and not can(user, "blocs.run_blocyear", meeting.bloc_year)
