"""The admin: signed, approved and issued records are read-only even for a superuser; every
change that remains is written to the audit chain."""

import pytest
from django.contrib import admin
from django.urls import reverse

from blocs.models import Agency, User
from core.admin import AuditedAdminMixin
from core.audit import audit_verify_chain
from core.models import AuditEntry, IssuedDocument
from meetings.models import Meeting, MeetingState
from meetings.tests.factories import published
from pledges.models import Criterion, PledgeState, PledgeVersion
from pledges.tests.helpers import make_draft, make_signing, sign_all

pytestmark = pytest.mark.django_db

PORTAL_APPS = {"core", "blocs", "pledges", "meetings", "awards", "emulation_portal", "auth"}


@pytest.fixture
def root(django_user_model):
    return django_user_model.objects.create_superuser("quantri", "qt@example.vn", "x-secret-1")


@pytest.fixture
def admin_client(client_for, root):
    return client_for(root)


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def delete_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_delete", args=[obj.pk])


def test_every_admin_of_the_portal_is_audited():
    plain = [
        m._meta.label for m, a in admin.site._registry.items() if m._meta.app_label in PORTAL_APPS and not isinstance(a, AuditedAdminMixin)
    ]
    assert plain == []


def test_signed_version_cannot_be_changed_or_deleted(world, admin_client):
    version = sign_all(make_signing(world), world.leaders)
    assert version.state == PledgeState.SIGNED
    before = PledgeVersion.objects.filter(pk=version.pk).values().get()
    entries = AuditEntry.objects.count()

    page = admin_client.get(change_url(version))
    assert page.status_code == 200 and 'name="title"' not in page.content.decode()  # shown read-only
    response = admin_client.post(change_url(version), {"title": "Giao ước sửa lén", "state": "draft", "number": 1})
    assert response.status_code == 403
    assert admin_client.post(delete_url(version), {"post": "yes"}).status_code == 403
    criterion = version.criteria.first()
    assert admin_client.post(delete_url(version.pledge), {"post": "yes"}).status_code == 403

    assert PledgeVersion.objects.filter(pk=version.pk).values().get() == before
    assert Criterion.objects.filter(pk=criterion.pk).exists()
    assert AuditEntry.objects.count() == entries


def test_bulk_delete_of_locked_records_is_refused(world, admin_client):
    version = sign_all(make_signing(world), world.leaders)
    meeting = published(world)
    for obj in (version, meeting):
        changelist = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_changelist")
        response = admin_client.post(changelist, {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"})
        assert response.status_code in (200, 403)  # 403, or the "cannot delete" page when protected
        assert type(obj).objects.filter(pk=obj.pk).exists()
    assert not AuditEntry.objects.filter(action="admin.delete").exists()


def test_published_meeting_cannot_be_changed(world, admin_client):
    meeting = published(world)
    assert meeting.state == MeetingState.PUBLISHED
    before = Meeting.objects.filter(pk=meeting.pk).values().get()
    response = admin_client.post(change_url(meeting), {"conclusions": "Kết luận đã bị sửa", "venue": "Nơi khác"})
    assert response.status_code == 403
    assert admin_client.post(delete_url(meeting), {"post": "yes"}).status_code == 403
    revision = meeting.revisions.get()
    assert admin_client.post(change_url(revision), {"snapshot": "{}"}).status_code == 403
    assert Meeting.objects.filter(pk=meeting.pk).values().get() == before
    assert meeting.revisions.get().snapshot == revision.snapshot


def test_published_article_cannot_be_changed_or_deleted(world, admin_client):
    article = published(world).article
    assert article.is_published
    before = type(article).objects.filter(pk=article.pk).values().get()
    page = admin_client.get(change_url(article))
    assert page.status_code == 200 and 'name="title"' not in page.content.decode()  # shown read-only
    assert admin_client.post(change_url(article), {"title": "Tin đã đăng bị sửa", "body": "x"}).status_code == 403
    assert admin_client.post(delete_url(article), {"post": "yes"}).status_code == 403
    assert type(article).objects.filter(pk=article.pk).values().get() == before


def test_issued_documents_and_the_log_are_read_only(world, admin_client):
    version = sign_all(make_signing(world), world.leaders)
    entry = AuditEntry.objects.filter(object_type="pledges.pledgeversion").first()
    assert admin_client.post(change_url(entry), {"action": "x"}).status_code == 403
    assert admin_client.post(delete_url(entry), {"post": "yes"}).status_code == 403
    issued = IssuedDocument.objects.get(source_id=version.pk, kind="pledge")
    assert admin_client.post(change_url(issued), {"title": "x"}).status_code == 403
    assert admin_client.post(delete_url(issued), {"post": "yes"}).status_code == 403
    assert IssuedDocument.objects.filter(pk=issued.pk).exists()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def agency_form(agency, **changes):
    data = {
        "province": agency.province_id,
        "name": agency.name,
        "short_name": agency.short_name,
        "kind": agency.kind,
        "leader_name": agency.leader_name,
        "leader_title": agency.leader_title,
        "email": agency.email,
        "status": agency.status,
        "status_date": "",
        "successor": "",
    }
    return data | changes


def test_an_allowed_change_is_audited_with_its_fields(world, admin_client, root):
    agency = world.agencies[0]
    old_name = agency.name
    response = admin_client.post(change_url(agency), agency_form(agency, name="Sở Nội vụ tỉnh (đổi tên)"))
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(action="admin.change")
    assert entry.actor == root and entry.object_type == "blocs.agency" and entry.object_id == str(agency.pk)
    assert entry.data == {"changed": {"name": [old_name, "Sở Nội vụ tỉnh (đổi tên)"]}}
    assert audit_verify_chain() is None


def test_a_draft_version_stays_editable_and_is_audited(world, admin_client):
    version = make_draft(world)
    page = admin_client.get(change_url(version))
    assert 'name="title"' in page.content.decode()
    # A criterion deleted through the inline is recorded on the version's entry.
    criteria = list(version.criteria.order_by("pk"))
    data = {
        "pledge": version.pledge_id, "number": version.number, "title": "Giao ước (sửa)", "doc_number": version.doc_number,
        "place": version.place, "date": version.date.isoformat(), "preamble": version.preamble, "amends": "", "created_at_0": "01/01/2022",
        "created_at_1": "08:00:00", "created_by": "",
        "criteria-TOTAL_FORMS": len(criteria), "criteria-INITIAL_FORMS": len(criteria), "criteria-MIN_NUM_FORMS": 0, "criteria-MAX_NUM_FORMS": 1000,
    }
    for i, c in enumerate(criteria):
        data |= {f"criteria-{i}-id": c.pk, f"criteria-{i}-version": version.pk, f"criteria-{i}-position": c.position,
                 f"criteria-{i}-group": c.group, f"criteria-{i}-text": c.text, f"criteria-{i}-max_points": c.max_points,
                 f"criteria-{i}-target": c.target}
    data["criteria-0-DELETE"] = "on"
    response = admin_client.post(change_url(version), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = AuditEntry.objects.get(action="admin.change")
    assert entry.data["changed"]["title"][1] == "Giao ước (sửa)"
    assert {"model": "pledges.criterion", "id": criteria[0].pk, "deleted": str(criteria[0])[:100]} in entry.data["inlines"]


def test_an_admin_delete_is_audited(world, admin_client):
    agency = Agency.objects.create(province=world.province, name="Đơn vị tạm")
    response = admin_client.post(delete_url(agency), {"post": "yes"})
    assert response.status_code == 302
    assert not Agency.objects.filter(pk=agency.pk).exists()
    assert AuditEntry.objects.filter(action="admin.delete", object_type="blocs.agency", object_id=str(agency.pk)).count() == 1


def test_a_password_set_in_the_admin_is_audited_without_the_password(world, admin_client):
    user = world.officer
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    response = admin_client.post(url, {"password1": "Mat-khau-moi-2024", "password2": "Mat-khau-moi-2024", "usable_password": "true"})
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(action="admin.change", object_type="blocs.user")
    assert "Mat-khau" not in str(entry.data)
    assert User.objects.get(pk=user.pk).check_password("Mat-khau-moi-2024")
