"""Shown ⇔ allowed ⇔ succeeds, for every transition of PLEDGE_FLOW, every role and every state.

For a version in each state, each user of the world sees a transition's button exactly when
``PLEDGE_FLOW.actions`` allows it, and the service succeeds exactly then; otherwise it raises
PermissionDenied or ValidationError and leaves the database as it was. A successful attempt is
rolled back (savepoint) so that one version serves every user and transition of its state.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from core.models import AuditEntry
from pledges import services
from pledges.models import Comment, Decline, PledgeVersion, Signature
from pledges.tests.helpers import make_draft, make_signing, sign, sign_all
from pledges.workflow import PLEDGE_FLOW

ROLES = ["board", "central", "secretary", "leader", "head_leader", "officer", "nonmember", "outsider", "stranger"]


def _user(world, role):
    return world.leaders[0] if role == "head_leader" else getattr(world, role)


def _review(world):
    version = make_draft(world)
    services.review_open(actor=world.secretary, version=version)
    return version


def _signed_by_leader(world):
    version = make_signing(world)
    sign(version, world.leader)
    return version


def _signed(world):
    return sign_all(make_signing(world), world.leaders)


def _signed_not_latest(world):
    version = _signed(world)
    services.pledge_amend(actor=world.secretary, version=version)
    return version


# state → (how to build a version in it, who may take which transition on it)
STATES = {
    "draft": (make_draft, {"review_open": {"board", "secretary"}}),
    "review": (_review, {"signing_open": {"board", "secretary"}, "comment": {"board", "secretary", "leader", "head_leader", "officer"}}),
    "signing": (make_signing, {"sign": {"leader", "head_leader"}, "decline": {"leader", "head_leader"}, "signing_reopen": {"board", "secretary"}}),
    "signing, the leader's agency signed": (
        _signed_by_leader, {"sign": {"head_leader"}, "decline": {"head_leader"}, "signing_reopen": {"board", "secretary"}},
    ),
    "signed": (_signed, {"amend": {"board", "secretary"}}),
    "signed, not the latest": (_signed_not_latest, {}),
}

# transition → how a user takes it through its service
ATTEMPTS = {
    "review_open": lambda user, v: services.review_open(actor=user, version=v),
    "comment": lambda user, v: services.comment_add(actor=user, version=v, body="Đề nghị làm rõ chỉ tiêu"),
    "signing_open": lambda user, v: services.signing_open(actor=user, version=v),
    "sign": lambda user, v: services.pledge_sign(
        actor=user, version=v, signer_name=user.get_full_name(), signer_title="Giám đốc", content_hash=v.content_hash
    ),
    "decline": lambda user, v: services.pledge_decline(actor=user, version=v, reason="Chưa thống nhất"),
    "signing_reopen": lambda user, v: services.signing_reopen(actor=user, version=v, reason="Sửa lỗi chính tả"),
    "amend": lambda user, v: services.pledge_amend(actor=user, version=v),
}


def _buttons(name, version):
    """Where the button of transition ``name`` shows: (page, a piece of HTML only that button has)."""
    def action(url_name):
        return 'action="' + reverse(f"pledges:{url_name}", args=[version.pk]) + '"'

    return {
        "review_open": [("detail", action("review_open"))],
        "comment": [("detail", action("comment"))],
        "signing_open": [("detail", action("signing_open"))],
        "sign": [("detail", 'href="' + reverse("pledges:sign", args=[version.pk]) + '"'), ("sign", 'id="sign-form"')],
        "decline": [("sign", action("decline"))],
        "signing_reopen": [("detail", action("signing_reopen"))],
        "amend": [("detail", action("amend"))],
    }[name]


def _pages(client, version):
    """The detail and sign pages as this user sees them ("" when not found or forbidden)."""
    pages = {}
    for page in ("detail", "sign"):
        response = client.get(reverse(f"pledges:{page}", args=[version.pk]))
        assert response.status_code in (200, 403, 404), (page, response.status_code)
        pages[page] = response.content.decode() if response.status_code == 200 else ""
    return pages


def _snapshot(version):
    row = PledgeVersion.objects.filter(pk=version.pk).values("state", "content_hash", "signing_opened_at", "signed_at").get()
    return {
        **row,
        "versions": PledgeVersion.objects.filter(pledge_id=version.pledge_id).count(),
        "signatures": list(Signature.objects.filter(version=version).values_list("pk", "voided_at")),
        "declines": list(Decline.objects.filter(version=version).values_list("pk", "voided_at")),
        "comments": Comment.objects.filter(version=version).count(),
        "audit": AuditEntry.objects.count(),
    }


class _Undo(Exception):
    pass


def _attempt(name, user, version):
    """Whether the service succeeds; a success is rolled back, a refusal must change nothing."""
    before = _snapshot(version)
    try:
        with transaction.atomic():
            ATTEMPTS[name](user, version)
            assert AuditEntry.objects.filter(action=PLEDGE_FLOW[name].action, actor=user).exists()
            raise _Undo
    except _Undo:
        succeeded = True
    except (PermissionDenied, ValidationError):
        succeeded = False
    assert _snapshot(version) == before, (name, user)
    return succeeded


def test_every_button_transition_is_covered():
    with_rule = {t.name for t in PLEDGE_FLOW.transitions.values() if t.rule is not None}
    assert set(ATTEMPTS) == with_rule
    assert PLEDGE_FLOW["complete"].rule is None  # taken by the last signature, never a button


@pytest.mark.parametrize("state", list(STATES))
def test_shown_iff_allowed_iff_succeeds(world, client_for, state):
    build, expected = STATES[state]
    version = build(world)
    version.refresh_from_db()
    allowed, mismatches = set(), []
    for role in ROLES:
        user = _user(world, role)
        pages = _pages(client_for(user), version)
        actions = PLEDGE_FLOW.actions(version, user)
        for name in ATTEMPTS:
            may = actions[name]
            if may:
                allowed.add((role, name))
            shown = {page: marker in pages[page] for page, marker in _buttons(name, version)}
            succeeded = _attempt(name, user, version)
            if any(s != may for s in shown.values()) or succeeded != may:
                mismatches.append(f"{role} {name}: allowed={may} shown={shown} succeeded={succeeded}")
    assert mismatches == []
    assert allowed == {(role, name) for name, roles in expected.items() for role in roles}
