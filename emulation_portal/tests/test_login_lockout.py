from django.urls import reverse

from emulation_portal.testing import PASSWORD


def test_repeated_wrong_passwords_lock_the_account_from_that_address(world, client, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    url = reverse("login")
    for _ in range(2):
        response = client.post(url, {"username": "board", "password": "sai-mat-khau"})
        assert response.status_code == 200
        assert "không đúng" in response.content.decode()
    locked = client.post(url, {"username": "board", "password": "sai-mat-khau"})
    assert locked.status_code == 429
    assert "Tạm khóa đăng nhập" in locked.content.decode()
    # Even the right password is refused while the lock lasts.
    assert client.post(url, {"username": "board", "password": PASSWORD}).status_code == 429


def test_right_password_logs_in(world, client, settings):
    settings.AXES_ENABLED = True
    response = client.post(reverse("login"), {"username": "board", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home")
