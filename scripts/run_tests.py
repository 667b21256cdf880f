"""Run the whole suite on SQLite, then on PostgreSQL when one answers.

PostgreSQL is DATABASE_URL when set, else the local server at 127.0.0.1:5432.
RENDA_REQUIRE_POSTGRES=1 (set by .ci/run) turns a missing PostgreSQL into a failure.
Browser tests run whenever Chromium is installed (/usr/bin/chromium).
"""

import os
import shutil
import subprocess
import sys

LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"


def postgres_url() -> str | None:
    import psycopg

    url = os.environ.get("DATABASE_URL", "")
    candidate = url if url.startswith("postgres") else LOCAL_POSTGRES
    try:
        psycopg.connect(
            candidate.replace("postgres://", "postgresql://"), connect_timeout=3
        ).close()
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL at {candidate} does not answer: {exc}".strip())
        return None
    return candidate


def pytest(label: str, env: dict[str, str]) -> int:
    print(f"\n=== tests on {label} ===", flush=True)
    return subprocess.call([sys.executable, "-m", "pytest", *sys.argv[1:]], env=env)


def main() -> int:
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if not shutil.which("chromium") and not os.path.exists("/usr/bin/chromium"):
        print("Chromium is not installed: browser tests will be skipped.")
        base["RENDA_SKIP_BROWSER"] = "1"
    failed = pytest("SQLite", base)
    url = postgres_url()
    if url is None:
        if os.environ.get("RENDA_REQUIRE_POSTGRES") == "1":
            print("RENDA_REQUIRE_POSTGRES=1 but no PostgreSQL answers: failing.")
            return 1
        print("No PostgreSQL answers: the PostgreSQL run is skipped.")
        return failed
    failed |= pytest("PostgreSQL", {**base, "DATABASE_URL": url})
    return failed


if __name__ == "__main__":
    sys.exit(main())
