"""Settings of the gunicorn that ``bench_pages`` runs for its wrk pass: production settings
(DEBUG false) on the bench's throwaway database, plus a bare view to compare against."""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)

from emulation_portal.settings import *  # noqa: E402,F403
from emulation_portal.settings import DATABASES, STORAGES  # noqa: E402

ROOT_URLCONF = "bench.urls"
DATABASES["default"]["NAME"] = os.environ["BENCH_DB_NAME"]
# Plain HTTP on 127.0.0.1: no redirect to https, and cookies sent without TLS.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
# No collectstatic in a bench: the manifest storage would refuse every {% static %}.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
