"""Production settings refuse to start without their secrets, and pass Django's deployment check."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
GOOD_ENV = {
    "SECRET_KEY": "x" * 60 + "-production-test-key-with-enough-entropy-1234567890",
    "ALLOWED_HOSTS": "tracker.example.org",
    "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/postgres",
}


def _manage(*args, env):
    # DJANGO_ALLOW_ASYNC_UNSAFE is set for the browser tests; a deployment never has it.
    full_env = {k: v for k, v in os.environ.items() if k not in GOOD_ENV and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    full_env.update(env, DJANGO_SETTINGS_MODULE="config.settings.production")
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=full_env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in GOOD_ENV.items() if k != missing}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert f"The environment variable {missing} must be set." in result.stderr


def test_production_check_deploy_reports_nothing():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=GOOD_ENV)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
