"""Opening a scoring round, its setup, the round page and the bloc-year page's link."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from awards.models import CheckerAssignment, CheckMode, LineKind, RoundState, ScoreLine, ScoreSheet, ScoringRound
from awards.scoring import rounds
from awards.tests.helpers import ensure_templates
from awards.tests.scoring import make_round, signed_pledge
from blocs.models import AgencyStatus
from core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(world):
    ensure_templates()
    return signed_pledge(world)


def open_round(world, **kwargs):
    kwargs.setdefault("deadline", datetime.date(2022, 11, 30))
    kwargs.setdefault("check_mode", CheckMode.SECRETARY)
    return rounds.round_open(actor=kwargs.pop("actor", world.secretary), bloc_year=world.bloc_year, **kwargs)


def test_open_makes_one_sheet_per_member_from_the_signed_version(world, signed):
    scoring = open_round(world)
    assert scoring.pledge_version == signed and scoring.state == RoundState.OPEN
    from awards.selectors import rule_set_for

    assert scoring.rule_set == rule_set_for(world.bloc_year)
    assert ScoreSheet.objects.filter(round=scoring).count() == len(world.agencies)
    lines = ScoreLine.objects.filter(sheet__round=scoring)
    assert lines.count() == 3 * len(world.agencies) and set(lines.values_list("kind", flat=True)) == {LineKind.CRITERION}
    assert AuditEntry.objects.filter(action="scoring.open").count() == 1


def test_open_refused_without_a_signed_version(world):
    ensure_templates()
    with pytest.raises(ValidationError, match="chưa có bản đã ký"):
        open_round(world)
    assert not ScoringRound.objects.exists()


def test_open_twice_opens_one_round(world, signed):
    open_round(world)
    with pytest.raises(ValidationError) as error:
        open_round(world)
    assert error.value.code == "exists"
    assert ScoringRound.objects.count() == 1 and ScoreSheet.objects.count() == len(world.agencies)


@pytest.mark.parametrize("who", ["officer", "leader", "nonmember", "outsider", "central"])
def test_open_refused_to_others(world, signed, who):
    with pytest.raises(PermissionDenied):
        open_round(world, actor=getattr(world, who))


def test_board_may_open(world, signed):
    assert open_round(world, actor=world.board).opened_by == world.board


def test_partial_year_flag(world, signed):
    merged = world.agencies[3]
    merged.status, merged.status_date = AgencyStatus.MERGED, datetime.date(2022, 7, 1)
    merged.save()
    old = world.agencies[2]
    old.status, old.status_date = AgencyStatus.DISSOLVED, datetime.date(2025, 1, 1)
    old.save()
    scoring = open_round(world)
    flags = dict(scoring.sheets.values_list("agency_id", "partial_year"))
    assert flags[merged.pk] is True and flags[old.pk] is False and flags[world.agencies[0].pk] is False


def test_default_rotation_every_member_checked_once_never_itself(world):
    pairs = rounds.rotation(world.agencies)
    assert len(pairs) == len(world.agencies)
    assert sorted(b.pk for _a, b in pairs) == sorted(a.pk for a in world.agencies)
    assert all(a.pk != b.pk for a, b in pairs)
    assert pairs[0] == (world.agencies[0], world.agencies[1]) and pairs[-1] == (world.agencies[-1], world.agencies[0])


def test_pairs_and_panel_checks(world, signed):
    ag = world.agencies
    with pytest.raises(ValidationError, match="tự kiểm tra"):
        open_round(world, check_mode=CheckMode.PAIRS, pairs=[(ag[0], ag[0]), (ag[0], ag[1]), (ag[1], ag[2]), (ag[2], ag[3])])
    with pytest.raises(ValidationError, match="đúng một đơn vị"):
        open_round(world, check_mode=CheckMode.PAIRS, pairs=[(ag[0], ag[1])])
    with pytest.raises(ValidationError, match="ít nhất hai"):
        open_round(world, check_mode=CheckMode.PANEL, panel=[ag[1]])
    with pytest.raises(ValidationError, match="thành viên"):
        open_round(world, check_mode=CheckMode.PANEL, panel=[ag[1], world.outside_agency])
    scoring = open_round(world, check_mode=CheckMode.PAIRS, pairs=rounds.rotation(ag))
    assert CheckerAssignment.objects.filter(round=scoring).count() == len(ag)


def test_default_deadline_from_the_rule_set(world, signed):
    from awards.selectors import rule_set_for, rules_of

    rule_set = rule_set_for(world.bloc_year)
    value = rules_of(rule_set).self_score_deadline
    expected = datetime.date(2022, value[1], value[0]) if value else datetime.date(2022, 11, 30)
    assert rounds.default_deadline(world.bloc_year, rule_set) == expected


def test_setup_changes_deadline_and_checkers_and_refuses_stale(world):
    scoring = make_round(world)
    ag = world.agencies
    rounds.round_setup(actor=world.secretary, scoring=scoring, version=scoring.version, deadline=datetime.date(2022, 12, 5),
                       check_mode=CheckMode.PANEL, panel=[ag[1], ag[2]])
    scoring.refresh_from_db()
    assert scoring.self_score_deadline == datetime.date(2022, 12, 5) and scoring.check_mode == CheckMode.PANEL
    assert scoring.checkers.count() == 2
    with pytest.raises(ValidationError) as error:
        rounds.round_setup(actor=world.secretary, scoring=scoring, version="old", deadline=datetime.date(2022, 12, 6),
                           check_mode=CheckMode.SECRETARY)
    assert error.value.code == "stale"
    with pytest.raises(PermissionDenied):
        rounds.round_setup(actor=world.officer, scoring=scoring, version=scoring.version, deadline=datetime.date(2022, 12, 6),
                           check_mode=CheckMode.SECRETARY)
    ScoringRound.objects.filter(pk=scoring.pk).update(state=RoundState.FROZEN)
    with pytest.raises(ValidationError, match="đang mở"):
        rounds.round_setup(actor=world.secretary, scoring=scoring, version=scoring.version, deadline=datetime.date(2022, 12, 6),
                           check_mode=CheckMode.SECRETARY)


# --- views -----------------------------------------------------------------------------------

def test_open_page_roles(client, world, signed):
    url = reverse("awards:round_open", args=[world.bloc_year.pk])
    assert client.get(url).status_code == 302 and "login" in client.get(url)["Location"]
    client.force_login(world.officer)
    assert client.get(url).status_code == 403
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404
    client.force_login(world.secretary)
    assert client.get(reverse("awards:round_open", args=[999999])).status_code == 404
    assert client.delete(url).status_code == 405
    page = client.get(url)
    assert page.status_code == 200 and "Mở chấm điểm" in page.content.decode()
    data = {"deadline": "30/11/2022", "check_mode": "pairs"}
    ag = world.agencies
    for i, agency in enumerate(ag):
        data[f"checker_{agency.pk}"] = str(ag[i - 1].pk)
    response = client.post(url, data)
    scoring = ScoringRound.objects.get()
    assert response.status_code == 302 and response["Location"] == scoring.get_absolute_url()
    again = client.post(url, data)
    assert again.status_code == 302 and ScoringRound.objects.count() == 1


def test_open_page_keeps_what_was_typed_on_errors(client, world, signed):
    client.force_login(world.secretary)
    url = reverse("awards:round_open", args=[world.bloc_year.pk])
    ag = world.agencies
    data = {"deadline": "31/02/2022", "check_mode": "pairs", f"checker_{ag[0].pk}": str(ag[0].pk)}
    page = client.post(url, data)
    assert page.status_code == 200 and not ScoringRound.objects.exists()
    body = page.content.decode()
    assert "31/02/2022" in body and "Không đơn vị nào tự kiểm tra mình." in body
    assert client.post(url, {"deadline": "30/11/2022\x00", "check_mode": "x"}).status_code == 200


def test_open_page_refuses_without_signed_version(client, world):
    ensure_templates()
    client.force_login(world.secretary)
    page = client.get(reverse("awards:round_open", args=[world.bloc_year.pk]))
    assert "chưa có bản đã ký" in page.content.decode()
    assert client.post(reverse("awards:round_open", args=[world.bloc_year.pk]), {"deadline": "30/11/2022", "check_mode": "secretary"}).status_code == 200
    assert not ScoringRound.objects.exists()


def test_round_page_roles_and_queries(client, world, django_assert_max_num_queries):
    scoring = make_round(world)
    url = scoring.get_absolute_url()
    assert client.get(url).status_code == 302
    for who in ("secretary", "board", "officer", "leader", "central"):
        client.force_login(getattr(world, who))
        assert client.get(url).status_code == 200, who
    for who in ("nonmember", "outsider", "stranger"):
        client.force_login(getattr(world, who))
        assert client.get(url).status_code == 404, who
    client.force_login(world.secretary)
    assert client.post(url).status_code == 405
    body = client.get(url).content.decode()
    assert "Sửa hạn và phân công kiểm tra" in body and world.agencies[3].name in body
    client.force_login(world.officer)
    body = client.get(url).content.decode()
    assert body.count("Xem phiếu") == 1 and "Sửa hạn và phân công" not in body
    client.force_login(world.secretary)
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    ScoreSheet.objects.all().delete()
    from blocs.models import Membership
    from emulation_portal.testing import make_agency
    for _ in range(12):
        agency = make_agency(world.province)
        Membership.objects.create(bloc_year=world.bloc_year, agency=agency, year=2022)
    scoring.delete()
    scoring = make_round(world, version=scoring.pledge_version)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(scoring.get_absolute_url())


def test_setup_page(client, world):
    scoring = make_round(world)
    url = reverse("awards:round_setup", args=[scoring.pk])
    client.force_login(world.officer)
    assert client.get(url).status_code == 403
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404
    client.force_login(world.secretary)
    assert client.get(url).status_code == 200
    response = client.post(url, {"deadline": "05/12/2022", "check_mode": "secretary", "version": scoring.version})
    assert response.status_code == 302
    scoring.refresh_from_db()
    assert scoring.self_score_deadline == datetime.date(2022, 12, 5)
    stale = client.post(url, {"deadline": "06/12/2022", "check_mode": "secretary", "version": "old"})
    assert stale.status_code == 200 and "Người khác vừa sửa" in stale.content.decode()


def test_blocyear_page_link(client, world, signed):
    client.force_login(world.secretary)
    page = client.get(world.bloc_year.get_absolute_url()).content.decode()
    assert "Mở chấm điểm" in page
    client.force_login(world.officer)
    assert "Mở chấm điểm" not in client.get(world.bloc_year.get_absolute_url()).content.decode()
    scoring = open_round(world)
    assert scoring.get_absolute_url() in client.get(world.bloc_year.get_absolute_url()).content.decode()
