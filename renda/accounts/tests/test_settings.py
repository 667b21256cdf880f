"""Production settings refuse to start without a real secret, and pass `check --deploy`."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT"}
    }
    clean.update(DJANGO_SETTINGS_MODULE="renda.settings.base", RENDA_VAR_DIR="/tmp/renda-settings")
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_refuses_to_start_without_a_secret_in_production():
    result = run_manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_it_refuses_a_development_secret_in_production():
    result = run_manage("check", DEBUG="0", SECRET_KEY="django-insecure-" + "x" * 60)
    assert result.returncode != 0
    assert "too weak" in result.stderr


def test_it_generates_a_development_secret_when_debugging():
    result = run_manage("check", DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert Path("/tmp/renda-settings/dev-secret-key").exists()


def test_it_passes_the_deploy_check():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="k3y-" + "A1b2C3d4E5" * 6,
        ALLOWED_HOSTS="renda.example.gov.cn",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_collects_static_files_for_production(tmp_path):
    # The manifest storage refuses a file that refers to a missing one (a source map, a font).
    result = run_manage(
        "collectstatic",
        "--noinput",
        DEBUG="0",
        SECRET_KEY="k3y-" + "A1b2C3d4E5" * 6,
        RENDA_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()
