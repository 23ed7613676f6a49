from celery import shared_task

from core.audit import audit_anchor_write
from core.documents import document_render, documents_sweep

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
    """Re-queue renders lost with the broker or a killed worker (run by beat and at worker start)."""
    return documents_sweep()


@shared_task(name="core.audit_anchor")
def audit_anchor():
    """Write the audit chain's newest hash and count outside the database (beat, every few minutes)."""
    return audit_anchor_write()
