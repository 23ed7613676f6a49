import os

import pytest

# Playwright runs an event loop in the test thread; the ORM calls in those tests are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Login lock-out has its own test; elsewhere it would only get in the way of Client.login().
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """The default PBKDF2 costs about half a second per user; tests create dozens of users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    from emulation_portal.testing import build_world

    return build_world()


@pytest.fixture
def client_for(client):
    """``client_for(user)``: a test client logged in as ``user`` (or anonymous for None)."""
    from django.test import Client

    def make(user):
        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return make


@pytest.fixture(autouse=True)
def _celery_in_process():
    """Tests run tasks in-process unless they ask for the real broker (see the ``broker`` marker)."""
    from emulation_portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A Vietnamese browser in Vietnam's time zone: dates show as dd/mm/yyyy."""
    return {**browser_context_args, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}


@pytest.fixture
def celery_worker_app(transactional_db, settings):
    """A real Celery worker on the configured broker (Redis), for the ``broker`` tests."""
    if not settings.CELERY_BROKER_URL:
        pytest.skip("needs CELERY_BROKER_URL (Redis) for a real worker")
    from celery.contrib.testing.worker import start_worker

    from emulation_portal.celery import app

    app.conf.task_always_eager = False
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=10):
        yield app
