from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from emulation_portal.testing import make_agency, make_bloc_year


def _this_year_world(world):
    year = timezone.localdate().year
    members = [make_agency(world.province) for _ in range(3)]
    make_bloc_year(world.province, members, year=year, head=members[0])  # no deputy yet
    make_agency(world.province)  # active, in no bloc this year
    return year


def test_board_sees_this_years_setup_gaps(world, client_for):
    _this_year_world(world)
    page = client_for(world.board).get(reverse("home")).content.decode()
    assert "Thiết lập khối năm" in page
    assert "khối chưa có Trưởng/Phó khối" in page


def test_member_sees_their_bloc(world, client_for):
    page = client_for(world.leader).get(reverse("home")).content.decode()
    assert world.bloc.name in page
    assert "Thiết lập khối năm" not in page


def test_outsider_sees_no_other_provinces_setup(world, client_for):
    _this_year_world(world)
    page = client_for(world.stranger).get(reverse("home")).content.decode()
    assert world.bloc.name not in page


def test_home_queries_do_not_grow_with_data(world, client_for):
    year = _this_year_world(world)
    client = client_for(world.board)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    for _ in range(8):
        members = [make_agency(world.province) for _ in range(3)]
        make_bloc_year(world.province, members, year=year)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("home"))
    assert len(many) == len(few)


def test_board_without_blocs_this_year_is_pointed_to_the_latest_year(world, client_for):
    page = client_for(world.board).get(reverse("home")).content.decode()
    assert f"Chưa lập khối nào cho năm {timezone.localdate().year}" in page
    assert f"Năm gần nhất đã lập là {world.bloc_year.year}" in page
    assert f"?year={world.bloc_year.year}" in page
