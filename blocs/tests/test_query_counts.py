"""List pages run the same number of SQL queries for 10 and for 100 rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blocs.models import BlocYear, Membership, Role, RoleAssignment
from emulation_portal.testing import make_agency, make_bloc_year


def grow(world, n):
    """Add ``2n`` agencies and ``n`` bloc-years of two members each, each with the world's secretary."""
    for i in range(n):
        a, b = make_agency(world.province), make_agency(world.province)
        bloc_year = make_bloc_year(world.province, [a, b], year=2000 + i % 50, head=a, deputy=b)
        RoleAssignment.objects.create(user=world.secretary, role=Role.SECRETARY, bloc_year=bloc_year)


def count(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


PAGES = [
    ("board", "blocs:agency_list"),
    ("board", "blocs:bloc_list"),
    ("board", "blocs:blocyear_list"),
    ("central", "blocs:blocyear_list"),
    ("board", "blocs:agency_export"),
    ("board", "blocs:blocyear_export"),
    ("secretary", "blocs:my_bloc"),
    ("board", "home"),
]


@pytest.mark.parametrize(("role", "name"), PAGES)
def test_list_pages_do_not_grow_with_rows(world, client_for, role, name):
    client = client_for(getattr(world, role))
    grow(world, 10)
    small = count(client, reverse(name))
    grow(world, 90)
    assert count(client, reverse(name)) == small


def test_bloc_and_bloc_year_pages_do_not_grow_with_members(world, client_for):
    client = client_for(world.board)
    for _ in range(10):
        Membership.objects.create(bloc_year=world.bloc_year, agency=make_agency(world.province), year=2022)
    detail, bloc = reverse("blocs:blocyear_detail", args=[world.bloc_year.pk]), reverse("blocs:bloc_detail", args=[world.bloc.pk])
    small = (count(client, detail), count(client, bloc))
    for _ in range(90):
        Membership.objects.create(bloc_year=world.bloc_year, agency=make_agency(world.province), year=2022)
    for year in range(2000, 2020):
        by = BlocYear.objects.create(bloc=world.bloc, year=year)
        Membership.objects.create(bloc_year=by, agency=make_agency(world.province), year=year)
    assert (count(client, detail), count(client, bloc)) == small


def test_lists_page_ids_first_and_decorate_only_the_page(world):
    """A page holds exactly the rows of the full ordering at its place, with their counts."""
    from blocs import selectors
    from core.pagination import paginate

    grow(world, 17)
    lean = selectors.bloc_year_list(user=world.board)
    expected = list(lean.values_list("pk", flat=True))
    assert len(expected) == 18  # the world's bloc-year and the 17 grown
    pages = [paginate(lean, number, per_page=5, decorate=selectors.bloc_year_rows) for number in (1, 2, 3, 4)]
    assert [row.pk for page in pages for row in page] == expected
    assert pages[3].paginator.count == 18 and len(pages[3]) == 3
    members = {by.pk: by.memberships.count() for by in BlocYear.objects.all()}
    assert all(row.member_count == members[row.pk] for page in pages for row in page)
    assert paginate(lean, "x", per_page=5).number == 1  # bad input: the first page, as Paginator.get_page
    assert paginate(lean.none(), 1, per_page=5).object_list == []


@pytest.mark.parametrize("role", ["secretary", "leader"])
def test_home_does_not_grow_with_the_bloc_years_one_takes_part_in(world, client_for, role):
    client = client_for(getattr(world, role))
    member = world.leader.agency
    for i in range(3):
        by = make_bloc_year(world.province, [member, make_agency(world.province)], year=2010 + i)
        RoleAssignment.objects.create(user=world.secretary, role=Role.SECRETARY, bloc_year=by)
    few = count(client, reverse("home"))
    for i in range(9):
        by = make_bloc_year(world.province, [member, make_agency(world.province)], year=2001 + i)
        RoleAssignment.objects.create(user=world.secretary, role=Role.SECRETARY, bloc_year=by)
    assert count(client, reverse("home")) == few
