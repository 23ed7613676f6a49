"""Celery app. With no CELERY_BROKER_URL the tasks run in-process (eager), see settings."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emulation_portal.settings")

app = Celery("emulation_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
