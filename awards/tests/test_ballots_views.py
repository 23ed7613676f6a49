"""Ballot pages × roles (allowed, 403, 404, anonymous, wrong method), refused posts (400), the same
form posted twice, the stale confirmation, flat query counts for 5 and 15 members, the bloc-year
page's line and the results on the ballot page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.ballots import paper, services
from awards.models import Ballot, BallotMode, BallotVoter, PaperCount
from awards.tests.test_ballots_helpers import answers_for, create, nominate, opened, questions, vote
from awards.tests.yearend import make_nomination

pytestmark = pytest.mark.django_db

ROLES = ["secretary", "board", "leader", "officer", "central", "nonmember", "outsider", "stranger", None]


@pytest.fixture
def online(world, ninh_thuan_rules):
    nominate(world, (0, 1))
    return opened(world)


@pytest.fixture
def paper_ballot(world, ninh_thuan_rules):
    nominate(world, (0,))
    return opened(world, mode=BallotMode.PAPER, elect_deputy=False)


def who(world, role):
    return getattr(world, role) if role else None


def status_for(client_for, world, role, url, method="get", data=None):
    response = getattr(client_for(who(world, role)), method)(url, data or {})
    if role is None:
        assert response.status_code == 302 and reverse("login") in response["Location"]
        return "login"
    return response.status_code


@pytest.mark.parametrize(("role", "expected"), [
    ("secretary", 200), ("board", 200), ("leader", 403), ("officer", 403), ("central", 403),
    ("nonmember", 404), ("outsider", 404), ("stranger", 404), (None, "login"),
])
def test_create_page(world, ninh_thuan_rules, client_for, role, expected):
    nominate(world)
    assert status_for(client_for, world, role, reverse("awards:ballot_create", args=[world.bloc_year.pk])) == expected


@pytest.mark.parametrize(("role", "expected"), [
    ("secretary", 200), ("board", 200), ("leader", 200), ("officer", 200), ("central", 200),
    ("nonmember", 404), ("outsider", 404), ("stranger", 404), (None, "login"),
])
def test_detail_page(world, online, client_for, role, expected):
    assert status_for(client_for, world, role, reverse("awards:ballot_detail", args=[online.pk])) == expected


@pytest.mark.parametrize(("role", "expected"), [
    ("leader", 200), ("secretary", 403), ("board", 403), ("officer", 403), ("central", 403),
    ("nonmember", 404), ("outsider", 404), ("stranger", 404), (None, "login"),
])
def test_vote_page(world, online, client_for, role, expected):
    assert status_for(client_for, world, role, reverse("awards:ballot_vote", args=[online.pk])) == expected


@pytest.mark.parametrize(("role", "expected"), [
    ("secretary", 200), ("board", 200), ("leader", 403), ("officer", 403), ("central", 403),
    ("nonmember", 404), ("outsider", 404), ("stranger", 404), (None, "login"),
])
def test_paper_page(world, paper_ballot, client_for, role, expected):
    assert status_for(client_for, world, role, reverse("awards:ballot_paper", args=[paper_ballot.pk])) == expected


def test_paper_page_for_the_head_agencys_leader_and_not_for_online(world, paper_ballot, client_for):
    online = Ballot.objects.create(bloc_year=world.bloc_year, title="Trực tuyến", mode=BallotMode.ONLINE, state="closed",
                                   created_by=world.secretary)
    head_leader = client_for(world.leaders[0])
    assert head_leader.get(reverse("awards:ballot_paper", args=[paper_ballot.pk])).status_code == 200
    assert client_for(world.secretary).get(reverse("awards:ballot_paper", args=[online.pk])).status_code == 404


@pytest.mark.parametrize("name", ["ballot_open", "ballot_close", "ballot_next_round"])
@pytest.mark.parametrize(("role", "expected"), [
    ("leader", 403), ("officer", 403), ("central", 403), ("nonmember", 404), ("outsider", 404), (None, "login"),
])
def test_buttons_refused(world, online, client_for, name, role, expected):
    assert status_for(client_for, world, role, reverse(f"awards:{name}", args=[online.pk]), method="post") == expected


@pytest.mark.parametrize(("name", "methods"), [
    ("ballot_open", ["get", "put"]), ("ballot_close", ["get"]), ("ballot_next_round", ["get"]), ("ballot_detail", ["post", "put"]),
    ("ballot_vote", ["put", "delete"]), ("ballot_paper", ["put"]),
])
def test_wrong_methods(world, online, client_for, name, methods):
    client = client_for(world.secretary)
    for method in methods:
        assert getattr(client, method)(reverse(f"awards:{name}", args=[online.pk])).status_code == 405
    assert client_for(world.secretary).put(reverse("awards:ballot_create", args=[world.bloc_year.pk])).status_code == 405


# --- create -----------------------------------------------------------------------------------


def create_data(world, **extra):
    return {"title": "Bình xét, suy tôn năm 2022", "mode": "online", "elect_head": "on", "elect_deputy": "on", **extra}


def test_create_through_the_page_then_twice(world, ninh_thuan_rules, client_for):
    nominations = nominate(world, (0, 1))
    client = client_for(world.secretary)
    url = reverse("awards:ballot_create", args=[world.bloc_year.pk])
    page = client.get(url).content.decode()
    assert "Bình xét, suy tôn năm 2022" in page and nominations[0].agency.name in page
    data = create_data(world, **{f"max_{nominations[0].award_type_id}": "0"})
    response = client.post(url, data)
    ballot = Ballot.objects.get()
    assert response.status_code == 302 and response["Location"] == ballot.get_absolute_url()
    again = client.post(url, data)  # the same form posted twice: one ballot, sent to it
    assert again.status_code == 302 and again["Location"] == ballot.get_absolute_url() and Ballot.objects.count() == 1


@pytest.mark.parametrize("bad", [
    {"meeting": "999999"}, {"title": ""}, {"title": "a\x00b"}, {"mode": "telepathy"}, {"closes_on": "31/02/2022"},
    {"max": "99"}, {"max": "-1"}, {"closes_time": "10:00"},
])
def test_create_refuses_bad_input_with_400(world, ninh_thuan_rules, client_for, bad):
    nominations = nominate(world, (0, 1))
    data = create_data(world)
    for key, value in bad.items():
        data[f"max_{nominations[0].award_type_id}" if key == "max" else key] = value
    response = client_for(world.secretary).post(reverse("awards:ballot_create", args=[world.bloc_year.pk]), data)
    assert response.status_code == 400 and not Ballot.objects.exists()


def test_meeting_of_another_bloc_is_a_form_error(world, ninh_thuan_rules, client_for):
    from django.utils import timezone

    from emulation_portal.testing import make_agency, make_bloc_year
    from meetings.models import Meeting

    nominate(world)
    other = make_bloc_year(world.province, [make_agency(world.province)], year=2022)
    foreign = Meeting.objects.create(bloc_year=other, kind="year_end", starts_at=timezone.now(), venue="x")
    response = client_for(world.secretary).post(reverse("awards:ballot_create", args=[world.bloc_year.pk]),
                                               create_data(world, meeting=str(foreign.pk)))
    assert response.status_code == 400 and "Hội nghị không thuộc khối" in response.content.decode()


# --- buttons ----------------------------------------------------------------------------------


def test_open_close_buttons(world, ninh_thuan_rules, client_for):
    nominate(world, (0,))
    ballot = create(world)
    client = client_for(world.secretary)
    page = client.get(ballot.get_absolute_url()).content.decode()
    assert "Mở bỏ phiếu" in page and "Kết thúc và kiểm phiếu" not in page
    assert client.post(reverse("awards:ballot_open", args=[ballot.pk])).status_code == 302
    refused = client.post(reverse("awards:ballot_open", args=[ballot.pk]))  # the same button twice
    assert refused.status_code == 400 and "đã mở" in refused.content.decode()
    assert client.post(reverse("awards:ballot_close", args=[ballot.pk])).status_code == 302
    refused = client.post(reverse("awards:ballot_next_round", args=[ballot.pk]))
    assert refused.status_code == 302 or refused.status_code == 400


def test_refused_next_round_is_400_with_the_reason(world, ninh_thuan_rules, client_for):
    nominate(world, (0,))
    ballot = opened(world)
    a = world.agencies
    for i in range(4):
        vote(world, ballot, i, agree=[a[0]], head=a[1], deputy=a[2])
    services.ballot_close(actor=world.secretary, ballot=ballot)
    response = client_for(world.secretary).post(reverse("awards:ballot_next_round", args=[ballot.pk]))
    assert response.status_code == 400 and "đã có kết quả" in response.content.decode()


# --- vote -------------------------------------------------------------------------------------


def form_data(ballot, **choices):
    data = {}
    for question_id, value in answers_for(ballot, **choices).items():
        if isinstance(value, dict):
            data.update({f"q{question_id}_c{cid}": "yes" if agreed else "no" for cid, agreed in value.items()})
        elif isinstance(value, list):
            data[f"q{question_id}"] = [str(v) for v in value]
        elif value is not None:
            data[f"q{question_id}"] = str(value)
    return data


def test_vote_through_the_page_then_twice(world, online, client_for):
    client = client_for(world.leader)
    url = reverse("awards:ballot_vote", args=[online.pk])
    page = client.get(url).content.decode()
    assert "Với khối ít thành viên" in page and world.agencies[0].name in page
    data = form_data(online, agree=[world.agencies[0]], head=world.agencies[2])
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == online.get_absolute_url()
    assert "?" not in response["Location"]  # nothing of the vote in the URL
    again = client.post(url, data)
    assert again.status_code == 400 and "Đơn vị đã bỏ phiếu" in again.content.decode()
    assert BallotVoter.objects.count() == 1
    detail = client.get(online.get_absolute_url()).content.decode()
    assert "1/4 đơn vị đã bỏ phiếu" in detail and "Bỏ phiếu</a>" not in detail


def test_incomplete_or_forged_votes_are_400(world, online, client_for):
    client = client_for(world.leader)
    url = reverse("awards:ballot_vote", args=[online.pk])
    data = form_data(online, agree=[world.agencies[0]])
    award = questions(online)[0]
    del data[f"q{award.pk}_c{award.candidates.first().pk}"]
    response = client.post(url, data)
    assert response.status_code == 400 and "Hãy chọn đồng ý hoặc không đồng ý" in response.content.decode()
    head = next(q for q in questions(online) if q.kind == "head")
    forged = {**form_data(online, agree=[world.agencies[0]]), f"q{head.pk}": "999999"}
    assert client.post(url, forged).status_code == 400
    assert client.post(url, {**forged, f"q{head.pk}": "1\x00"}).status_code == 400
    assert not BallotVoter.objects.exists()


def test_closed_ballot_vote_page_says_so(world, online, client_for):
    services.ballot_close(actor=world.secretary, ballot=online)
    client = client_for(world.leader)
    page = client.get(reverse("awards:ballot_vote", args=[online.pk])).content.decode()
    assert "không bỏ phiếu được" in page
    response = client.post(reverse("awards:ballot_vote", args=[online.pk]), form_data(online, agree=[]))
    assert response.status_code == 400 and not BallotVoter.objects.exists()


# --- paper ------------------------------------------------------------------------------------


def paper_data(ballot, *, returned=4, yes=3):
    data = {"action": "enter"}
    for q in questions(ballot):
        data.update({f"q{q.pk}_issued": "4", f"q{q.pk}_returned": str(returned), f"q{q.pk}_valid": str(returned), f"q{q.pk}_invalid": "0"})
        for i, c in enumerate(q.candidates.all()):
            data[f"q{q.pk}_c{c.pk}"] = str(yes if i == 0 else 0)
    return data


def test_paper_entry_confirm_and_stale_tab(world, paper_ballot, client_for):
    url = reverse("awards:ballot_paper", args=[paper_ballot.pk])
    secretary, board = client_for(world.secretary), client_for(world.board)
    assert secretary.post(url, paper_data(paper_ballot)).status_code == 302
    page = board.get(url)
    seen = page.context["confirm"].initial["seen"]
    assert "Xác nhận đúng số liệu lần thứ nhất" in page.content.decode()
    assert secretary.post(url, paper_data(paper_ballot, yes=2)).status_code == 302  # the secretary corrects meanwhile
    stale = board.post(url, {"action": "confirm", "seen": seen})
    assert stale.status_code == 400 and "vừa được sửa" in stale.content.decode()
    fresh = board.get(url).context["confirm"].initial["seen"]
    assert board.post(url, {"action": "confirm", "seen": fresh}).status_code == 302
    assert PaperCount.objects.count() == 2 and paper.paper_mismatches(paper_ballot) == []
    assert "Hai lần nhập khớp nhau" in secretary.get(url).content.decode()


def test_paper_mismatch_shown_to_both_and_bad_counts_400(world, paper_ballot, client_for):
    url = reverse("awards:ballot_paper", args=[paper_ballot.pk])
    secretary, board = client_for(world.secretary), client_for(world.board)
    bad = secretary.post(url, {**paper_data(paper_ballot), **{k: "9" for k in paper_data(paper_ballot) if k.endswith("_valid")}})
    assert bad.status_code == 400 and "phải bằng số phiếu thu về" in bad.content.decode()
    huge = secretary.post(url, {**paper_data(paper_ballot),
                                **{k: "99999999999" for k in paper_data(paper_ballot) if k.endswith("_issued")}})
    assert huge.status_code == 400
    assert secretary.post(url, paper_data(paper_ballot, yes=3)).status_code == 302
    assert board.post(url, paper_data(paper_ballot, yes=2)).status_code == 302
    for client in (secretary, board):
        assert "Hai lần nhập chưa khớp" in client.get(url).content.decode()
    closing = secretary.post(reverse("awards:ballot_close", args=[paper_ballot.pk]))
    assert closing.status_code == 400 and "chưa khớp" in closing.content.decode()
    assert secretary.post(url, {"action": "nonsense"}).status_code == 400


# --- results, record, slot --------------------------------------------------------------------


def test_results_and_record_after_the_close(world, online, client_for, django_capture_on_commit_callbacks):
    a = world.agencies
    for i in range(4):
        vote(world, online, i, agree=[a[0]], head=a[1], deputy=a[2])
    open_page = client_for(world.board).get(online.get_absolute_url()).content.decode()
    assert "data-yes" not in open_page and "4/4 đơn vị đã bỏ phiếu" in open_page
    with django_capture_on_commit_callbacks(execute=True):
        services.ballot_close(actor=world.secretary, ballot=online)
    page = client_for(world.leader).get(online.get_absolute_url()).content.decode()
    assert "Kết quả kiểm phiếu" in page and "data-yes" in page and "100,00 %" in page
    assert "Trưởng khối năm sau" in page and "chờ thông báo" in page
    assert "Biên bản kiểm phiếu – " in page
    from awards.ballots.documents import records_of

    document = records_of(online)[0]
    verify = client_for(None).get(reverse("verify", args=[document.code]))
    assert verify.status_code == 200 and "Biên bản kiểm phiếu" in verify.content.decode()


def test_bloc_year_page_line(world, ninh_thuan_rules, client_for):
    nominate(world, (0,))
    url = world.bloc_year.get_absolute_url()
    page = client_for(world.secretary).get(url).content.decode()
    assert 'id="blocyear-ballots"' in page and "Tạo cuộc bỏ phiếu" in page
    assert 'id="blocyear-ballots"' not in client_for(world.officer).get(url).content.decode()
    ballot = create(world)
    page = client_for(world.officer).get(url).content.decode()
    assert ballot.title in page and "Tạo cuộc bỏ phiếu" not in page


def test_next_years_page_says_waiting_for_the_notice(world, online, client_for):
    a = world.agencies
    for i in range(4):
        vote(world, online, i, agree=[a[0]], head=a[1], deputy=a[2])
    services.ballot_close(actor=world.secretary, ballot=online)
    from blocs.models import BlocYear

    nxt = BlocYear.objects.get(bloc=world.bloc, year=2023)
    page = client_for(world.board).get(nxt.get_absolute_url()).content.decode()
    assert 'id="blocyear-notice-pending"' in page and "chờ thông báo" in page and a[1].name in page


# --- query counts -----------------------------------------------------------------------------


def bloc_with_ballot(world, members):
    """Another bloc-year of the world's province with ``members`` agencies, a leader each, its
    secretary, three nominations and an open ballot every member but one has voted in."""
    from blocs.models import Role
    from emulation_portal.testing import make_agency, make_bloc_year, make_user

    agencies = [make_agency(world.province) for _ in range(members)]
    bloc_year = make_bloc_year(world.province, agencies, head=agencies[0], deputy=agencies[1])
    leaders = [make_user(agency=a, role=Role.LEADER, agency_id=a.pk) for a in agencies]
    secretary = make_user(agency=agencies[0], role=Role.SECRETARY, bloc_year=bloc_year)
    for agency in agencies[:3]:
        make_nomination(world, agency, bloc_year=bloc_year)
    ballot = services.ballot_create(actor=secretary, bloc_year=bloc_year, title="Bình xét", mode=BallotMode.ONLINE)
    ballot = services.ballot_open(actor=secretary, ballot=ballot)
    for leader in leaders[:-1]:
        services.ballot_vote(actor=leader, ballot=ballot, answers=answers_for(ballot, agree=[agencies[0]], head=agencies[1],
                                                                              deputy=agencies[2]))
    return bloc_year, ballot, secretary, leaders


def page_queries(client, url):
    """The queries of a page, served once before (per-process caches such as content types are warm)."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_ballot_page_queries_do_not_grow_with_members(world, ninh_thuan_rules, client_for):
    counts = {}
    for members in (5, 15):
        bloc_year, ballot, secretary, leaders = bloc_with_ballot(world, members)
        counts[(members, "secretary", "open")] = page_queries(client_for(secretary), ballot.get_absolute_url())
        counts[(members, "leader", "open")] = page_queries(client_for(leaders[-1]), ballot.get_absolute_url())
        counts[(members, "leader", "vote")] = page_queries(client_for(leaders[-1]), reverse("awards:ballot_vote", args=[ballot.pk]))
        services.ballot_close(actor=secretary, ballot=Ballot.objects.get(pk=ballot.pk))
        counts[(members, "secretary", "closed")] = page_queries(client_for(secretary), ballot.get_absolute_url())
        counts[(members, "board", "closed")] = page_queries(client_for(world.board), ballot.get_absolute_url())
        counts[(members, "secretary", "bloc_year")] = page_queries(client_for(secretary), bloc_year.get_absolute_url())
    for key, value in counts.items():
        if key[0] == 5:
            assert counts[(15, *key[1:])] == value, f"{key[1:]}: {value} queries with 5 members, {counts[(15, *key[1:])]} with 15"
    assert counts[(5, "secretary", "open")] <= 20, counts


@pytest.mark.parametrize("name", ["ballot_detail", "ballot_vote", "ballot_paper", "ballot_create"])
def test_forged_and_huge_ids_are_404(world, online, client_for, name):
    client = client_for(world.secretary)
    for pk in (999999, 99999999999999999999):
        assert client.get(reverse(f"awards:{name}", args=[pk])).status_code == 404


def test_secretary_reaches_the_reminders_of_an_open_online_ballot(world, online, client_for):
    """Who was reminded to vote (issue 12): the secretary's link; members see no such button."""
    history = reverse("reminder_history", args=["awards.vote", online.pk])
    page = client_for(world.secretary).get(reverse("awards:ballot_detail", args=[online.pk])).content.decode()
    assert history in page
    assert history not in client_for(world.leader).get(reverse("awards:ballot_detail", args=[online.pk])).content.decode()
    assert client_for(world.secretary).get(history).status_code == 200
