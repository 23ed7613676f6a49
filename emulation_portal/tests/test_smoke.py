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
