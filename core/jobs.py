"""Jobs: long work a user asked for (a large export or import), run by a Celery worker while the
user watches a progress page, then downloads the file or reads the result.

An app registers a *kind* with the function that does the work and the access rule that
allowed it (see ``core.access``)::

    @job_kind("blocs.agency_export", rule="blocs.read_province", title=_("Xuất danh sách …"))
    def agency_export(job, report) -> JobOutput:
        ...
        report(done, total)      # progress; written at most every PROGRESS_SECONDS
        return JobOutput(content=xlsx, filename="co-quan.xlsx")

and starts one with ``job_start(kind=..., user=..., params=...)``. The row is sent to the broker
once the transaction commits; a broker that is down leaves it pending and the sweep
(``jobs_sweep``, run with the documents' sweep by beat and at worker start) sends it again, as it
does for a job whose worker died. The worker claims the row with one conditional UPDATE, so a
duplicate message never runs it twice. Only the user who asked sees the job, and the download
checks the kind's rule again: who lost the right since gets a 404.

A kind that writes (an import) is ``atomic``: its work and the "done" mark commit together, so a
worker killed half-way leaves nothing written and the job is simply run again.
"""

import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.access import can
from core.documents import BROKER_ERRORS
from core.models import Job, JobStatus, private_storage

log = logging.getLogger(__name__)

# Progress is written to the row at most this often (and once at the end): a job of a million
# rows costs a few hundred small UPDATEs, not a million.
PROGRESS_SECONDS = 0.5
# A job whose worker died this many times is marked failed rather than run again forever.
MAX_ATTEMPTS = 3


class JobError(Exception):
    """Raised by a kind's function with a message for the user (Vietnamese, no traceback)."""


@dataclass(frozen=True)
class JobOutput:
    """What a kind's function returns: a file to download and/or a result shown on the page."""

    content: bytes | None = None
    filename: str = ""
    result: dict = field(default_factory=dict)


@dataclass(frozen=True)
class JobKind:
    name: str
    run: Callable  # (job, report) -> JobOutput
    rule: str  # core.access rule the user must still pass to see the result
    subject: Callable | None  # (params) -> what the rule applies to (object or pk); None: "anywhere"
    title: str
    describe: Callable | None  # (job) -> lines of text shown once done
    back: Callable | None  # (job) -> (url, label) of the page the job came from
    atomic: bool


_KINDS: dict[str, JobKind] = {}


def job_kind(
    name: str,
    *,
    rule: str,
    title: str,
    subject: Callable | None = None,
    describe: Callable | None = None,
    back: Callable | None = None,
    atomic: bool = False,
):
    """Register ``fn(job, report) -> JobOutput`` as the job kind ``name``."""

    def register(fn):
        if name in _KINDS:
            raise RuntimeError(f"job kind {name!r} registered twice")
        _KINDS[name] = JobKind(
            name=name, run=fn, rule=rule, subject=subject, title=title, describe=describe, back=back, atomic=atomic
        )
        return fn

    return register


def get_kind(name: str) -> JobKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"no job kind called {name!r}") from None


# --- access ----------------------------------------------------------------------------------


def may_use_result(user, job: Job) -> bool:
    """The user who asked, still allowed to do what the job did (the kind's rule, checked now)."""
    if not (user.is_authenticated and job.requested_by_id == user.pk):
        return False
    kind = _KINDS.get(job.kind)
    if kind is None:
        return False
    if kind.subject is None:
        return can(user, kind.rule)
    subject = kind.subject(job.params)
    return subject is not None and can(user, kind.rule, subject)


# --- starting and sending ----------------------------------------------------------------------


def params_key(params: dict) -> str:
    """A key for "the same job": the SHA-256 of the parameters."""
    return hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()


def _send(job_id: int) -> bool:
    """Hand the job to the broker. Never raises: a broker that is down leaves the row pending for the sweep."""
    from core.tasks import run_job

    try:
        run_job.delay(job_id)
    except BROKER_ERRORS as exc:
        log.warning("broker unavailable, job %s stays pending for the sweep: %s", job_id, exc)
        return False
    return True


def _enqueue(job_id: int) -> None:
    transaction.on_commit(lambda: _send(job_id))


def _unfinished(*, kind: str, user, key: str):
    return Job.objects.filter(kind=kind, requested_by=user, key=key, status__in=(JobStatus.PENDING, JobStatus.RUNNING)).first()


@transaction.atomic
def job_start(*, kind: str, user, params: dict, key: str = "") -> Job:
    """Create the job and send it once committed. Asking again while the same job (same kind,
    user and key; the key defaults to the parameters' hash) is unfinished returns that job."""
    get_kind(kind)
    key = key or params_key(params)
    existing = _unfinished(kind=kind, user=user, key=key)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            job = Job.objects.create(kind=kind, requested_by=user, params=params, key=key)
    except IntegrityError:  # a concurrent request created it first
        existing = _unfinished(kind=kind, user=user, key=key)
        if existing is None:  # pragma: no cover - it finished between the two statements
            raise
        return existing
    _enqueue(job.pk)
    return job


def _retryable() -> Q:
    stale = Q(status__in=(JobStatus.PENDING, JobStatus.RUNNING), status_since__lt=Job.stale_before())
    return Q(status=JobStatus.FAILED) | stale


def job_retry(*, job: Job) -> Job:
    """Run a failed (or stale) job again: the "Thử lại" button. Returns the job to show: this one,
    or the same job the user has started again since (its key is taken)."""
    try:
        with transaction.atomic():
            updated = Job.objects.filter(_retryable(), pk=job.pk).update(
                status=JobStatus.PENDING, status_since=timezone.now(), error="", done=0, finished_at=None
            )
            if updated:
                _enqueue(job.pk)
    except IntegrityError:
        return _unfinished(kind=job.kind, user=job.requested_by, key=job.key) or job
    return job


# --- the sweep ---------------------------------------------------------------------------------


def jobs_sweep(*, limit: int = 500) -> list[int]:
    """Re-queue jobs whose message was lost (pending too long) or whose worker died (running with
    no progress for too long), fail those that died ``MAX_ATTEMPTS`` times, and delete finished
    jobs and their files past the retention. Claimed by conditional UPDATEs as in
    ``core.documents.documents_sweep``: a concurrent sweep finds nothing left to take."""
    now = timezone.now()
    waiting = Q(status=JobStatus.PENDING, status_since__lt=now - timedelta(seconds=settings.JOB_PENDING_SECONDS))
    stuck = Q(status=JobStatus.RUNNING, status_since__lt=now - timedelta(seconds=settings.JOB_STALE_SECONDS))
    Job.objects.filter(stuck, attempts__gte=MAX_ATTEMPTS).update(
        status=JobStatus.FAILED,
        status_since=now,
        finished_at=now,
        error=_("Công việc bị gián đoạn %(n)s lần (máy chạy nền dừng giữa chừng); hãy thử lại sau.") % {"n": MAX_ATTEMPTS},
    )
    oldest = Job.objects.filter(waiting | stuck).order_by("status_since").values("pk")[:limit]
    sent = []
    if Job.objects.filter(waiting | stuck, pk__in=oldest).update(status=JobStatus.PENDING, status_since=now):
        claimed = Job.objects.filter(status=JobStatus.PENDING, status_since=now).values_list("pk", flat=True)
        sent = [pk for pk in claimed if _send(pk)]
        log.info("jobs sweep re-queued %s", sent)
    _delete_expired(now)
    return sent


def _delete_expired(now) -> int:
    """Finished jobs older than the retention go, files first (a file without its row is harmless)."""
    expired = Job.objects.filter(
        status__in=(JobStatus.DONE, JobStatus.FAILED), created_at__lt=now - timedelta(days=settings.JOB_RETENTION_DAYS)
    )
    for name in expired.exclude(file="").values_list("file", flat=True):
        private_storage.delete(name)
    deleted, _by_model = expired.delete()
    return deleted


# --- running -----------------------------------------------------------------------------------


def _claim(job_id: int) -> bool:
    """Take the job for this worker: pending, or left running by a worker that died."""
    takeable = Q(status=JobStatus.PENDING) | Q(status=JobStatus.RUNNING, status_since__lt=Job.stale_before())
    return bool(
        Job.objects.filter(takeable, pk=job_id).update(
            status=JobStatus.RUNNING, status_since=timezone.now(), attempts=F("attempts") + 1, error="", done=0
        )
    )


class _Progress:
    """The ``report(done, total)`` a kind's function receives: writes at most every
    ``PROGRESS_SECONDS``, and only while the row is still this attempt's."""

    def __init__(self, job: Job, *, enabled: bool = True):
        self.job = job
        self.enabled = enabled
        self.written_at = None

    def __call__(self, done: int, total: int | None = None) -> None:
        self.job.done, self.job.total = done, total if total is not None else self.job.total
        now = time.monotonic()
        if not self.enabled or (self.written_at is not None and now - self.written_at < PROGRESS_SECONDS):
            return
        self.written_at = now
        self._mine().update(done=self.job.done, total=self.job.total, status_since=timezone.now())

    def _mine(self):
        return Job.objects.filter(pk=self.job.pk, status=JobStatus.RUNNING, attempts=self.job.attempts)


def _user_message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


def _fail(job: Job, message: str) -> None:
    now = timezone.now()
    Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts).update(
        status=JobStatus.FAILED, status_since=now, finished_at=now, error=message[:2000]
    )


def _finish(job: Job, output: JobOutput) -> bool:
    """Store the output and mark the job done, unless another worker has taken it over."""
    current = Job.objects.select_for_update().get(pk=job.pk)
    if current.status != JobStatus.RUNNING or current.attempts != job.attempts:
        return False
    if output.content is not None:
        if current.file:
            current.file.delete(save=False)
        current.file.save(output.filename or f"job-{job.pk}", ContentFile(output.content), save=False)
        current.filename = output.filename
    current.result = output.result
    current.total = job.total if job.total is not None else job.done
    current.done = current.total
    current.status = JobStatus.DONE
    current.status_since = current.finished_at = timezone.now()
    current.error = ""
    current.save()
    return True


def _run_atomic(kind: JobKind, job: Job) -> None:
    """Work and "done" in one transaction: all or nothing. Progress would be invisible until the
    commit, so none is written; the page shows a moving bar."""
    with transaction.atomic():
        current = Job.objects.select_for_update().get(pk=job.pk)
        if current.status != JobStatus.RUNNING or current.attempts != job.attempts:
            return
        output = kind.run(job, _Progress(job, enabled=False))
        _finish(job, output)


def _run_streaming(kind: JobKind, job: Job) -> None:
    output = kind.run(job, _Progress(job))
    with transaction.atomic():
        _finish(job, output)


def job_run(*, job_id: int) -> Job:
    """Run one job. A job that is done, failed, or running in another live worker is left alone."""
    if not _claim(job_id):
        return Job.objects.get(pk=job_id)
    job = Job.objects.select_related("requested_by").get(pk=job_id)
    try:
        kind = get_kind(job.kind)
        with translation.override(settings.LANGUAGE_CODE):
            (_run_atomic if kind.atomic else _run_streaming)(kind, job)
    except (JobError, ValidationError) as exc:
        _fail(job, _user_message(exc))
    except Exception:
        log.exception("job %s (%s) failed", job_id, job.kind)
        with translation.override(settings.LANGUAGE_CODE):
            _fail(job, _("Đã xảy ra lỗi khi thực hiện công việc; chưa có gì được lưu. Hãy thử lại; nếu vẫn lỗi, hãy báo quản trị hệ thống."))
    job.refresh_from_db()
    return job
