"""The signing board and the pledge pages cost the same number of queries for 5 and for 15 members."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blocs.models import Membership, Role
from emulation_portal.testing import make_agency, make_user
from pledges import services
from pledges.tests.helpers import make_signing, sign


def _grow(world, count):
    """Add ``count`` member agencies, each with a leader, to the world's bloc-year."""
    leaders = []
    for _ in range(count):
        agency = make_agency(world.province)
        Membership.objects.create(bloc_year=world.bloc_year, agency=agency, year=world.bloc_year.year)
        leaders.append(make_user(agency=agency, full_name=agency.leader_name, title="Giám đốc", role=Role.LEADER, agency_id=agency.pk))
    return leaders


def _measure(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_signing_board_queries_flat(world, client_for, django_assert_num_queries):
    extra = _grow(world, 1)  # 5 members
    leaders = world.leaders + extra
    version = make_signing(world)
    for leader in leaders[:3]:
        sign(version, leader)
    services.pledge_decline(actor=leaders[3], version=version, reason="Chưa thống nhất")
    client = client_for(world.officer)
    urls = [reverse("pledges:status", args=[version.pk]), reverse("pledges:detail", args=[version.pk]), reverse("pledges:list")]
    small = [_measure(client, url) for url in urls]

    services.signing_reopen(actor=world.secretary, version=version, reason="Thêm đơn vị")
    more = _grow(world, 10)  # 15 members
    leaders = leaders + more
    services.review_open(actor=world.secretary, version=version)
    services.signing_open(actor=world.secretary, version=version)
    for leader in leaders[:12]:
        sign(version, leader)
    services.pledge_decline(actor=leaders[13], version=version, reason="Chưa thống nhất")
    assert version.pledge.bloc_year.memberships.count() == 15
    for url, expected in zip(urls, small, strict=True):
        with django_assert_num_queries(expected):
            client.get(url)


def test_home_panel_queries_flat(world, client_for, django_assert_num_queries):
    version = make_signing(world)
    client = client_for(world.leader)
    small = _measure(client, reverse("home"))
    _grow(world, 11)
    services.signing_reopen(actor=world.secretary, version=version, reason="x")
    services.review_open(actor=world.secretary, version=version)
    services.signing_open(actor=world.secretary, version=version)
    with django_assert_num_queries(small):
        client.get(reverse("home"))


def _pledges(world, n, first_year):
    """``n`` more bloc-years of the world's province, each with a draft pledge."""
    import datetime

    from emulation_portal.testing import make_bloc_year

    for i in range(n):
        members = [make_agency(world.province) for _ in range(2)]
        bloc_year = make_bloc_year(world.province, members, year=first_year + i, head=members[0], deputy=members[1])
        services.pledge_create(actor=world.board, bloc_year=bloc_year, place="Ninh Thuận", date=datetime.date(first_year + i, 2, 1))


def test_pledge_list_queries_do_not_grow_with_pledges(world, client_for):
    client = client_for(world.board)
    _pledges(world, 3, 2001)
    few = _measure(client, reverse("pledges:list"))
    _pledges(world, 9, 2010)
    assert _measure(client, reverse("pledges:list")) == few
