"""Home panel: pledges waiting for the user (to sign, to review, in progress for secretaries), of the year shown."""

from core.home import home_context, home_panel, pending_work
from pledges import selectors

LIMIT = 10


@pending_work
def pending(user):
    return selectors.pending_bloc_years(user=user)


@home_panel(20)
def pledges_panel(request):
    user = request.user
    year = home_context(request)["year"]
    to_sign = list(selectors.to_sign(user=user, year=year)[:LIMIT])
    to_review = list(selectors.to_review(user=user, year=year)[:LIMIT])
    in_progress = list(selectors.secretary_open(user=user, year=year)[:LIMIT])
    if not (to_sign or to_review or in_progress):
        return None
    return {"template": "pledges/_home_panel.html", "to_sign": to_sign, "to_review": to_review, "in_progress": in_progress}
