"""The portal-wide views × each role and an outsider: home, health, verify, notifications, accounts."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from core.models import Notification
from emulation_portal.testing import PASSWORD, make_user

ROLES = ["board", "central", "secretary", "leader", "officer", "nonmember", "outsider", "stranger"]


@pytest.mark.parametrize("role", ROLES)
def test_home_for_every_role(world, client_for, role):
    assert client_for(getattr(world, role)).get(reverse("home")).status_code == 200


@pytest.mark.parametrize("name", ["home", "notifications", "password_change", "password_change_done"])
def test_pages_behind_login(db, client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_home_refuses_post(world, client_for):
    assert client_for(world.board).post(reverse("home")).status_code == 405


def test_healthz_reports_database_and_broker_as_json(db, client, settings):
    settings.CELERY_BROKER_URL = ""  # the embedded default: tasks in-process
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"] == {"ok": True, "detail": "in-process"}
    assert client.post(reverse("healthz")).status_code == 405


def test_healthz_answers_503_when_the_database_is_down(db, client, monkeypatch):
    monkeypatch.setattr("emulation_portal.views._database_ok", lambda: (False, "connection refused"))
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == {"ok": False, "detail": "connection refused"}


def test_verify_lookup_is_public(db, client):
    assert client.get(reverse("verify_lookup")).status_code == 200
    response = client.get(reverse("verify_lookup"), {"code": " abcd-efgh "})
    assert response.status_code == 302 and response["Location"] == reverse("verify", args=["ABCD-EFGH"])
    assert client.post(reverse("verify_lookup")).status_code == 405


def test_verify_lookup_of_a_code_that_cannot_be_one_is_explained_not_a_500(db, client):
    response = client.get(reverse("verify_lookup"), {"code": "ab/cd"})
    assert response.status_code == 200
    assert "Mã văn bản chỉ gồm chữ cái" in response.content.decode()


def test_verify_of_an_unknown_code_is_404(db, client):
    assert client.get(reverse("verify", args=["NOPE-NOPE-NOPE"])).status_code == 404
    assert client.put(reverse("verify", args=["NOPE-NOPE-NOPE"])).status_code == 405


def test_document_retry(world, client_for):
    target = reverse("document_retry", args=["NOPE-NOPE-NOPE"])
    assert client_for(None).post(target).status_code == 302
    assert client_for(world.board).get(target).status_code == 405
    assert client_for(world.board).post(target).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_notifications_for_every_role(world, client_for, role):
    assert client_for(getattr(world, role)).get(reverse("notifications")).status_code == 200


def test_notifications_are_the_users_own_and_can_be_marked_read(world, client_for):
    Notification.objects.create(user=world.leader, message="Mời ký giao ước thi đua năm 2022")
    assert "Mời ký giao ước" in client_for(world.leader).get(reverse("notifications")).content.decode()
    assert "Mời ký giao ước" not in client_for(world.board).get(reverse("notifications")).content.decode()
    response = client_for(world.leader).post(reverse("notifications"))
    assert response.status_code == 302
    assert not world.leader.notifications.filter(read_at__isnull=True).exists()
    assert client_for(world.leader).put(reverse("notifications")).status_code == 405


# --- accounts ---------------------------------------------------------------------------------


def test_login_page_logs_in_and_out(world, client):
    page = client.get(reverse("login"))
    assert page.status_code == 200 and "Đăng nhập" in page.content.decode()
    response = client.post(reverse("login"), {"username": "board", "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    response = client.post(reverse("login"), {"username": "board", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("login")).status_code == 302, "a logged-in user is sent on"
    assert client.get(reverse("logout")).status_code == 405, "logging out is a POST"
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_change(world, client_for):
    client = client_for(world.leader)
    assert client.get(reverse("password_change")).status_code == 200
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Mat-khau-moi-2025", "new_password2": "Mat-khau-moi-2025"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    assert client.get(reverse("password_change_done")).status_code == 200
    world.leader.refresh_from_db()
    assert world.leader.check_password("Mat-khau-moi-2025")


def test_password_reset_sends_a_mail_in_vietnamese_and_the_link_works(db, client):
    user = make_user("quenmatkhau")
    assert client.get(reverse("password_reset")).status_code == 200
    response = client.post(reverse("password_reset"), {"email": user.email})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert client.get(reverse("password_reset_done")).status_code == 200
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert "Đặt lại mật khẩu" in message.subject
    assert "Có yêu cầu đặt lại mật khẩu" in message.body
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(form_page.redirect_chain[-1][0], {"new_password1": "Mat-khau-moi-2025", "new_password2": "Mat-khau-moi-2025"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("Mat-khau-moi-2025")


def test_password_reset_for_an_unknown_address_sends_nothing(db, client):
    response = client.post(reverse("password_reset"), {"email": "khong-ai@example.vn"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_reset_with_a_bad_link(db, client):
    response = client.get(reverse("password_reset_confirm", args=["MQ", "sai-token"]))
    assert response.status_code == 200
    assert "không còn hiệu lực" in response.content.decode()


def test_admin_for_a_superuser_only(world, client_for, django_user_model):
    admin = django_user_model.objects.create_superuser("quantri", "qt@example.vn", PASSWORD)
    assert client_for(admin).get("/admin/blocs/blocyear/").status_code == 200
    assert client_for(world.board).get("/admin/").status_code == 302


def test_notifications_page_does_not_grow_with_rows(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.leader)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("notifications")).status_code == 200
        return len(queries)

    Notification.objects.bulk_create([Notification(user=world.leader, message=f"Thông báo {i}") for i in range(10)])
    small = count()
    Notification.objects.bulk_create([Notification(user=world.leader, message=f"Thông báo {i}") for i in range(90)])
    assert count() == small


def test_healthz_answers_503_when_the_broker_is_down(db, client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["broker"]["ok"] is False
    assert body["database"]["ok"] is True


def test_healthz_reaches_a_real_broker(db, client, settings):
    import os

    import pytest

    url = os.environ.get("CELERY_BROKER_URL")
    if not url:
        pytest.skip("no CELERY_BROKER_URL: the embedded default has no broker to reach")
    settings.CELERY_BROKER_URL = url
    body = client.get(reverse("healthz")).json()
    assert body["broker"] == {"ok": True, "detail": "redis"}


def test_verify_of_an_unknown_code_says_what_it_means(db, client):
    response = client.get(reverse("verify", args=["NOPE-NOPE-NOPE"]))
    assert response.status_code == 404
    assert "Không tìm thấy văn bản đã phát hành có mã NOPE-NOPE-NOPE" in response.content.decode()
