"""The admin never shows a ballot's tallies or paper counts before the ballot closes, not even to a
superuser; what the year-end workflows wrote is read-only there."""

from django.urls import reverse

from awards.models import BallotCandidate, BallotState, PaperCount
from awards.tests.yearend import make_ballot, make_nomination


def _superuser(django_user_model, client):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.vn", "x-secret-1"))
    return client


def test_tallies_hidden_from_superuser_until_closed(world, ninh_thuan_rules, client, django_user_model):
    ballot = make_ballot(world, [make_nomination(world)], elect=False)
    candidate = BallotCandidate.objects.get(question__ballot=ballot)
    BallotCandidate.objects.filter(pk=candidate.pk).update(yes=3, no=1)
    PaperCount.objects.create(ballot=ballot, entered_by=world.secretary, counts={"x": {"issued": 4417}})
    admin = _superuser(django_user_model, client)
    url = reverse("admin:awards_ballotcandidate_change", args=[candidate.pk])
    page = admin.get(url).content.decode()
    assert "Đồng ý / được chọn" not in page and "Không đồng ý" not in page
    paper_url = reverse("admin:awards_papercount_change", args=[PaperCount.objects.get().pk])
    assert "4417" not in admin.get(paper_url).content.decode()
    ballot.state = BallotState.CLOSED
    ballot.save(update_fields=["state"])
    page = admin.get(url).content.decode()
    assert "Đồng ý / được chọn" in page
    assert "4417" in admin.get(paper_url).content.decode()


def test_nomination_is_read_only_in_admin(world, ninh_thuan_rules, client, django_user_model):
    nomination = make_nomination(world)
    admin = _superuser(django_user_model, client)
    url = reverse("admin:awards_nomination_change", args=[nomination.pk])
    response = admin.post(url, {"reason": "đổi", "state": "awarded"})
    assert response.status_code == 403
    nomination.refresh_from_db()
    assert nomination.state == "proposed"
