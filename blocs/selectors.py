"""Reads for provinces, agencies, blocs and bloc-years, with the joins that keep query counts flat."""

from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Prefetch, Q, Value

from blocs.access import roles_of, taking_part_where
from blocs.models import Agency, Bloc, BlocYear, Membership, Province, Role, RoleAssignment, User
from core.access import NOTHING, any_of, restrict
from core.counts import SubqueryCount


def provinces_managed_by(user):
    return restrict(Province.objects.all(), user, "blocs.manage_province")


def provinces_readable_by(user):
    return restrict(Province.objects.all(), user, "blocs.read_province")


def agency_list(*, user, query="", status="", province=None):
    """The agencies the user sees, filtered and ordered (lean: page it with ``agency_rows``)."""
    agencies = restrict(Agency.objects.all(), user, "blocs.view_agency")
    if province is not None:
        agencies = agencies.filter(province=province)
    if query:
        agencies = agencies.filter(Q(name__icontains=query) | Q(short_name__icontains=query) | Q(leader_name__icontains=query))
    if status:
        agencies = agencies.filter(status=status)
    return agencies.order_by("province__name", "name", "pk")


def agency_rows(agencies):
    """What the agency list shows of each row of a page."""
    return agencies.select_related("province", "successor")


def _with_people(bloc_years):
    return bloc_years.select_related("bloc__province", "head", "deputy").prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("agency").order_by("agency__name")),
        Prefetch(
            "role_assignments",
            queryset=RoleAssignment.objects.filter(role=Role.SECRETARY).select_related("user__agency"),
            to_attr="secretary_assignments",
        ),
    )


def bloc_list(*, user, query=""):
    """The blocs the user sees, filtered and ordered (lean: page it with ``bloc_rows``)."""
    blocs = restrict(Bloc.objects.all(), user, "blocs.view_bloc")
    if query:
        blocs = blocs.filter(name__icontains=query)
    return blocs.order_by("province__name", "name", "pk")


def bloc_rows(blocs):
    """The page's blocs with their province and how many years each has."""
    return blocs.select_related("province").annotate(year_count=SubqueryCount(BlocYear.objects.filter(bloc=OuterRef("pk"))))


def bloc_year_list(*, user, year=None, query=""):
    """The bloc-years the user sees, filtered and ordered (lean: page it with ``bloc_year_rows``)."""
    bloc_years = restrict(BlocYear.objects.all(), user, "blocs.view_blocyear")
    if year:
        bloc_years = bloc_years.filter(year=year)
    if query:
        bloc_years = bloc_years.filter(bloc__name__icontains=query)
    return bloc_years.order_by("-year", "bloc__province__name", "bloc__name", "pk")


def with_member_count(bloc_years):
    return bloc_years.annotate(member_count=SubqueryCount(Membership.objects.filter(bloc_year=OuterRef("pk"))))


def bloc_year_rows(bloc_years):
    """The page's bloc-years with their bloc, province, head, deputy and number of members."""
    return with_member_count(bloc_years.select_related("bloc__province", "head", "deputy"))


def bloc_year_detail(*, pk):
    return _with_people(BlocYear.objects.all()).get(pk=pk)


def bloc_years_queryset():
    """Base queryset for fetching one bloc-year with everything its page shows."""
    return _with_people(BlocYear.objects.all())


def bloc_years_of_bloc(*, bloc, user):
    """The bloc's years the user may see, newest first."""
    return _with_people(restrict(bloc.years.all(), user, "blocs.view_blocyear")).order_by("-year")


def my_bloc_years(*, user):
    """Bloc-years of the user's agency or where the user is a secretary, newest first."""
    return _with_people(BlocYear.objects.filter(taking_part_where(roles_of(user)))).order_by("-year", "bloc__name")


def latest_bloc_year(*, user, year=None):
    """The newest bloc-year the user takes part in (member or secretary), of ``year`` when given,
    with its people counted, or None."""
    bloc_years = BlocYear.objects.filter(taking_part_where(roles_of(user))).select_related("bloc", "head", "deputy")
    if year is not None:
        bloc_years = bloc_years.filter(year=year)
    return with_member_count(bloc_years).order_by("-year", "bloc__name", "pk").first()


def home_years(*, user, pending=()):
    """``[{"year": 2022, "waiting": True}, …]``, newest first: the years of the bloc-years the user
    takes part in or has work waiting in (``pending``: ``Q`` over BlocYear, one per app). One query."""
    waiting = any_of(*pending)
    where = any_of(taking_part_where(roles_of(user)), waiting)
    if where == NOTHING:
        return []
    flag = Value(False) if waiting == NOTHING else ExpressionWrapper(waiting, output_field=BooleanField())
    years = {}
    for year, is_waiting in BlocYear.objects.filter(where).annotate(waiting=flag).values_list("year", "waiting"):
        years[year] = years.get(year, False) or bool(is_waiting)
    return [{"year": year, "waiting": years[year]} for year in sorted(years, reverse=True)]


def home_year(*, years, requested=None):
    """The year the home page shows: ``requested`` when the user has it, else the latest year with
    work waiting, else the latest year (None when the user takes part in no bloc-year)."""
    known = [entry["year"] for entry in years]
    if requested in known:
        return requested
    waiting = [entry["year"] for entry in years if entry["waiting"]]
    return (waiting or known or [None])[0]


def secretary_candidates(*, province):
    return User.objects.filter(is_active=True, agency__province=province).select_related("agency").order_by("agency__name", "full_name")


def agencies_for_export(*, user, query="", status=""):
    """Agencies of the provinces the user reads (the board's own, or all for central readers)."""
    agencies = agency_list(user=user, query=query, status=status)
    return agency_rows(agencies.filter(province__in=provinces_readable_by(user)))


def bloc_years_for_export(*, user, year=None, query=""):
    bloc_years = BlocYear.objects.filter(bloc__province__in=provinces_readable_by(user))
    if year:
        bloc_years = bloc_years.filter(year=year)
    if query:
        bloc_years = bloc_years.filter(bloc__name__icontains=query)
    return _with_people(bloc_years).order_by("-year", "bloc__province__name", "bloc__name")
