"""Load test: wrk with 50 connections against gunicorn, as production runs it.

A throwaway portal (``scripts/prod/stack.py``, the stack the production smoke test uses):
PostgreSQL database ``bench_load_<pid>`` on the server of DATABASE_URL with the demo data,
``collectstatic``, ``DEBUG=false``, gunicorn with sync workers. wrk then loads each page in turn
(public: ``/healthz/``, the province's news, a document's verify page; logged in with a session
cookie: the board's home page and agency list, the secretary's signed pledge) and the report gives
requests/s next to ``/healthz/`` (the floor of a Django request: one query) and the errors:
non-2xx/3xx answers and socket errors (connect, read, write, timeout). The target is 0 errors.

Settings (environment):
  BENCH_LOAD_SECONDS  length of each wrk run (default 60; 0 skips the load test)
  BENCH_LOAD_WORKERS  gunicorn workers (default 2 per CPU + 1)
Needs PostgreSQL (DATABASE_URL) and wrk (``bash scripts/system-deps.sh bench``); skipped otherwise.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.prod.stack import Browser, Stack, StackError  # noqa: E402

CONNECTIONS = 50
PASSWORD = "demo12345"  # the demo accounts


def _wrk(url: str, seconds: int, cookie: str = "", connections: int = CONNECTIONS) -> dict:
    headers = ["-H", "X-Forwarded-Proto: https"]  # as the TLS proxy in front of gunicorn sends it
    if cookie:
        headers += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(  # noqa: S603 (our own arguments, no shell)
        [shutil.which("wrk"), "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency", *headers, url],
        capture_output=True, text=True, check=True, timeout=seconds + 60,
    ).stdout

    def latency_ms(percent):
        found = re.search(rf"\b{percent}%\s+([\d.]+)(us|ms|s)\b", out)
        return float(found.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[found.group(2)] if found else float("nan")

    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {
        "rate": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "p50": latency_ms(50),
        "p99": latency_ms(99),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket": [int(n) for n in socket_errors.groups()] if socket_errors else [0, 0, 0, 0],
        "output": out,
    }


def _drain(stack: Stack):
    """Wait until gunicorn has answered what wrk left queued when it stopped (connections it
    closed, requests still in the workers' backlog), so the next page is measured on its own."""
    browser = Browser(stack.base, timeout=300)
    for _ in range(2):
        browser.get("/healthz/")


def _targets(stack: Stack) -> list[tuple[str, str, str]]:
    """(label, path, cookie) of each page; each answers 200 once before it is loaded."""
    code = stack.query("SELECT code FROM emulation_portal_issueddocument WHERE status = 'done' ORDER BY id LIMIT 1")[0][0]
    version = stack.query(
        "SELECT source_id FROM emulation_portal_issueddocument WHERE status = 'done' AND kind = 'pledge' ORDER BY id LIMIT 1"
    )[0][0]
    board = Browser(stack.base).login("bantdkt", PASSWORD)
    secretary = Browser(stack.base).login("thuky", PASSWORD)
    targets = [
        ("/healthz/", "/healthz/", None),
        ("news of a province", "/news/ninh-thuan/", None),
        ("verify page", f"/verify/{code}/", None),
        ("board: home", "/", board),
        ("board: agencies", "/agencies/", board),
        ("secretary: pledge", f"/pledges/{version}/", secretary),
    ]
    checked = []
    for label, path, browser in targets:
        answer = (browser or Browser(stack.base)).get(path)
        if answer.status != 200:
            raise StackError(f"{path} answers {answer.status} before the load, not 200")
        checked.append((label, path, browser.cookie_header() if browser else ""))
    return checked


def run():
    seconds = int(os.environ.get("BENCH_LOAD_SECONDS", "60") or 60)
    database_url = os.environ.get("DATABASE_URL", "")
    if seconds <= 0:
        return ["skipped: BENCH_LOAD_SECONDS=0"]
    if not database_url.startswith("postgres"):
        return ["skipped: the load test runs on PostgreSQL, as production does; set DATABASE_URL=postgres://…"]
    if not shutil.which("wrk"):
        return ["skipped: needs wrk (bash scripts/system-deps.sh bench)"]
    workers = int(os.environ.get("BENCH_LOAD_WORKERS", "") or 2 * (os.cpu_count() or 1) + 1)
    stack = Stack(db_name=f"bench_load_{os.getpid()}", database_url=database_url)
    try:
        stack.create_database()
        collecting = stack.manage_in_background("collectstatic", "--noinput", "-v", "0")
        stack.manage("migrate", "--noinput", "-v", "0")
        stack.manage("load_demo")
        stack.finish(collecting)
        stack.start_gunicorn(workers=workers, access_log=False)
        targets = _targets(stack)
        results = []
        for label, path, cookie in targets:
            _wrk(stack.base + path, 1, cookie, connections=workers)  # warm-up: every worker connects, loads its templates
            _drain(stack)
            results.append((label, path, _wrk(stack.base + path, seconds, cookie)))
            _drain(stack)
    except (StackError, OSError, subprocess.SubprocessError, AttributeError) as exc:
        return [f"load test failed: {exc}", *stack.log_tail(20).splitlines()]
    finally:
        stack.close()
    floor = results[0][2]["rate"] or 1.0
    lines = [
        f"gunicorn {workers} sync workers, DEBUG false, PostgreSQL, demo data; wrk -t2 -c{CONNECTIONS} -d{seconds}s per page",
        f"{'page':<20} {'path':<24} {'req/s':>7} {'of healthz':>10} {'p50 ms':>7} {'p99 ms':>7} {'errors':>7}",
    ]
    total_errors = 0
    for label, path, r in results:
        errors = r["non_2xx"] + sum(r["socket"])
        total_errors += errors
        detail = f"  ({r['non_2xx']} non-2xx/3xx, socket connect/read/write/timeout {'/'.join(map(str, r['socket']))})" if errors else ""
        lines.append(
            f"{label:<20} {path[:24]:<24} {r['rate']:7.0f} {r['rate'] / floor:10.0%} {r['p50']:7.1f} {r['p99']:7.1f} {errors:7d}{detail}"
        )
        if not r["requests"]:
            lines += [f"    {line}" for line in r["output"].splitlines()]
    requests = sum(r["requests"] for _l, _p, r in results)
    lines.append(f"errors: {total_errors} of {requests} requests (target 0): {'ok' if total_errors == 0 else 'ERRORS'}")
    return lines
