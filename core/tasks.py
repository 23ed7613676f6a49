import logging

from celery import shared_task

from core.audit import audit_anchor_write
from core.documents import document_render, documents_sweep
from core.jobs import job_run, jobs_sweep

# Below the broker's visibility timeout (settings): a countdown longer than it would have Redis
# hand the waiting message to a second worker.
_MAX_RETRY_DELAY = 300


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=5)
def render_document(self, document_id):
    """Render one issued document. Idempotent: rendering twice keeps one stored file."""
    try:
        document_render(document_id=document_id)
    except Exception as exc:
        if self.request.is_eager:
            # In-process mode: the failure is recorded on the row; the page offers a retry.
            return
        raise self.retry(exc=exc, countdown=min(_MAX_RETRY_DELAY, 10 * 2**self.request.retries)) from exc


@shared_task(ignore_result=True)
def sweep_documents():
    """Re-queue renders and jobs lost with the broker or a killed worker, and delete expired job
    files (run by beat and at worker start). Returns the documents re-queued."""
    try:
        jobs_sweep()
    except Exception:  # the documents' sweep must run whatever happens to the jobs'
        logging.getLogger(__name__).exception("jobs sweep failed")
    return documents_sweep()


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def run_job(job_id):
    """Run one job (core.jobs). No automatic retry: a failure is recorded on the row with its
    message and the page offers "Thử lại"; a lost or killed run is taken back by the sweep."""
    job_run(job_id=job_id)


@shared_task(name="core.audit_anchor")
def audit_anchor():
    """Write the audit chain's newest hash and count outside the database (beat, every few minutes)."""
    return audit_anchor_write()


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=False, max_retries=None, ignore_result=True)
def send_reminder(self, reminder_id):
    """Send one reminder's mail (core.reminders). A failure is recorded on the row and retried with
    backoff until REMINDER_MAX_ATTEMPTS; a second message for the same row sends nothing."""
    from django.conf import settings

    from core.reminders import reminder_deliver

    outcome = reminder_deliver(reminder_id=reminder_id)
    if outcome == "retry" and not self.request.is_eager:
        # In-process mode the row stays pending and the next sweep sends it again.
        delay = min(_MAX_RETRY_DELAY, settings.REMINDER_RETRY_SECONDS * 2**self.request.retries)
        raise self.retry(countdown=delay)
    return outcome


@shared_task(ignore_result=True)
def sweep_reminders():
    """Create and send the reminders that have come due (beat, every REMINDER_SWEEP_SECONDS)."""
    from core.reminders import reminders_sweep

    return reminders_sweep().created
