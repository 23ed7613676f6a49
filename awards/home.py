"""Home panel: the year's scoring work waiting for the user — their agency's self-score sheet (to
fill, to approve, lines the checkers queried), sheets they check, and rounds they run."""

from django.db.models import Count, Q

from awards.models import LineState, RoundState, ScoreSheet, ScoringRound, SheetState
from core.access import allowed_ids, restrict
from core.home import home_context, home_panel, pending_work

LIMIT = 10


@pending_work
def pending(user):
    """Bloc-years (a ``Q`` over BlocYear) whose scoring round is open and where the user writes a
    sheet or runs the round: the home page opens on that year."""
    open_rounds = ScoringRound.objects.filter(state__in=[RoundState.OPEN, RoundState.PUBLISHED])
    writes = ScoreSheet.objects.filter(pk__in=allowed_ids(user, "awards.write_sheet"), round__in=open_rounds).values("round__bloc_year_id")
    runs = open_rounds.filter(pk__in=allowed_ids(user, "awards.run_round")).values("bloc_year_id")
    return Q(pk__in=writes) | Q(pk__in=runs)


@home_panel(25)
def scoring_panel(request):
    user = request.user
    year = home_context(request).get("year")
    in_year = {"round__bloc_year__year": year} if year else {}
    open_sheets = ScoreSheet.objects.filter(round__state=RoundState.OPEN, **in_year)
    mine = list(
        restrict(open_sheets, user, "awards.write_sheet")
        .filter(Q(state__in=[SheetState.DRAFT, SheetState.AWAITING_LEADER]) | Q(lines__check_state=LineState.QUERIED))
        .select_related("agency", "round__bloc_year__bloc")
        .annotate(queried=Count("lines", filter=Q(lines__check_state=LineState.QUERIED)))
        .order_by("round__self_score_deadline", "agency__name")[:LIMIT]
    )
    to_check = (
        restrict(open_sheets.filter(state=SheetState.SUBMITTED), user, "awards.check_sheet")
        .filter(lines__check_state__in=[LineState.PENDING, LineState.ANSWERED]).distinct().count()
    )
    rounds = list(
        restrict(ScoringRound.objects.filter(state__in=[RoundState.OPEN, RoundState.PUBLISHED], **(
            {"bloc_year__year": year} if year else {})), user, "awards.run_round")
        .select_related("bloc_year__bloc").order_by("self_score_deadline")[:LIMIT]
    )
    if not (mine or to_check or rounds):
        return None
    return {"template": "awards/_home_panel.html", "mine": mine, "to_check": to_check, "rounds": rounds}
