"""The meetings panel of the home page: upcoming meetings, minutes to approve, minutes to finish."""

from core.home import home_panel
from meetings import selectors


@home_panel(30)
def meetings_panel(request):
    user = request.user
    upcoming = list(selectors.upcoming_for_user(user=user))
    to_approve = list(selectors.awaiting_approval(user=user))
    to_finish = list(selectors.awaiting_secretary(user=user))
    bloc_years = list(selectors.my_bloc_years(user=user))
    if not (upcoming or to_approve or to_finish or bloc_years):
        return None
    return {
        "template": "meetings/_home_panel.html",
        "upcoming": upcoming,
        "to_approve": to_approve,
        "to_finish": to_finish,
        "bloc_years": bloc_years,
    }
