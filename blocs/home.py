"""Home-page panels of the blocs app: the year shown, the board's set-up overview, a member's bloc.

Every panel shows one year: by default the latest year where the user has work waiting (to
sign, minutes to finish, a meeting coming…; each app registers its own with ``pending_work``),
else the latest year the user takes part in; the year switch (``?year=``) picks another.
"""

from django.db.models import Count, Q
from django.utils import timezone

from blocs.access import roles_of
from blocs.models import Agency, AgencyStatus, BlocYear
from blocs.selectors import home_year, home_years, latest_bloc_year
from core.cleaning import clean_query_int
from core.home import home_context, home_context_provider, home_panel, pending_filters


@home_context_provider
def year_context(request):
    """``year``: the year the panels show (None: no bloc-year, no filter); ``years``: the switch's."""
    years = home_years(user=request.user, pending=pending_filters(request.user))
    requested = clean_query_int(request, "year", minimum=2000, maximum=2100)
    return {"year": home_year(years=years, requested=requested), "years": years}


@home_panel(5)
def year_switch(request):
    """The years the user takes part in, those with work waiting marked (only when there is a choice)."""
    context = home_context(request)
    if len(context["years"]) < 2:
        return None
    return {"template": "blocs/_home_year_switch.html", "width": 12, "year": context["year"], "years": context["years"]}


@home_panel(10)
def board_setup(request):
    """For the board: this year's bloc-years and what is still missing in their set-up."""
    roles = roles_of(request.user)
    if not roles.is_board:
        return None
    year = timezone.localdate().year
    bloc_years = BlocYear.objects.filter(year=year)
    agencies = Agency.objects.filter(status=AgencyStatus.ACTIVE)
    if not roles.is_superuser:
        bloc_years = bloc_years.filter(bloc__province_id__in=roles.board_province_ids)
        agencies = agencies.filter(province_id__in=roles.board_province_ids)
    counts = bloc_years.aggregate(
        total=Count("pk"),
        without_head=Count("pk", filter=Q(head__isnull=True) | Q(deputy__isnull=True)),
    )
    unassigned = agencies.exclude(memberships__year=year).count()
    # With no bloc set up yet this year, point at the latest year that has some (to copy from).
    # Always asked, so the page makes the same queries whatever the data.
    latest = BlocYear.objects.filter(year__lt=year)
    if not roles.is_superuser:
        latest = latest.filter(bloc__province_id__in=roles.board_province_ids)
    latest_year = latest.order_by("-year").values_list("year", flat=True).first()
    if counts["total"]:
        latest_year = None
    return {"template": "blocs/_home_board.html", "year": year, "unassigned": unassigned, "latest_year": latest_year, **counts}


@home_panel(20)
def my_bloc(request):
    """For members and secretaries: the bloc of the year shown at a glance."""
    roles = roles_of(request.user)
    if roles.agency_id is None and not roles.is_secretary:
        return None
    bloc_year = latest_bloc_year(user=request.user, year=home_context(request)["year"])
    if bloc_year is None:
        return None
    return {"template": "blocs/_home_my_bloc.html", "bloc_year": bloc_year}
