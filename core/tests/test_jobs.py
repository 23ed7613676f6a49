"""Jobs (core.jobs): started once, claimed once, kept through a broker outage and a killed worker,
failures told in words, results only for the user who asked and may still have them."""

import datetime
import time
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from blocs.access import forget_roles
from blocs.models import Role, RoleAssignment
from core import jobs
from core.jobs import JobError, JobOutput, job_kind
from core.models import Job, JobStatus
from core.tasks import run_job, sweep_documents
from emulation_portal.testing import build_world, race

CALLS = []
FAIL_NEXT = []


@job_kind("tests.echo", rule="blocs.read_province", title="Công việc thử", describe=lambda job: [f"{job.result['rows']} dòng"])
def _echo(job, report):
    CALLS.append(job.pk)
    rows = job.params.get("rows", 3)
    for done in range(1, rows + 1):
        report(done, rows)
    if job.params.get("sleep"):
        time.sleep(job.params["sleep"])
    if FAIL_NEXT:
        FAIL_NEXT.pop()
        raise JobError("Không có dữ liệu nào để xuất.")
    return JobOutput(content="\n".join(str(i) for i in range(rows)).encode(), filename="thu-nghiem.txt", result={"rows": rows})


@job_kind("tests.crash", rule="blocs.read_province", title="Công việc lỗi")
def _crash(job, report):
    raise RuntimeError("/srv/portal/secret.py line 3: boom")


@job_kind("tests.province", rule="blocs.manage_province", subject=lambda params: params["province_id"], title="Theo tỉnh", atomic=True)
def _province(job, report):
    CALLS.append(job.pk)
    return JobOutput(content=b"ok", filename="tinh.txt")


@pytest.fixture(autouse=True)
def _fresh_calls():
    CALLS.clear()
    FAIL_NEXT.clear()


def _broker_down():
    return mock.patch.object(run_job, "delay", side_effect=OperationalError("Error 111 connecting to 127.0.0.1:6379."))


def _age(job, *, seconds, **fields):
    Job.objects.filter(pk=job.pk).update(status_since=timezone.now() - datetime.timedelta(seconds=seconds), **fields)


def _start(user, capture, kind="tests.echo", **params):
    with capture(execute=True):
        job = jobs.job_start(kind=kind, user=user, params=params)
    job.refresh_from_db()
    return job


def _pending(user, kind="tests.echo", **params):
    """A job whose message never reached the broker."""
    with _broker_down():
        job = jobs.job_start(kind=kind, user=user, params=params)
        jobs._send(job.pk)
    job.refresh_from_db()
    return job


# (a) a job runs once and stores its file out of the public media


def test_job_runs_and_keeps_its_file_private(world, django_capture_on_commit_callbacks):
    job = _start(world.board, django_capture_on_commit_callbacks, rows=5)
    assert job.status == JobStatus.DONE and job.attempts == 1 and CALLS == [job.pk]
    assert (job.done, job.total, job.result, job.filename) == (5, 5, {"rows": 5}, "thu-nghiem.txt")
    path = Path(job.file.path)
    assert path.read_bytes() == b"0\n1\n2\n3\n4"
    assert path.is_relative_to(Path(django_settings.MEDIA_ROOT) / "private")
    with pytest.raises(ValueError, match="not accessible via a URL"):
        _ = job.file.url


def test_the_development_media_route_does_not_serve_job_files(world, django_capture_on_commit_callbacks, settings):
    from django.http import Http404
    from django.test import RequestFactory

    from emulation_portal.urls import media_in_development

    job = _start(world.board, django_capture_on_commit_callbacks)
    (Path(settings.MEDIA_ROOT) / "public.txt").write_bytes(b"public")
    assert media_in_development(RequestFactory().get("/"), "public.txt").status_code == 200
    for path in (f"private/{job.file.name}", f"jobs/../private/{job.file.name}", f"/private/{job.file.name}", f"./private/{job.file.name}"):
        with pytest.raises(Http404):
            media_in_development(RequestFactory().get("/"), path)


def test_the_same_job_asked_twice_while_unfinished_is_one(world):
    first = _pending(world.board, rows=2)
    assert jobs.job_start(kind="tests.echo", user=world.board, params={"rows": 2}) == first
    assert jobs.job_start(kind="tests.echo", user=world.central, params={"rows": 2}) != first  # another user's
    assert jobs.job_start(kind="tests.echo", user=world.board, params={"rows": 3}) != first  # other parameters
    jobs.job_run(job_id=first.pk)
    again = jobs.job_start(kind="tests.echo", user=world.board, params={"rows": 2})
    assert again != first and again.status == JobStatus.PENDING  # finished: asking again makes a new one


def test_a_claimed_job_is_not_run_again(world):
    job = _pending(world.board)
    assert jobs.job_run(job_id=job.pk).status == JobStatus.DONE
    assert jobs.job_run(job_id=job.pk).attempts == 1  # a duplicate message
    assert CALLS == [job.pk]


def test_a_fresh_running_job_is_left_to_its_worker(world):
    job = _pending(world.board)
    _age(job, seconds=30, status=JobStatus.RUNNING, attempts=1)
    jobs.job_run(job_id=job.pk)  # the broker redelivering the message: the first worker is still on it
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.attempts == 1 and CALLS == []


@pytest.mark.django_db(transaction=True)
def test_two_workers_claim_the_job_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (SQLite's shared-cache test database refuses concurrent writers)")
    world = build_world(members=2)
    job = _pending(world.board, sleep=0.3)
    errors = race([lambda: jobs.job_run(job_id=job.pk) for _ in range(4)])
    assert errors == []
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 1 and CALLS == [job.pk]


def test_progress_writes_are_bounded(world):
    job = _pending(world.board, rows=20_000)
    with CaptureQueriesContext(connection) as queries:
        jobs.job_run(job_id=job.pk)
    updates = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "core_job"')]
    assert 2 <= len(updates) <= 6, len(updates)  # the claim, the first report, the final save (and one per 0.5 s)
    job.refresh_from_db()
    assert (job.done, job.total) == (20_000, 20_000)


# (b) the broker is down when the job is asked for


def test_broker_down_at_start_leaves_it_pending_then_the_sweep_runs_it(world):
    job = _pending(world.board)
    assert job.status == JobStatus.PENDING and job.attempts == 0
    assert jobs.jobs_sweep() == []  # not pending long enough: its message may be on the way
    _age(job, seconds=django_settings.JOB_PENDING_SECONDS + 1)
    with _broker_down():
        assert jobs.jobs_sweep() == []  # still down: it stays pending for the next round
    job.refresh_from_db()
    assert job.status == JobStatus.PENDING
    _age(job, seconds=django_settings.JOB_PENDING_SECONDS + 1)
    assert sweep_documents() == []  # beat's periodic sweep: documents (none) and jobs
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 1 and CALLS == [job.pk]
    assert jobs.jobs_sweep() == []


def test_job_start_view_survives_a_broker_that_is_down(world, client_for, settings, django_capture_on_commit_callbacks):
    """Through a request: the job is saved and shown as waiting, never a 500."""
    settings.EXPORT_INLINE_MAX_ROWS = 1
    with _broker_down(), django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.board).post(reverse("blocs:agency_export_job"))
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.status == JobStatus.PENDING


# (c) a worker killed mid-job


def test_a_stale_running_job_is_taken_back(world):
    job = _pending(world.board)
    _age(job, seconds=django_settings.JOB_STALE_SECONDS + 1, status=JobStatus.RUNNING, attempts=1)
    assert jobs.jobs_sweep() == [job.pk]
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2


def test_progress_keeps_a_long_job_from_looking_stale(world):
    job = _pending(world.board)
    _age(job, seconds=django_settings.JOB_STALE_SECONDS + 1, status=JobStatus.RUNNING, attempts=1)
    running = Job.objects.get(pk=job.pk)
    jobs._Progress(running)(10, 100)  # the live worker reports
    assert jobs.jobs_sweep() == []
    running.refresh_from_db()
    assert running.status == JobStatus.RUNNING and running.done == 10


def test_a_job_killed_too_often_fails_with_a_message(world):
    job = _pending(world.board)
    _age(job, seconds=django_settings.JOB_STALE_SECONDS + 1, status=JobStatus.RUNNING, attempts=jobs.MAX_ATTEMPTS)
    assert jobs.jobs_sweep() == []
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "gián đoạn" in job.error


# (d) failures


def test_a_refused_job_fails_with_its_message_and_can_be_retried(world, client_for, django_capture_on_commit_callbacks):
    FAIL_NEXT.append(True)
    job = _start(world.board, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.FAILED and job.error == "Không có dữ liệu nào để xuất."
    page = client_for(world.board).get(job.get_absolute_url()).content.decode()
    assert "Không có dữ liệu nào để xuất." in page and reverse("job_retry", args=[job.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.board).post(reverse("job_retry", args=[job.pk]))
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2 and job.error == ""


def test_an_unexpected_error_shows_no_traceback(world, client_for, django_capture_on_commit_callbacks, caplog):
    job = _start(world.board, django_capture_on_commit_callbacks, kind="tests.crash")
    assert job.status == JobStatus.FAILED
    assert "secret" not in job.error and "boom" not in job.error and "lỗi" in job.error
    assert "boom" in caplog.text  # the details go to the log
    page = client_for(world.board).get(job.get_absolute_url()).content.decode()
    assert job.error in page and "secret" not in page


def test_a_done_or_fresh_job_is_not_retried(world, client_for, django_capture_on_commit_callbacks):
    job = _start(world.board, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client_for(world.board).post(reverse("job_retry", args=[job.pk]))
    assert callbacks == [] and CALLS == [job.pk]
    pending = _pending(world.board, rows=7)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client_for(world.board).post(reverse("job_retry", args=[pending.pk]))
    assert callbacks == []


# (e) retention


def test_the_sweep_deletes_old_finished_jobs_and_their_files(world, django_capture_on_commit_callbacks):
    old = _start(world.board, django_capture_on_commit_callbacks, rows=1)
    recent = _start(world.board, django_capture_on_commit_callbacks, rows=2)
    waiting = _pending(world.board, rows=3)
    long_ago = timezone.now() - datetime.timedelta(days=django_settings.JOB_RETENTION_DAYS, hours=1)
    Job.objects.filter(pk__in=[old.pk, waiting.pk]).update(created_at=long_ago)
    Job.objects.filter(pk=waiting.pk).update(status_since=timezone.now())
    old_path = Path(old.file.path)
    jobs.jobs_sweep()
    assert not Job.objects.filter(pk=old.pk).exists() and not old_path.exists()
    assert Job.objects.filter(pk__in=[recent.pk, waiting.pk]).count() == 2 and Path(recent.file.path).exists()


# (f) the pages: the requester only, and only while they may still do what the job did

PAGES = ["job_detail", "job_progress", "job_download"]


@pytest.mark.parametrize("name", PAGES)
def test_pages_are_the_requesters_only(world, client_for, django_capture_on_commit_callbacks, name):
    job = _start(world.board, django_capture_on_commit_callbacks)
    url = reverse(name, args=[job.pk])
    assert client_for(world.board).get(url).status_code == 200
    for other in ("central", "secretary", "leader", "outsider", "stranger"):
        assert client_for(getattr(world, other)).get(url).status_code == 404, other
    assert client_for(world.board).get(reverse(name, args=[job.pk + 1000])).status_code == 404
    anonymous = client_for(None).get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    assert client_for(world.board).post(url).status_code == 405


def test_retry_is_post_only_and_the_requesters(world, client_for, django_capture_on_commit_callbacks):
    FAIL_NEXT.append(True)
    job = _start(world.board, django_capture_on_commit_callbacks)
    url = reverse("job_retry", args=[job.pk])
    assert client_for(world.board).get(url).status_code == 405
    assert client_for(world.central).post(url).status_code == 404
    anonymous = client_for(None).post(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED


def test_download_gives_the_file(world, client_for, django_capture_on_commit_callbacks):
    job = _start(world.board, django_capture_on_commit_callbacks, rows=2)
    response = client_for(world.board).get(reverse("job_download", args=[job.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"0\n1"
    assert 'filename="thu-nghiem.txt"' in response["Content-Disposition"]


def test_download_rechecks_the_rule(world, client_for, django_capture_on_commit_callbacks):
    job = _start(world.board, django_capture_on_commit_callbacks, kind="tests.province", province_id=world.province.pk)
    download = reverse("job_download", args=[job.pk])
    assert client_for(world.board).get(download).status_code == 200
    RoleAssignment.objects.filter(user=world.board, role=Role.BOARD).delete()  # no longer on the board
    forget_roles(world.board)
    assert client_for(world.board).get(download).status_code == 404
    page = client_for(world.board).get(job.get_absolute_url()).content.decode()
    assert download not in page and "không còn quyền" in page


def test_a_job_for_a_province_the_user_does_not_manage_is_refused_on_download(world, client_for, django_capture_on_commit_callbacks):
    job = _start(world.board, django_capture_on_commit_callbacks, kind="tests.province", province_id=world.other_province.pk)
    assert client_for(world.board).get(reverse("job_download", args=[job.pk])).status_code == 404


def test_status_page_while_waiting_polls_and_works_without_javascript(world, client_for):
    job = _pending(world.board, rows=4)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, done=1, total=4)
    page = client_for(world.board).get(job.get_absolute_url()).content.decode()
    assert f'hx-get="{reverse("job_progress", args=[job.pk])}"' in page and 'hx-trigger="every 1s"' in page
    assert '<meta http-equiv="refresh"' in page and "Tải lại" in page
    assert 'class="progress-bar job-w-25"' in page and 'aria-valuenow="25"' in page
    assert "style=" not in page.split("<main", 1)[1]  # the CSP allows no inline style
    partial = client_for(world.board).get(reverse("job_progress", args=[job.pk])).content.decode()
    assert partial.lstrip().startswith('<div id="job-progress"') and "<html" not in partial


def test_status_page_when_done_stops_polling_and_offers_the_download(world, client_for, django_capture_on_commit_callbacks):
    job = _start(world.board, django_capture_on_commit_callbacks, rows=6)
    page = client_for(world.board).get(job.get_absolute_url()).content.decode()
    assert "hx-get" not in page and 'http-equiv="refresh"' not in page
    assert reverse("job_download", args=[job.pk]) in page and "6 dòng" in page


def test_status_page_query_count(world, client_for, django_capture_on_commit_callbacks, django_assert_max_num_queries):
    job = _start(world.board, django_capture_on_commit_callbacks)
    client = client_for(world.board)
    client.get(job.get_absolute_url())
    with django_assert_max_num_queries(8):
        client.get(reverse("job_progress", args=[job.pk]))


# (g) configuration and a real worker


def test_the_periodic_sweep_also_sweeps_jobs():
    from emulation_portal.celery import app

    assert app.conf.beat_schedule["documents-sweep"]["task"] == sweep_documents.name
    with mock.patch("core.tasks.jobs_sweep") as jobs_sweep, mock.patch("core.tasks.documents_sweep", return_value=[]):
        sweep_documents()
    jobs_sweep.assert_called_once_with()
    assert django_settings.JOB_PENDING_SECONDS < django_settings.JOB_STALE_SECONDS
    assert django_settings.JOB_STALE_SECONDS < django_settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]


def _wait_until_finished(job, seconds=60):
    deadline = time.monotonic() + seconds
    while job.is_in_progress and time.monotonic() < deadline:
        time.sleep(0.2)
        job.refresh_from_db()
    return job


@pytest.mark.broker
def test_lost_and_stale_jobs_run_through_the_broker(celery_worker_app):
    world = build_world(members=2)
    job = _pending(world.board, rows=3)  # the broker was down when it was asked for
    _age(job, seconds=django_settings.JOB_STALE_SECONDS + 1, status=JobStatus.RUNNING, attempts=1)  # and a worker died on it
    sweep_documents.delay()
    job = _wait_until_finished(job)
    assert job.status == JobStatus.DONE, job.error
    assert job.attempts == 2 and Path(job.file.path).read_bytes() == b"0\n1\n2"
    fresh = jobs.job_start(kind="tests.echo", user=world.central, params={"rows": 2})  # straight through the broker
    fresh = _wait_until_finished(fresh)
    assert fresh.status == JobStatus.DONE and fresh.attempts == 1
