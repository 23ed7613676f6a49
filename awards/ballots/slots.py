"""The bloc-year page's "Bỏ phiếu: …" line: its ballots (those the user may see) and, for its
secretaries and the board, "Tạo cuộc bỏ phiếu" when none is left unclosed (issue 11)."""

from awards.ballots import selectors
from core.access import can
from core.slots import slot


@slot("blocyear_detail", order=40)
def _ballots_line(request, bloc_year):
    ballots = selectors.ballots_of(bloc_year, request.user)
    may_create = can(request.user, "awards.propose", bloc_year) and not any(b.state != "closed" for b in ballots)
    if not ballots and not may_create:
        return None
    return {"template": "awards/ballots/blocyear_slot.html", "ballots": ballots, "may_create_ballot": may_create}
