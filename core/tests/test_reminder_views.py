"""The reminder pages × each role: "Việc cần làm" on the home page (flat queries), the notification
settings (logged in and through the signed link), the secretary's history and "Nhắc ngay"."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from awards.models import LineKind, LineState, ScoreLine
from awards.tests.scoring import make_round
from core import reminders
from core.models import Reminder, ReminderPreference, ReminderStatus
from pledges.models import PledgeVersion
from pledges.tests.helpers import make_signing, sign

pytestmark = pytest.mark.django_db

ROLES = ["board", "central", "secretary", "leader", "officer", "nonmember", "outsider", "stranger"]


@pytest.fixture
def signing(world):
    version = make_signing(world)
    PledgeVersion.objects.filter(pk=version.pk).update(signing_deadline=timezone.localdate() + datetime.timedelta(days=5))
    version.refresh_from_db()
    return version


def _todo(response):
    html = response.content.decode()
    start = html.index('id="todo-panel"')
    return html[start:html.index("</div></div>", start)]


def test_todo_lists_what_waits_for_the_person_and_empties_as_they_act(world, signing, client_for):
    client = client_for(world.leader)
    panel = _todo(client.get(reverse("home")))
    assert "Ký giao ước thi đua" in panel and reverse("pledges:sign", args=[signing.pk]) in panel
    assert (timezone.localdate() + datetime.timedelta(days=5)).strftime("%d/%m/%Y") in panel
    assert world.bloc.name in panel and "2022" in panel
    sign(signing, world.leader)
    panel = _todo(client.get(reverse("home")))
    assert "Ký giao ước thi đua" not in panel and 'id="todo-empty"' in panel
    # the secretary and the officer have nothing to sign
    for user in (world.secretary, world.officer, world.board):
        assert "Ký giao ước thi đua" not in _todo(client_for(user).get(reverse("home")))


def test_todo_shows_overdue_first_and_marked(world, client_for):
    scoring = make_round(world, deadline=timezone.localdate() - datetime.timedelta(days=2))
    line = ScoreLine.objects.filter(sheet__round=scoring, sheet__agency=world.agencies[2]).first()
    ScoreLine.objects.filter(pk=line.pk).update(check_state=LineState.QUERIED, check_note="Thiếu minh chứng")
    panel = _todo(client_for(world.leaders[2]).get(reverse("home")))
    assert panel.index("Tự chấm điểm") < panel.index("Bổ sung minh chứng")
    assert panel.count("Quá hạn") == 1 and "Quá hạn" in panel.split("Bổ sung minh chứng")[0]
    assert "Lý do: Thiếu minh chứng" in panel


def test_home_queries_flat_for_1_or_20_items(world, client_for):
    scoring = make_round(world, deadline=timezone.localdate() + datetime.timedelta(days=20))
    sheet = scoring.sheets.get(agency=world.agencies[2])
    client = client_for(world.officer)

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("home"))
        assert response.status_code == 200
        return len(ctx.captured_queries), response

    ScoreLine.objects.filter(pk=sheet.lines.first().pk).update(check_state=LineState.QUERIED, check_note="Thiếu minh chứng")
    one, response = measure()
    assert _todo(response).count("todo-item") == 2  # the sheet and the line
    ScoreLine.objects.bulk_create([
        ScoreLine(sheet=sheet, kind=LineKind.BONUS, reason=f"Thưởng {i}", position=10 + i, check_state=LineState.QUERIED,
                  check_note="Thiếu minh chứng") for i in range(19)
    ])
    many, response = measure()
    assert _todo(response).count("todo-item") == 21
    assert many == one


def test_settings_page_logged_in_and_anonymous_redirect(world, client_for):
    assert client_for(None).get(reverse("reminder_settings")).status_code == 302
    client = client_for(world.leader)
    assert client.get(reverse("reminder_settings")).status_code == 200
    assert client.post(reverse("reminder_settings"), {"optional_off": "on"}).status_code == 302
    assert ReminderPreference.objects.get(user=world.leader).optional_off
    assert client.put(reverse("reminder_settings")).status_code == 405


def test_signed_link_works_without_login_for_that_person_only(world, client_for):
    token = reminders.settings_token(world.officer.pk)
    anonymous = client_for(None)
    url = reverse("reminder_settings_token", args=[token])
    response = anonymous.get(url)
    assert response.status_code == 200 and world.officer.get_full_name() in response.content.decode()
    assert anonymous.post(url, {"optional_off": "on"}).status_code == 302
    assert ReminderPreference.objects.get(user=world.officer).optional_off
    assert ReminderPreference.objects.count() == 1
    for bad in (token[:-2] + "xx", "abc", token.replace(":", "."), "%00"):
        assert anonymous.get(f"/notifications/settings/{bad}/").status_code == 404
    other = reminders.settings_token(world.leader.pk)
    assert anonymous.post(reverse("reminder_settings_token", args=[other]), {}).status_code == 302
    assert not ReminderPreference.objects.get(user=world.leader).optional_off


def test_history_and_remind_now_for_each_role(world, signing, client_for):
    with TestCase.captureOnCommitCallbacks(execute=True):
        reminders.reminders_sweep()
    history = reverse("reminder_history", args=["pledges.sign", signing.pk])
    now = reverse("reminder_now", args=["pledges.sign", signing.pk])
    expected = {"board": 200, "secretary": 200, "central": 403, "leader": 403, "officer": 403,
                "nonmember": 404, "outsider": 404, "stranger": 404}
    for role in ROLES:
        client = client_for(getattr(world, role))
        assert client.get(history).status_code == expected[role], role
        assert client.post(now).status_code == (302 if expected[role] == 200 else expected[role]), role
    assert client_for(None).get(history).status_code == 302
    assert client_for(world.secretary).get(now).status_code == 405
    assert client_for(world.secretary).get(reverse("reminder_history", args=["nope", signing.pk])).status_code == 404
    assert client_for(world.secretary).get(reverse("reminder_history", args=["pledges.sign", 999999])).status_code == 404
    assert client_for(world.secretary).get(reverse("reminder_history", args=["awards.self_score", 1])).status_code == 404
    page = client_for(world.secretary).get(history).content.decode()
    assert world.leaders[1].get_full_name() in page and "Đã gửi" in page and "T-7" in page and "Nhắc ngay" in page


def test_remind_now_once_per_person_per_day(world, signing, client_for):
    sign(signing, world.leaders[0])
    client = client_for(world.secretary)
    url = reverse("reminder_now", args=["pledges.sign", signing.pk])
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(url)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in world.leaders[1:])
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, follow=True)
    assert len(mail.outbox) == len(world.leaders) - 1
    assert "một lần mỗi ngày" in response.content.decode()
    now_rows = Reminder.objects.filter(step__startswith="now-")
    assert now_rows.count() == 3 and all(r.requested_by_id == world.secretary.pk for r in now_rows)
    assert set(now_rows.values_list("status", flat=True)) == {ReminderStatus.SENT}


def test_failed_mail_is_shown_to_the_secretary(world, signing, client_for, monkeypatch, settings):
    settings.REMINDER_MAX_ATTEMPTS = 1
    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", lambda self, *a, **k: (_ for _ in ()).throw(OSError("SMTP down")))
    with TestCase.captureOnCommitCallbacks(execute=True):
        reminders.reminders_sweep()
    page = client_for(world.secretary).get(reverse("reminder_history", args=["pledges.sign", signing.pk])).content.decode()
    assert "Gửi lỗi" in page and "SMTP down" in page
