"""Home panel: pledges waiting for the user (to sign, to review, in progress for secretaries)."""

from core.home import home_panel
from pledges import selectors

LIMIT = 10


@home_panel(20)
def pledges_panel(request):
    user = request.user
    to_sign = list(selectors.to_sign(user=user)[:LIMIT])
    to_review = list(selectors.to_review(user=user)[:LIMIT])
    in_progress = list(selectors.secretary_open(user=user)[:LIMIT])
    if not (to_sign or to_review or in_progress):
        return None
    return {"template": "pledges/_home_panel.html", "to_sign": to_sign, "to_review": to_review, "in_progress": in_progress}
