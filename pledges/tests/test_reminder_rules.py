"""The pledge's signing deadline: set by the secretary while signing is open (each role), used by the reminders."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from pledges.tests.helpers import make_draft, make_signing

pytestmark = pytest.mark.django_db


def test_opening_signing_sets_a_default_deadline(world):
    version = make_signing(world)  # its printed date (2022) is past: today + PLEDGE_SIGNING_DAYS
    assert version.signing_deadline == timezone.localdate() + datetime.timedelta(days=14)


def test_deadline_kept_when_set_in_the_draft(world):
    from pledges import services

    version = make_draft(world)
    wanted = timezone.localdate() + datetime.timedelta(days=3)
    services.version_update(actor=world.secretary, version=version, title=version.title, place=version.place, date=version.date,
                            preamble=version.preamble, signing_deadline=wanted)
    services.review_open(actor=world.secretary, version=version)
    version = services.signing_open(actor=world.secretary, version=version)
    assert version.signing_deadline == wanted


def test_secretary_moves_the_deadline_each_role(world, client_for):
    version = make_signing(world)
    url = reverse("pledges:signing_deadline", args=[version.pk])
    day = (timezone.localdate() + datetime.timedelta(days=20)).strftime("%d/%m/%Y")
    expected = {"secretary": 302, "board": 302, "leader": 403, "officer": 403, "central": 403, "outsider": 404, "stranger": 404}
    for role, status in expected.items():
        assert client_for(getattr(world, role)).post(url, {"signing_deadline": day}).status_code == status, role
    version.refresh_from_db()
    assert version.signing_deadline == timezone.localdate() + datetime.timedelta(days=20)
    assert AuditEntry.objects.filter(action="pledge.signing_deadline").exists()
    assert client_for(world.secretary).get(url).status_code == 405
    for bad in ("", "31/02/2026", "<script>", "01/01/2000"):
        client_for(world.secretary).post(url, {"signing_deadline": bad})
    version.refresh_from_db()
    assert version.signing_deadline == timezone.localdate() + datetime.timedelta(days=20)
    page = client_for(world.secretary).get(version.get_absolute_url()).content.decode()
    assert 'id="deadline-form"' in page and 'id="reminders-link"' in page
    assert 'id="deadline-form"' not in client_for(world.leader).get(version.get_absolute_url()).content.decode()
