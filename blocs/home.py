"""Home-page panels of the blocs app: the board's set-up overview, a member's bloc."""

from django.db.models import Count, Q
from django.utils import timezone

from blocs.access import roles_of
from blocs.models import Agency, AgencyStatus, BlocYear
from blocs.selectors import latest_bloc_year
from core.home import home_panel


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
    """For members and secretaries: this year's bloc (or the latest one) at a glance."""
    roles = roles_of(request.user)
    if roles.agency_id is None and not roles.is_secretary:
        return None
    latest = latest_bloc_year(user=request.user)
    if latest is None:
        return None
    return {"template": "blocs/_home_my_bloc.html", "bloc_year": latest}
