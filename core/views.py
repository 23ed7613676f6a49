"""The job pages (core.jobs): status with a progress bar, download, retry. Only the user who asked
sees a job; the download and the retry also check the kind's rule again (404 otherwise).

These views and their templates (``templates/core/``) belong to the base: an app gives its
wording through the kind it registers (title, result lines, the page to go back to).
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from core import jobs
from core.models import Job


def _job_for(request, pk, *, use=False) -> Job:
    """The user's own job (404 for anyone else's); ``use``: the user must still pass the kind's rule."""
    job = Job.objects.filter(pk=pk, requested_by=request.user).first()
    if job is None or (use and not jobs.may_use_result(request.user, job)):
        raise Http404
    return job


def _context(request, job: Job) -> dict:
    kind = jobs.get_kind(job.kind)
    may_use = jobs.may_use_result(request.user, job)
    return {
        "job": job,
        "title": kind.title,
        "lines": kind.describe(job) if kind.describe and job.is_ready and may_use else [],
        "back": kind.back(job) if kind.back else None,
        "may_use": may_use,
    }


@login_required
@require_GET
def job_detail(request, pk):
    return render(request, "core/job.html", _context(request, _job_for(request, pk)))


@login_required
@require_GET
def job_progress(request, pk):
    """The live part of the job page, polled by htmx until the job is done or failed."""
    return render(request, "core/job.html#progress", _context(request, _job_for(request, pk)))


@login_required
@require_GET
def job_download(request, pk):
    job = _job_for(request, pk, use=True)
    if not (job.is_ready and job.file):
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=job.filename or job.file.name.rsplit("/", 1)[-1])


@login_required
@require_POST
def job_retry(request, pk):
    job = jobs.job_retry(job=_job_for(request, pk, use=True))
    return redirect(job)
