"""In Chromium: the board exports more rows than a request may make; the job page shows the
progress (htmx polling), then the download button, and the file downloads."""

import io
from unittest import mock

import pytest
from openpyxl import load_workbook

from core import jobs
from core.models import Job, JobStatus
from emulation_portal.testing import build_world, log_in, make_agency, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def live_world(transactional_db):
    world = build_world()
    for i in range(9):
        make_agency(world.province, name=f"Sở Xuất Tệp {i:02d}")
    return world


def test_board_exports_a_large_list_through_a_job(page, live_server, live_world, settings, tmp_path):
    settings.EXPORT_INLINE_MAX_ROWS = 5  # the province has 14 agencies
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server, "board")
    page.get_by_role("link", name="Cơ quan, đơn vị").first.click()
    page.get_by_role("link", name="Xuất Excel").click()
    page.get_by_text("nhiều hơn 5 dòng").wait_for()
    screenshot(page, "jobs", "01-export-offer")

    # The worker is slow to pick it up: the page waits, polling.
    with mock.patch.object(jobs, "_send", return_value=False):
        page.get_by_role("button", name="Tạo tệp").click()
        page.get_by_text("Đang chờ đến lượt xử lý").wait_for()
    job = Job.objects.get()
    assert page.url == live_server.url + job.get_absolute_url()
    screenshot(page, "jobs", "02-job-pending")

    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, done=6, total=14)  # a worker half-way through
    page.locator(".progress-bar.job-w-42").wait_for()
    assert page.get_by_text("đã xong 6/14 dòng").is_visible()
    screenshot(page, "jobs", "03-job-running")

    Job.objects.filter(pk=job.pk).update(status=JobStatus.PENDING, done=0, total=None)
    assert jobs.job_run(job_id=job.pk).status == JobStatus.DONE
    page.locator("#job-download").wait_for()  # the page noticed by itself
    screenshot(page, "jobs", "04-job-done")
    with page.expect_download() as download_info:
        page.locator("#job-download").click()
    download = download_info.value
    assert download.suggested_filename.startswith("co-quan-don-vi-") and download.suggested_filename.endswith(".xlsx")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    rows = list(load_workbook(io.BytesIO(target.read_bytes()), read_only=True).worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 1 + 14
    assert {r[0] for r in rows[1:]} >= {f"Sở Xuất Tệp {i:02d}" for i in range(9)}
