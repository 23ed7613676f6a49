import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_login_page_is_vietnamese(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Đăng nhập" in response.content.decode()


def test_home_for_each_role(world, client_for):
    for user in (world.board, world.central, world.secretary, world.leader, world.officer):
        response = client_for(user).get(reverse("home"))
        assert response.status_code == 200, user


def test_server_error_page_needs_no_context_and_reassures(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Đã có lỗi ở máy chủ" in page and "vẫn còn nguyên" in page
