"""The scoring test data is what the access rules expect: who sees, writes, approves and checks."""

import pytest

from awards.models import CheckMode, ScoreLine, ScoreSheet
from awards.tests.scoring import make_round
from core.access import restrict

pytestmark = pytest.mark.django_db


def sheets(user, rule):
    return set(restrict(ScoreSheet.objects.all(), user, rule).values_list("agency_id", flat=True))


def test_secretary_mode_rules(world):
    scoring = make_round(world)
    a = [x.pk for x in world.agencies]
    assert scoring.sheets.count() == len(a) and ScoreLine.objects.filter(sheet__round=scoring).count() == 3 * len(a)
    assert sheets(world.officer, "awards.write_sheet") == {world.officer.agency_id}
    assert sheets(world.officer, "awards.approve_sheet") == set()
    assert sheets(world.leader, "awards.approve_sheet") == {world.leader.agency_id}
    # The secretary works in the head agency: checks every sheet but its own.
    assert sheets(world.secretary, "awards.check_sheet") == set(a) - {world.secretary.agency_id}
    assert sheets(world.officer, "awards.check_sheet") == set()
    # The head agency's sheet (the secretary's own) is checked by the deputy agency's people.
    assert world.bloc_year.head_id == world.secretary.agency_id and world.bloc_year.deputy_id == world.leaders[1].agency_id
    assert sheets(world.leaders[1], "awards.check_sheet") == {world.bloc_year.head_id}
    assert sheets(world.leaders[1], "awards.view_sheet") == {world.leaders[1].agency_id, world.bloc_year.head_id}
    assert sheets(world.officer, "awards.view_sheet") == {world.officer.agency_id}  # before publication
    assert sheets(world.central, "awards.view_sheet") == set(a)
    assert sheets(world.outsider, "awards.view_sheet") == set() and sheets(world.nonmember, "awards.view_sheet") == set()


def test_panel_and_pairs_modes(world):
    ag = world.agencies
    make_round(world, mode=CheckMode.PANEL, panel=[ag[1], ag[2]])
    assert sheets(world.leaders[1], "awards.check_sheet") == {x.pk for x in ag} - {ag[1].pk}
    assert sheets(world.leaders[3], "awards.check_sheet") == set()
    assert sheets(world.secretary, "awards.check_sheet") == set()  # the panel checks, not the secretary


def test_pairs_mode(world):
    ag = world.agencies
    make_round(world, mode=CheckMode.PAIRS, pairs=[(ag[0], ag[1]), (ag[1], ag[0]), (ag[2], ag[3]), (ag[3], ag[2])])
    assert sheets(world.leaders[2], "awards.check_sheet") == {ag[3].pk}
    assert sheets(world.leaders[2], "awards.view_sheet") == {ag[2].pk, ag[3].pk}
    lines = restrict(ScoreLine.objects.all(), world.leaders[2], "awards.check_line")
    assert set(lines.values_list("sheet__agency_id", flat=True)) == {ag[3].pk}
