"""Large exports and imports run as jobs (issue 8, #11 and #12): the same rows, the same database
state and the same checks as inside the request, started by a POST, started once."""

import datetime
import io
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from kombu.exceptions import OperationalError
from openpyxl import load_workbook

from blocs import jobs as bloc_jobs
from blocs.access import forget_roles
from blocs.models import Agency, AgencyStatus, BlocYear, Role, RoleAssignment
from blocs.tests.filebuilders import xlsx_bytes
from core.models import AuditEntry, Job, JobStatus
from core.tasks import run_job
from emulation_portal.testing import make_agency, make_bloc_year

ROLES = ["board", "central", "secretary", "leader", "officer", "nonmember", "outsider", "stranger"]
START = {"board": 302, "central": 302, "secretary": 403, "leader": 403, "officer": 403, "nonmember": 403, "outsider": 302, "stranger": 403}


def sheets(content):
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return [[list(r) for r in sheet.iter_rows(values_only=True)] for sheet in workbook.worksheets]


def _broker_down():
    return mock.patch.object(run_job, "delay", side_effect=OperationalError("Error 111 connecting to 127.0.0.1:6379."))


@pytest.fixture
def bigger(world):
    """Twelve more agencies and a second bloc-year, one of them dissolved."""
    extra = [make_agency(world.province, name=f"Sở Thêm {i:02d}") for i in range(12)]
    Agency.objects.filter(pk=extra[0].pk).update(status=AgencyStatus.DISSOLVED, status_date=datetime.date(2022, 6, 30))
    make_bloc_year(world.province, extra[:8], year=2023, head=extra[1], deputy=extra[2], name="Khối Thêm")
    make_bloc_year(world.province, extra[8:], year=2022, name="Khối Phụ")
    return world


def _direct(client, name, params, settings):
    settings.EXPORT_INLINE_MAX_ROWS = 100_000
    response = client.get(reverse(name), params)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    return b"".join(response) if response.streaming else response.content


def _through_job(client, name, params, settings, capture):
    settings.EXPORT_INLINE_MAX_ROWS = 3
    offer = client.get(reverse(name), params)
    assert offer.status_code == 200 and offer["Content-Type"].startswith("text/html")
    assert Job.objects.count() == 0, "a GET starts nothing"
    action = offer.context["action"]
    assert 'method="post"' in offer.content.decode() and "Tạo tệp" in offer.content.decode()
    with capture(execute=True):
        started = client.post(action)
    job = Job.objects.get()
    assert started.status_code == 302 and started["Location"] == job.get_absolute_url()
    assert job.status == JobStatus.DONE, job.error
    download = client.get(reverse("job_download", args=[job.pk]))
    assert download.status_code == 200
    assert f'filename="{job.filename}"' in download["Content-Disposition"]
    return job, b"".join(download.streaming_content)


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("blocs:agency_export", {}),
        ("blocs:agency_export", {"q": "Sở Thêm", "status": "active"}),
        ("blocs:blocyear_export", {}),
        ("blocs:blocyear_export", {"year": "2023"}),
        ("blocs:blocyear_export", {"q": "Khối Phụ"}),
    ],
)
def test_an_export_over_the_limit_is_a_job_with_the_same_rows(bigger, client_for, settings, django_capture_on_commit_callbacks, name, params):
    client = client_for(bigger.central)
    direct = sheets(_direct(client, name, params, settings))
    job, content = _through_job(client, name, params, settings, django_capture_on_commit_callbacks)
    assert sheets(content) == direct
    assert len(direct[0]) > 1 + 3, "the filtered export is over the limit"
    assert job.done == job.total == len(direct[0]) - 1


def test_the_job_keeps_the_filters(bigger, client_for, settings, django_capture_on_commit_callbacks):
    settings.EXPORT_INLINE_MAX_ROWS = 1
    client = client_for(bigger.board)
    offer = client.get(reverse("blocs:agency_export"), {"q": "Sở Thêm", "status": "dissolved_nope"})
    assert offer.context["action"] == reverse("blocs:agency_export_job") + "?q=S%E1%BB%9F+Th%C3%AAm"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(offer.context["action"])
    job = Job.objects.get()
    assert job.params == {"query": "Sở Thêm", "status": ""} and job.requested_by == bigger.board
    page = client.get(job.get_absolute_url()).content.decode()
    assert reverse("blocs:agency_list") + "?q=S%E1%BB%9F+Th%C3%AAm" in page


def test_an_export_under_the_limit_stays_a_direct_download(bigger, client_for, settings):
    settings.EXPORT_INLINE_MAX_ROWS = 1000
    for name in ("blocs:agency_export", "blocs:blocyear_export"):
        response = client_for(bigger.board).get(reverse(name))
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert Job.objects.count() == 0


def test_the_export_offer_page_by_role(world, client_for, settings):
    settings.EXPORT_INLINE_MAX_ROWS = 0
    for name in ("blocs:agency_export", "blocs:blocyear_export"):
        got = {role: client_for(getattr(world, role)).get(reverse(name)).status_code for role in ROLES}
        assert got == {role: 200 if status == 302 else status for role, status in START.items()}, name


@pytest.mark.parametrize("name", ["blocs:agency_export_job", "blocs:blocyear_export_job"])
def test_starting_an_export_job_by_role_and_method(world, client_for, name):
    url = reverse(name)
    got = {role: client_for(getattr(world, role)).post(url).status_code for role in ROLES}
    assert got == START
    assert Job.objects.filter(status=JobStatus.PENDING).count() == sum(1 for s in START.values() if s == 302)
    assert client_for(world.board).get(url).status_code == 405
    assert client_for(world.board).put(url).status_code == 405
    anonymous = client_for(None).post(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))


def test_an_export_job_started_twice_is_one(world, client_for):
    client = client_for(world.board)
    first = client.post(reverse("blocs:agency_export_job") + "?q=S%E1%BB%9F")
    second = client.post(reverse("blocs:agency_export_job") + "?q=S%E1%BB%9F")
    assert first["Location"] == second["Location"] and Job.objects.count() == 1


def test_an_export_job_of_a_reader_who_lost_the_right_is_not_downloadable(world, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.central).post(reverse("blocs:blocyear_export_job"))
    job = Job.objects.get()
    RoleAssignment.objects.filter(user=world.central).delete()
    assert client_for(world.central).get(reverse("job_download", args=[job.pk])).status_code == 404


# --- imports --------------------------------------------------------------------------------

BLOC = "Khối thi đua nhập nhiều dòng"


def import_rows(world, count=7):
    rows = [[2024, BLOC, world.agencies[0].name, "", "", "", "", "", "Trưởng khối"]]
    rows += [[2024, BLOC, f"Cơ quan mới {i:02d}", f"CQM{i}", "Sở", f"Người {i}", "Giám đốc", "", ""] for i in range(count - 2)]
    rows += [["", "", world.agencies[1].name, "", "", "Lãnh Đạo Mới", "Phó Giám đốc", "", ""]]
    return rows


def _upload(client, rows):
    response = client.post(reverse("blocs:import_upload"), {"file": SimpleUploadedFile("nhieu-dong.xlsx", xlsx_bytes(rows))})
    assert response.status_code == 302
    preview = client.get(reverse("blocs:import_preview"))
    return preview.context["plan"].parsed.sha256, preview


def snapshot(province):
    agencies = sorted(
        Agency.objects.filter(province=province).values_list("name", "short_name", "kind", "leader_name", "leader_title", "email")
    )
    bloc_years = sorted(
        (by.bloc.name, by.year, by.head_id and by.head.name, by.deputy_id and by.deputy.name, tuple(sorted(a.name for a in by.agencies.all())))
        for by in BlocYear.objects.filter(bloc__province=province).select_related("bloc", "head", "deputy")
    )
    return agencies, bloc_years


def test_an_import_over_the_limit_via_a_job_gives_the_same_database_as_inline(world, client_for, settings, django_capture_on_commit_callbacks):
    client = client_for(world.board)
    sha, preview = _upload(client, import_rows(world))
    assert 'id="import-runs-as-job"' not in preview.content.decode()
    before = snapshot(world.province)
    with transaction.atomic():
        settings.IMPORT_INLINE_MAX_ROWS = 100
        inline = client.post(reverse("blocs:import_confirm"), {"sha256": sha})
        assert inline["Location"] == reverse("blocs:blocyear_list") and Job.objects.count() == 0
        inline_state = snapshot(world.province)
        inline_audit = list(AuditEntry.objects.order_by("id").values_list("action", "object_type", "object_repr"))
        transaction.set_rollback(True)
    assert snapshot(world.province) == before != inline_state

    settings.IMPORT_INLINE_MAX_ROWS = 3
    assert 'id="import-runs-as-job"' in client.get(reverse("blocs:import_preview")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("blocs:import_confirm"), {"sha256": sha})
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.status == JobStatus.DONE, job.error
    assert snapshot(world.province) == inline_state
    assert list(AuditEntry.objects.order_by("id").values_list("action", "object_type", "object_repr")) == inline_audit
    assert job.result == {"agencies_created": 5, "agencies_updated": 1, "bloc_years_created": 1, "bloc_years_updated": 0}
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Đã nhập tệp nhieu-dong.xlsx: thêm 5 đơn vị, cập nhật 1 đơn vị, lập 1 danh sách khối theo năm." in page
    assert "blocs_import" not in client.session, "the rows left the session with the job"


def test_the_same_confirm_posted_twice_starts_one_job(world, client_for, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_INLINE_MAX_ROWS = 3
    client = client_for(world.board)
    sha, _preview = _upload(client, import_rows(world))
    with _broker_down(), django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("blocs:import_confirm"), {"sha256": sha})
        second = client.post(reverse("blocs:import_confirm"), {"sha256": sha})
    job = Job.objects.get()
    assert first["Location"] == second["Location"] == job.get_absolute_url()
    assert job.status == JobStatus.PENDING and job.key == sha
    # Two requests that both read the file from the session before either removed it.
    from core.jobs import job_start

    assert job_start(kind=bloc_jobs.IMPORT, user=world.board, params={"x": 1}, key=sha) == job


def test_an_import_job_validates_again_and_writes_nothing_when_the_data_changed(world, client_for, settings, django_capture_on_commit_callbacks):
    from core.jobs import job_run

    settings.IMPORT_INLINE_MAX_ROWS = 3
    client = client_for(world.board)
    sha, _preview = _upload(client, import_rows(world))
    with _broker_down(), django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("blocs:import_confirm"), {"sha256": sha})
    job = Job.objects.get()
    make_agency(world.province, name="Cơ quan mới 00")  # someone created one of the file's new agencies, without its kind…
    Agency.objects.filter(name="Cơ quan mới 00").update(status=AgencyStatus.DISSOLVED, status_date=datetime.date(2023, 6, 30))
    before = snapshot(world.province)
    job = job_run(job_id=job.pk)
    assert job.status == JobStatus.FAILED and "Tệp còn lỗi" in job.error
    assert snapshot(world.province) == before
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Tệp còn lỗi" in page and reverse("job_retry", args=[job.pk]) in page


def test_an_import_job_of_a_user_no_longer_on_the_board_writes_nothing(world, client_for, settings, django_capture_on_commit_callbacks):
    from core.jobs import job_run

    settings.IMPORT_INLINE_MAX_ROWS = 3
    client = client_for(world.board)
    sha, _preview = _upload(client, import_rows(world))
    with _broker_down(), django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("blocs:import_confirm"), {"sha256": sha})
    RoleAssignment.objects.filter(user=world.board, role=Role.BOARD).delete()
    forget_roles(world.board)
    before = snapshot(world.province)
    job = job_run(job_id=Job.objects.get().pk)
    assert job.status == JobStatus.FAILED and "không còn quyền" in job.error
    assert snapshot(world.province) == before
    assert client.post(reverse("job_retry", args=[job.pk])).status_code == 404
