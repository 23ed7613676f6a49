#!/usr/bin/env python
"""Production smoke and fault tests on a real stack (CI runs this after ``make test``).

    .venv/bin/python scripts/prod_smoke.py        # DATABASE_URL's server, else postgres@127.0.0.1

It builds a throwaway production portal (``scripts/prod/stack.py``): database
``emulation_portal_prod_smoke`` with the demo data, its own redis-server on a free port (DB 14),
``DEBUG=false`` after ``collectstatic``, gunicorn with 2 workers, a Celery worker and beat. The
HTTP client is a browser behind the site's TLS proxy (``X-Forwarded-Proto: https``), so the
production settings stay as they are (HTTPS redirect, HSTS, secure cookies); ``check --deploy``
runs with the same environment plus the public https SITE_URL and host a deployment has. Then:

  A. every member's leader signs a pledge over HTTP; its PDF is made by the worker and verifies;
  B. Redis is stopped before the last signature: the signer sees success, the PDF waits; once
     Redis is back the sweep (beat) has it made, exactly once;
  C. the worker is SIGKILLed while it renders: a new worker and the sweep make the PDF.

Every step has a deadline; the script prints PASS/FAIL lines, exits 1 on a failure (keeping the
logs and printing where) and ends, drops and deletes only what it started.
"""

import hashlib
import json
import os
import re
import signal
import sys
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.prod.stack import Browser, Stack, StackError, free_port, wait_until  # noqa: E402

DB_NAME = "emulation_portal_prod_smoke"
PASSWORD = "demo12345"  # noqa: S105 (the demo accounts)
PDF_DEADLINE = float(os.environ.get("PROD_SMOKE_PDF_SECONDS", 90))
# Small timeouts so the faults heal within seconds: the sweep runs every 2 s, re-queues a PDF
# still pending after 3 s or rendering for 10 s; Redis gives a killed worker's message back after 30 s.
FAST_SWEEP = {
    "DOCUMENT_PENDING_SECONDS": "3",
    "DOCUMENT_STALE_SECONDS": "10",
    "DOCUMENT_SWEEP_SECONDS": "2",
    "CELERY_VISIBILITY_TIMEOUT": "30",
}

# What only differs in a real deployment: the public address (printed in every PDF's QR code;
# the checks refuse 127.0.0.1) and its host name. check --deploy runs with these, the stack
# itself answers on 127.0.0.1.
PUBLIC = {"SITE_URL": "https://thidua.example.gov.vn", "ALLOWED_HOSTS": "thidua.example.gov.vn"}


class Failed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failed(message)


@contextmanager
def step(name):
    start = time.monotonic()
    try:
        yield
    except (Failed, StackError, OSError) as exc:
        print(f"FAIL  {name}: {exc}", flush=True)
        raise
    except (KeyboardInterrupt, SystemExit):
        print(f"FAIL  {name}: interrupted", flush=True)
        raise
    print(f"PASS  {name} ({time.monotonic() - start:.1f} s)", flush=True)


def document_row(stack, version):
    rows = stack.query(
        "SELECT code, status, attempts, sha256 FROM emulation_portal_issueddocument WHERE kind = 'pledge' AND source_id = %s",
        (version,),
    )
    return dict(zip(("code", "status", "attempts", "sha256"), rows[0], strict=True)) if rows else None


def files_of(stack, code):
    return sorted((stack.tmp / "media").rglob(f"{code}*"))


def sign(stack, version, leader):
    """The leader logs in, opens the signing page, ticks the confirmation and signs."""
    browser = Browser(stack.base).login(leader, PASSWORD)
    answer = browser.submit(f"/pledges/{version}/sign/", {"confirm": "on"})
    check(answer.status == 302 and answer.location.rstrip("/").endswith(f"/pledges/{version}"),
          f"{leader}'s signature answered {answer.status} {answer.location!r}, not the redirect to the pledge")
    page = browser.get(answer.location)
    check(page.status == 200, f"the pledge page after {leader}'s signature answered {page.status}")
    return page


def wait_for_pdf(stack, version, seconds=PDF_DEADLINE):
    """The PDF's bytes, fetched at /verify/<code>/pdf/ as anyone would, once the worker made it."""
    row = wait_until(lambda: document_row(stack, version), 10, f"the document row of pledge version {version}")
    public = Browser(stack.base)

    def ready():
        answer = public.get(f"/verify/{row['code']}/pdf/")
        return answer.body if answer.status == 200 else None

    pdf = wait_until(ready, seconds, f"the PDF of {row['code']}", interval=0.5)
    check(pdf.startswith(b"%PDF-"), f"/verify/{row['code']}/pdf/ does not answer a PDF")
    page = public.get(f"/verify/{row['code']}/")
    digest = hashlib.sha256(pdf).hexdigest()
    check(page.status == 200 and digest in page.text, f"/verify/{row['code']}/ does not show the file's SHA-256 {digest}")
    row = document_row(stack, version)
    check(row["status"] == "done" and row["sha256"] == digest, f"document row {row} does not match the served file")
    return row


def prepare(stack):
    """Three pledges of the demo's province: A in review, B and C open with one signature left."""
    out = stack.manage("shell", "-c", "from scripts.prod.prepare import main; main()", env={
        "PROD_SMOKE_PREPARE": json.dumps({"count": 3, "signed_but": [None, 1, 1]})
    })
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def basics(stack):
    browser = Browser(stack.base)
    health = browser.get("/healthz/")
    body = json.loads(health.body)
    check(health.status == 200 and body["status"] == "ok" and body["broker"]["detail"] == "redis",
          f"/healthz/ answered {health.status} {body}")
    plain = browser.get("/accounts/login/", forwarded=False)
    check(plain.status == 301 and plain.location.startswith("https://"), f"plain HTTP answered {plain.status}, not the HTTPS redirect")
    login = browser.get("/accounts/login/")
    check(login.status == 200 and "Strict-Transport-Security" in login.headers, f"the login page answered {login.status} (or no HSTS)")
    css = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', login.text)
    check(css, "no hashed stylesheet (collectstatic's manifest) on the login page")
    static = browser.get(css.group(1))
    check(static.status == 200 and len(static.body) > 100 and "max-age" in static.headers.get("Cache-Control", ""),
          f"{css.group(1)} answered {static.status} (WhiteNoise should serve it, cached for long)")
    for path in ("/no-such-page/", "/verify/ABCD-EFGH-JKLM/", "/pledges/999999/"):
        missing = browser.get(path)
        check(missing.status in (302, 404), f"{path} answered {missing.status}, not 404")
    check(browser.get("/no-such-page/").status == 404, "an unknown page is not a 404")


def scenario_a(stack, pledge):
    version = pledge["version"]
    secretary = Browser(stack.base).login(pledge["secretary"], PASSWORD)
    opened = secretary.submit(f"/pledges/{version}/", action=f"/pledges/{version}/open-signing/")
    check(opened.status == 302, f"opening the signing answered {opened.status}")
    for leader in pledge["leaders"]:
        sign(stack, version, leader)
    row = wait_for_pdf(stack, version)
    check(row["attempts"] == 1 and len(files_of(stack, row["code"])) == 1, f"{row}, files {files_of(stack, row['code'])}")


def scenario_b(stack, pledge, redis_port):
    version, (leader,) = pledge["version"], pledge["leaders"]
    stack.stop("redis")
    health = Browser(stack.base).get("/healthz/")
    check(health.status == 503, f"/healthz/ answered {health.status} with Redis down, not 503")
    page = sign(stack, version, leader)
    check("alert-success" in page.text, "the signer is not shown a success message")
    row = document_row(stack, version)
    check(row and row["status"] == "pending" and row["attempts"] == 0, f"with Redis down the document is {row}, not pending")
    stack.start_redis(redis_port)
    row = wait_for_pdf(stack, version)
    check(row["attempts"] == 1 and len(files_of(stack, row["code"])) == 1, f"rendered more than once: {row}, {files_of(stack, row['code'])}")


def scenario_c(stack, pledge):
    version, (leader,) = pledge["version"], pledge["leaders"]
    sign(stack, version, leader)
    wait_until(lambda: (document_row(stack, version) or {}).get("status") == "running", 60, "the worker to start the render",
               interval=0.02)
    stack.stop("worker", signal.SIGKILL)
    row = document_row(stack, version)
    check(row["status"] == "running", f"the render finished before the kill, nothing was tested: {row}")
    stack.start_worker("worker2")
    row = wait_for_pdf(stack, version)
    check(row["attempts"] == 2 and len(files_of(stack, row["code"])) == 1,
          f"expected one killed and one good render, one file: {row}, {files_of(stack, row['code'])}")


def logs_clean(stack):
    worker_logs = "".join(p.read_text(errors="replace") for p in stack.logs.glob("worker*.log"))
    missing = sorted(set(re.findall(r"Failed to load [^\n]*", worker_logs)))
    check(not missing, f"the PDFs were rendered without some of their files: {missing[:3]}")
    access = (stack.logs / "gunicorn.log").read_text(errors="replace")
    errors = [line for line in access.splitlines() if re.search(r'" 5\d\d ', line) and "/healthz/" not in line]
    check(not errors, f"server errors answered: {errors[:3]}")


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # CI stopping us still cleans up
    redis_port = free_port()
    env = {"CELERY_BROKER_URL": f"redis://127.0.0.1:{redis_port}/14", **FAST_SWEEP}
    stack = Stack(db_name=DB_NAME, database_url=os.environ.get("DATABASE_URL"), extra_env=env)
    ok = False
    started = time.monotonic()
    try:
        with step("check --deploy: the stack's settings with a public https SITE_URL and host"):
            out = stack.manage("check", "--deploy", "--fail-level", "WARNING", timeout=60, env=PUBLIC)
            check("no issues" in out, out)
        with step("database, migrate, collectstatic, demo data"):
            stack.start_redis(redis_port)
            stack.create_database()
            collecting = stack.manage_in_background("collectstatic", "--noinput", "-v", "0")
            stack.manage("migrate", "--noinput", "-v", "0")
            stack.manage("load_demo", timeout=300)
            pledges = prepare(stack)
            check(len(pledges) == 3, f"prepared {pledges}")
            stack.finish(collecting)
        with step("gunicorn -w 2, Celery worker and beat"):
            stack.start_gunicorn(workers=2)
            stack.start_worker()
            stack.start_beat()
        with step("healthz, HTTPS redirect, static files by WhiteNoise, 404 pages"):
            basics(stack)
        with step(f"A: {len(pledges[0]['leaders'])} leaders sign over HTTP, the PDF is made and verifies"):
            scenario_a(stack, pledges[0])
        with step("B: Redis down at the last signature: success shown, PDF made once after Redis is back"):
            scenario_b(stack, pledges[1], redis_port)
        with step("C: worker SIGKILLed mid-render: a new worker makes the PDF"):
            scenario_c(stack, pledges[2])
        with step("no 5xx answered, every PDF rendered with its stylesheets and fonts; audit chain holds"):
            logs_clean(stack)
            stack.manage("audit_verify", timeout=60)
        ok = True
    except (Failed, StackError, OSError, KeyboardInterrupt, SystemExit):
        print(stack.log_tail(), file=sys.stderr)
        print(f"logs kept in {stack.logs}", file=sys.stderr)
    finally:
        stack.close(keep_tmp=not ok)
    print(f"{'PASS' if ok else 'FAIL'}  production smoke test ({time.monotonic() - started:.0f} s)", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
