"""The home page shows the year where the user's work waits, with a year switch; the secretary's
subtitle; returned minutes with their reason; the secretary picker lists the chosen first."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blocs import services as bloc_services
from blocs.forms import BlocYearForm
from blocs.models import User
from emulation_portal.testing import make_agency, make_user
from pledges.tests.helpers import make_signing


def _copied(world):
    """Signing is open in 2022 and the board has copied the bloc to 2023 (empty so far)."""
    version = make_signing(world)
    new = bloc_services.bloc_year_copy(actor=world.board, source=world.bloc_year, year=2023)
    return version, new


def _home(client, query=""):
    return client.get(reverse("home") + query).content.decode()


def test_home_shows_the_year_with_pending_signing_after_a_copy(world, client_for):
    version, _new = _copied(world)
    page = _home(client_for(world.leader))
    assert 'id="year-switch"' in page and "?year=2023" in page and "?year=2022" in page
    assert reverse("pledges:sign", args=[version.pk]) in page
    assert 'aria-current="page">2022' in page and "có việc chờ" in page


def test_year_switch_shows_the_other_year(world, client_for):
    version, _new = _copied(world)
    page = _home(client_for(world.leader), "?year=2023")
    assert 'aria-current="page">2023' in page
    # "Việc cần làm" lists what waits in every year; the year's panels show 2023 only
    todo_start = page.index('id="todo-panel"')
    panels = page[:todo_start] + page[page.index("</div></div>", todo_start):]
    assert reverse("pledges:sign", args=[version.pk]) not in panels
    # a year the user has no part in, or garbage, falls back to the default
    for query in ("?year=1999", "?year=abc", "?year=2030"):
        assert 'aria-current="page">2022' in _home(client_for(world.leader), query), query


def test_without_pending_work_the_latest_year_is_shown(world, client_for):
    _copied(world)
    page = _home(client_for(world.nonmember))
    assert 'id="year-switch"' not in page  # takes part in no bloc-year
    world.bloc_year.pledge.versions.update(state="signed")
    page = _home(client_for(world.leader))
    assert 'aria-current="page">2023' in page and "có việc chờ" not in page


def test_secretary_sees_the_year_of_the_open_pledge(world, client_for):
    _copied(world)
    page = _home(client_for(world.secretary))
    assert 'aria-current="page">2022' in page and "Giao ước đang thực hiện" in page


def test_home_queries_stay_flat_with_more_years_and_work(world, client_for):
    _copied(world)
    client = client_for(world.leader)
    _home(client)
    with CaptureQueriesContext(connection) as few:
        _home(client)
    for year in (2024, 2025, 2026):
        bloc_services.bloc_year_copy(actor=world.board, source=world.bloc_year, year=year)
    with CaptureQueriesContext(connection) as many:
        page = _home(client)
    assert "?year=2026" in page
    assert len(many) == len(few)


def test_subtitle_does_not_repeat_the_agency(world, client_for):
    agency = make_agency(world.province, name="Văn phòng Đoàn ĐBQH và HĐND tỉnh")
    user = make_user(agency=agency, title="Chuyên viên Văn phòng Đoàn ĐBQH và HĐND tỉnh")
    page = _home(client_for(user))
    assert "Chuyên viên Văn phòng Đoàn ĐBQH và HĐND tỉnh</p>" in page
    assert "ĐBQH và HĐND tỉnh, Văn phòng" not in page
    plain = make_user(agency=agency, title="Chuyên viên")
    assert "Chuyên viên, Văn phòng Đoàn ĐBQH và HĐND tỉnh</p>" in _home(client_for(plain))


def test_returned_minutes_show_the_reason_on_the_secretarys_home(world, client_for):
    from meetings import services as meeting_services
    from meetings.tests.factories import record, schedule

    meeting = schedule(world)
    record(world, meeting)
    meeting_services.minutes_submit(actor=world.secretary, meeting=meeting)
    meeting_services.minutes_return(actor=world.leaders[0], meeting=meeting, reason="Thiếu kết luận của chủ trì")
    page = _home(client_for(world.secretary))
    assert "Thiếu kết luận của chủ trì" in page and "trả lại" in page
    meeting_services.minutes_submit(actor=world.secretary, meeting=meeting)
    assert "Thiếu kết luận của chủ trì" not in _home(client_for(world.secretary))


def test_secretary_picker_lists_the_chosen_first(world):
    for n in range(30):
        make_user(f"staff{n}", agency=world.agencies[1], full_name=f"Aa Cán Bộ {n:02d}")
    form = BlocYearForm(bloc=world.bloc, instance=world.bloc_year)
    html = str(form["secretaries"])
    assert html.index(world.secretary.get_full_name()) < html.index("Aa Cán Bộ 00")
    assert 'type="checkbox"' in html and "<select" not in html
    chosen = User.objects.get(username="staff29")
    bound = BlocYearForm({"year": "2022", "secretaries": [str(chosen.pk)]}, bloc=world.bloc, instance=world.bloc_year)
    html = str(bound["secretaries"])
    assert html.index("Aa Cán Bộ 29") < html.index("Aa Cán Bộ 00")


def test_bloc_year_form_page_has_the_picker(world, client_for):
    page = client_for(world.board).get(reverse("blocs:blocyear_edit", args=[world.bloc_year.pk])).content.decode()
    assert 'data-picker-filter="div_id_secretaries"' in page and "blocs/picker.js" in page
    assert client_for(world.secretary).get(reverse("blocs:blocyear_edit", args=[world.bloc_year.pk])).status_code == 403
