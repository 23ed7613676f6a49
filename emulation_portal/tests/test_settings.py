"""Production settings: `check --deploy` is clean with production values; bad values fail loudly."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "False",
    "SECRET_KEY": "k3y-for-the-deploy-check-only-9f8e7d6c5b4a3210-zyxwvutsrqponmlkjihgfedcba",
    "ALLOWED_HOSTS": "thidua.example.gov.vn",
    "CSRF_TRUSTED_ORIGINS": "https://thidua.example.gov.vn",
    "SITE_URL": "https://thidua.example.gov.vn",
}
# Variables of the surrounding shell (and of conftest.py) that would change the outcome.
CLEARED = ["DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "EMAIL_URL", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_PRELOAD"]


def manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in CLEARED and not k.startswith("PYTEST")}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=120, check=False
    )


def test_check_deploy_is_clean_with_production_values(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG must be one of true/false/1/0/yes/no, got 'maybe'"),
        ({**PRODUCTION, "SECRET_KEY": ""}, "SECRET_KEY must be set when DEBUG is false"),
        ({"CONN_MAX_AGE": "soon", "DATABASE_URL": "postgres://u@127.0.0.1:1/x"}, "CONN_MAX_AGE must be an integer"),
        ({"EMAIL_URL": "nonsense"}, "EMAIL_URL is not a valid email URL"),
        ({"EMAIL_USE_TLS": "perhaps"}, "EMAIL_USE_TLS must be one of"),
    ],
)
def test_bad_values_fail_loudly(env, message):
    result = manage("check", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr
