"""Celery app. With no CELERY_BROKER_URL the tasks run in-process (eager), see settings."""

import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emulation_portal.settings")

app = Celery("emulation_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def _sweep_documents_at_start(sender, **kwargs):
    """A worker that starts (e.g. replacing one killed mid-render) takes back lost renders and jobs at once,
    without waiting for beat's next sweep."""
    sender.app.send_task("core.tasks.sweep_documents")
