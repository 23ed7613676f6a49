from celery import shared_task

from core.documents import document_render


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=5)
def render_document(self, document_id):
    """Render one issued document. Idempotent: rendering twice keeps one stored file."""
    try:
        document_render(document_id=document_id)
    except Exception as exc:
        if self.request.is_eager:
            # In-process mode: the failure is recorded on the row; the page offers a retry.
            return
        raise self.retry(exc=exc, countdown=min(600, 10 * 2**self.request.retries)) from exc
