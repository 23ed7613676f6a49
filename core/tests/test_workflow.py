"""core.workflow on a throwaway workflow over agencies' status (agencies have no workflow of their own)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q

from blocs.models import Agency, AgencyStatus
from core.audit import audit_for
from core.workflow import Transition, Workflow

FLOW = Workflow(
    "blocs.Agency",
    Transition(
        "dissolve", source=[AgencyStatus.ACTIVE], target=AgencyStatus.DISSOLVED, rule="blocs.change_agency",
        action="test.dissolve", label="Giải thể", state_message="Chỉ đơn vị đang hoạt động mới giải thể được.",
    ),
    Transition(
        "rename", source=[AgencyStatus.ACTIVE], target=None, rule="blocs.change_agency", action="test.rename",
        guard=lambda roles: ~Q(name__startswith="Khóa"), guard_message="Tên đã khóa.",
    ),
    Transition("merge", source=[AgencyStatus.ACTIVE], target=AgencyStatus.MERGED, rule=None, action="test.merge"),
    state_field="status",
)


def _dissolve(row):
    row.status_date = "2024-01-01"
    return {"why": "test"}


def test_run_checks_state_rule_saves_and_audits(world):
    agency = world.agencies[3]
    done = []
    row = FLOW.run("dissolve", obj=agency, actor=world.board, apply=_dissolve, on_commit=[lambda: done.append(1)])
    agency.refresh_from_db()
    assert agency.status == AgencyStatus.DISSOLVED and row.status == AgencyStatus.DISSOLVED
    entry = audit_for(agency).get(action="test.dissolve")
    assert entry.data == {"from": "active", "to": "dissolved", "why": "test"}
    assert entry.actor == world.board
    with pytest.raises(ValidationError, match="Chỉ đơn vị đang hoạt động"):
        FLOW.run("dissolve", obj=agency, actor=world.board, apply=_dissolve)


def test_on_commit_work_runs_after_commit(world, django_capture_on_commit_callbacks):
    done = []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        FLOW.run("dissolve", obj=world.agencies[3], actor=world.board, apply=_dissolve, on_commit=[lambda: done.append(1)])
    assert len(callbacks) == 1 and done == [1]


def test_rule_refused_changes_nothing(world):
    agency = world.agencies[3]
    with pytest.raises(PermissionDenied):
        FLOW.run("dissolve", obj=agency, actor=world.leader, apply=_dissolve)
    agency.refresh_from_db()
    assert agency.status == AgencyStatus.ACTIVE
    assert not audit_for(agency).exists()


def test_apply_refusing_rolls_everything_back(world):
    agency = world.agencies[3]

    def refuse(row):
        row.name = "đổi tên"
        raise ValidationError("không")

    with pytest.raises(ValidationError):
        FLOW.run("dissolve", obj=agency, actor=world.board, apply=refuse)
    agency.refresh_from_db()
    assert agency.status == AgencyStatus.ACTIVE and agency.name != "đổi tên"


def test_guard_refuses_with_its_message(world):
    agency = world.agencies[3]
    Agency.objects.filter(pk=agency.pk).update(name="Khóa sổ")
    with pytest.raises(ValidationError, match="Tên đã khóa"):
        FLOW.run("rename", obj=agency, actor=world.board)


@pytest.mark.parametrize("role", ["board", "central", "secretary", "leader", "outsider"])
def test_actions_agree_with_run(world, role):
    user = getattr(world, role)
    agency = world.agencies[3]
    actions = FLOW.actions(agency, user)
    assert "merge" not in actions.allowed  # system transitions are never buttons
    try:
        FLOW.run("dissolve", obj=agency, actor=user, apply=_dissolve)
        succeeded = True
    except (PermissionDenied, ValidationError):
        succeeded = False
    assert actions.dissolve == succeeded
    assert [t.name for t in actions.shown()] == (["dissolve", "rename"] if succeeded else [])


def test_actions_take_one_query(world, django_assert_num_queries):
    from core.access import roles_for

    roles_for(world.board)
    with django_assert_num_queries(1):
        actions = FLOW.actions(world.agencies[3], world.board)
    assert actions.dissolve and actions.rename
