"""MEETING_FLOW: for every role and every state, the button shows ⇔ ``actions`` allows ⇔ the service succeeds.

One world and one meeting per state are built once for the module (in a transaction rolled back
at the end); each test is one (state, role) pair and tries every transition that has a rule in
a savepoint, rolled back, so the meeting is back in its state for the next one.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from emulation_portal.testing import build_world
from meetings import services
from meetings.models import Meeting, MeetingState
from meetings.workflow import MEETING_FLOW

from .factories import approve, local, record, schedule

ROLES = ["board", "central", "secretary", "head_leader", "leader", "officer", "nonmember", "outsider", "stranger", "chair"]
NOT_FOUND = {"nonmember", "outsider", "stranger"}  # the meeting does not exist for them: 404, no button
EDITORS = {"board", "secretary"}
APPROVERS = {"head_leader", "chair"}

STATES = ["planned_future", "planned", "held", "submitted", "approved", "approved_with_article", "published", "cancelled"]

# Who may take which transition in which state; everything else is refused.
EXPECTED = {
    "planned_future": {"update": EDITORS, "cancel": EDITORS},  # minutes are written once the meeting has begun
    "planned": {"minutes_record": EDITORS, "update": EDITORS, "cancel": EDITORS},
    "held": {"minutes_record": EDITORS, "update": EDITORS, "minutes_submit": EDITORS},
    "submitted": {"minutes_approve": APPROVERS, "minutes_return": APPROVERS},
    "approved": {"minutes_reopen": EDITORS, "article_save": EDITORS},
    "approved_with_article": {"minutes_reopen": EDITORS, "article_save": EDITORS, "publish": EDITORS},
    "published": {"minutes_reopen": EDITORS, "article_save": EDITORS, "unpublish": EDITORS},
    "cancelled": {},  # nothing more: no minutes, no schedule change, not cancelled twice
}

# How each transition's button appears in the meeting page: a link or a form to its URL.
BUTTONS = {
    "minutes_record": ("href", "meetings:minutes"),
    "update": ("href", "meetings:edit"),
    "cancel": ("action", "meetings:cancel"),
    "minutes_submit": ("action", "meetings:submit"),
    "minutes_return": ("action", "meetings:return"),
    "minutes_approve": ("action", "meetings:approve"),
    "minutes_reopen": ("action", "meetings:reopen"),
    "article_save": ("href", "meetings:article"),
    "publish": ("href", "meetings:publish"),  # the preview, whose form publishes
    "unpublish": ("action", "meetings:unpublish"),
}

# The service behind each transition, called with valid input.
CALLS = {
    "minutes_record": lambda scene, user, meeting: record(scene.world, meeting, actor=user),
    "update": lambda scene, user, meeting: services.meeting_update(actor=user, meeting=meeting, venue="Hội trường tầng III"),
    "cancel": lambda scene, user, meeting: services.meeting_cancel(actor=user, meeting=meeting, reason="Lên lịch nhầm"),
    "minutes_submit": lambda scene, user, meeting: services.minutes_submit(actor=user, meeting=meeting),
    "minutes_return": lambda scene, user, meeting: services.minutes_return(actor=user, meeting=meeting, reason="Bổ sung khách mời"),
    "minutes_approve": lambda scene, user, meeting: services.minutes_approve(actor=user, meeting=meeting),
    "minutes_reopen": lambda scene, user, meeting: services.minutes_reopen(actor=user, meeting=meeting, reason="Sửa số biên bản"),
    "article_save": lambda scene, user, meeting: services.article_save(actor=user, meeting=meeting, title="Tin hội nghị", body="Nội dung"),
    "publish": lambda scene, user, meeting: services.article_publish(actor=user, meeting=meeting),
    "unpublish": lambda scene, user, meeting: services.article_unpublish(actor=user, meeting=meeting),
}

RULED = [t.name for t in MEETING_FLOW.transitions.values() if t.rule is not None]


class Scene:
    """The world, its chair account and one meeting per state (the chair's account set on each)."""

    def __init__(self):
        self.world = build_world()
        self.chair = self.world.leaders[3]  # leader of a member agency that is not the head
        self.meetings = {}
        for day, state in enumerate(STATES, start=1):
            self.meetings[state] = meeting = self._meeting(state, local(2022, 6, day))
            meeting.refresh_from_db()

    def _meeting(self, state, starts_at):
        world = self.world
        meeting = schedule(world, starts_at=starts_at, chair_user=self.chair)
        if state in ("planned", "planned_future"):
            return meeting
        if state == "cancelled":
            return services.meeting_cancel(actor=world.secretary, meeting=meeting, reason="Trùng lịch họp của tỉnh")
        record(world, meeting)
        if state == "held":
            return meeting
        services.minutes_submit(actor=world.secretary, meeting=meeting)
        if state == "submitted":
            return meeting
        approve(world, meeting, render=False)
        if state != "approved":
            services.article_save(actor=world.secretary, meeting=meeting, title="Tin", body="Nội dung tin")
        if state == "published":
            services.article_publish(actor=world.secretary, meeting=meeting)
        return meeting

    def user(self, who):
        user = {"head_leader": self.world.leaders[0], "chair": self.chair}.get(who) or getattr(self.world, who)
        user.__dict__.pop("_access_cache", None)
        return user


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker):
    """Built once; the outer transaction is rolled back when the module is done."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = Scene()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


class _Undo(Exception):
    pass


def _succeeds(call, meeting) -> bool:
    """Run ``call`` and undo it; a refusal must be PermissionDenied or ValidationError and change nothing."""
    before = meeting.state
    try:
        with transaction.atomic():
            call()
            raise _Undo
    except _Undo:
        return True
    except (PermissionDenied, ValidationError):
        assert Meeting.objects.get(pk=meeting.pk).state == before
        return False


def test_every_ruled_transition_is_covered():
    assert set(RULED) == set(BUTTONS) == set(CALLS)
    assert {name for allowed in EXPECTED.values() for name in allowed} == set(RULED)


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("state", STATES)
def test_shown_iff_allowed_iff_succeeds(scene, client_for, state, who, db, monkeypatch):
    meeting = scene.meetings[state]
    if state == "planned_future":  # seen from the month before the meeting
        monkeypatch.setattr(timezone, "now", lambda: meeting.starts_at - datetime.timedelta(days=30))
    assert meeting.state == MeetingState(state.removesuffix("_with_article").removesuffix("_future"))
    user = scene.user(who)
    response = client_for(user).get(meeting.get_absolute_url())
    assert response.status_code == (404 if who in NOT_FOUND else 200)
    page = response.content.decode()
    actions = MEETING_FLOW.actions(meeting, user)
    for name in RULED:
        attribute, url_name = BUTTONS[name]
        shown = f'{attribute}="{reverse(url_name, args=[meeting.pk])}"' in page
        allowed = actions[name]
        succeeded = _succeeds(lambda name=name: CALLS[name](scene, user, meeting), meeting)
        expected = who in EXPECTED[state].get(name, ())
        assert (shown, allowed, succeeded) == (expected, expected, expected), f"{name}: shown, allowed, succeeded"


def test_actions_take_one_query(scene, db, django_assert_num_queries):
    user = scene.user("secretary")
    with django_assert_num_queries(1):
        actions = MEETING_FLOW.actions(scene.meetings["approved_with_article"], user)
    assert actions.publish and not actions.unpublish
