"""A throwaway production stack on this machine: its own PostgreSQL database, its own Redis,
gunicorn, Celery worker and beat, each in its own process group with its log in a temp folder.

Used by ``scripts/prod_smoke.py`` (the smoke and fault tests CI runs) and ``bench/bench_load.py``
(the wrk load test of ``make bench``). Everything a :class:`Stack` starts it also ends, and
nothing else: its processes by their group id, its Redis, its database, its temp folder.
"""

import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent  # the venv's bin: gunicorn and celery live next to its python
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"


class StackError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check, seconds: float, what: str, interval: float = 0.25):
    """Call ``check()`` until it returns something truthy (returned) or ``seconds`` pass (StackError)."""
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise StackError(f"timed out after {seconds:g} s waiting for {what}")
        time.sleep(interval)


def _server_url(database_url: str | None) -> urllib.parse.SplitResult:
    url = urllib.parse.urlsplit(database_url or DEFAULT_SERVER)
    if not url.scheme.startswith("postgres"):
        raise StackError(f"needs PostgreSQL, DATABASE_URL is {url.scheme}://")
    return url


class Stack:
    """One production-like portal: ``DEBUG=false``, PostgreSQL database ``db_name`` (created empty
    on the server of ``database_url``, dropped at :meth:`close`), a temp MEDIA_ROOT, STATIC_ROOT
    and audit anchor file. ``extra_env`` adds or overrides settings (e.g. CELERY_BROKER_URL)."""

    def __init__(self, *, db_name: str, database_url: str | None = None, port: int | None = None, extra_env=None):
        self.server = _server_url(database_url)
        self.db_name = db_name
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.tmp = Path(tempfile.mkdtemp(prefix=f"{db_name}_"))
        self.logs = self.tmp / "logs"
        self.logs.mkdir()
        self.processes = {}  # name -> Popen, each the leader of its own process group
        self._db_created = False
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "emulation_portal.settings",
            "DATABASE_URL": self.server._replace(path=f"/{db_name}").geturl(),
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "AUDIT_KEY": secrets.token_urlsafe(32),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": self.base,
            "MEDIA_ROOT": str(self.tmp / "media"),
            "STATIC_ROOT": str(self.tmp / "static"),
            "AUDIT_ANCHOR_PATH": str(self.tmp / "audit-anchors.jsonl"),
            "EMAIL_URL": f"filemail://{self.tmp / 'mail'}",
            "CELERY_BROKER_URL": "",
            "PYTHONUNBUFFERED": "1",
            **(extra_env or {}),
        }

    # -- database ---------------------------------------------------------------------------

    def _admin_sql(self, sql: str):
        import psycopg2

        dsn = self.server._replace(path="/postgres").geturl()
        connection = psycopg2.connect(dsn, connect_timeout=10)
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(sql)
        finally:
            connection.close()

    def create_database(self):
        """A fresh, empty database (one left over by an interrupted run is dropped first)."""
        self.drop_database()
        self._admin_sql(f'CREATE DATABASE "{self.db_name}"')
        self._db_created = True

    def drop_database(self):
        self._admin_sql(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
        self._db_created = False

    def query(self, sql: str, params=()):
        """Rows of one read on the stack's database (state the HTTP pages do not show, e.g. attempts)."""
        import psycopg2

        connection = psycopg2.connect(self.env["DATABASE_URL"], connect_timeout=10)
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()
        finally:
            connection.close()

    # -- processes --------------------------------------------------------------------------

    def manage(self, *args: str, timeout: float = 300, env=None) -> str:
        """Run ``manage.py`` with the stack's settings; its output, or StackError with it."""
        try:
            result = subprocess.run(  # noqa: S603 (our own arguments, no shell)
                [sys.executable, "manage.py", *args], cwd=ROOT, env={**self.env, **(env or {})}, capture_output=True, text=True, timeout=timeout
            )
        except subprocess.TimeoutExpired as exc:
            raise StackError(f"manage.py {args[0]} took over {timeout:g} s") from exc
        if result.returncode != 0:
            raise StackError(f"manage.py {' '.join(args)} exited {result.returncode}:\n{result.stdout}{result.stderr}")
        return result.stdout + result.stderr

    def manage_in_background(self, *args: str) -> subprocess.Popen:
        """Start ``manage.py`` with the stack's settings; :meth:`finish` waits for it."""
        return self.start(f"manage-{args[0]}", [sys.executable, "manage.py", *args])

    def finish(self, process: subprocess.Popen, timeout: float = 300):
        name = next(n for n, p in self.processes.items() if p is process)
        try:
            status = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise StackError(f"{name} took over {timeout:g} s") from exc
        self.stop(name)
        if status != 0:
            raise StackError(f"{name} exited {status}: see {self.logs / (name + '.log')}")

    def start(self, name: str, argv: list[str], env=None) -> subprocess.Popen:
        """Start ``argv`` in its own process group, its output in ``logs/<name>.log``."""
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 (closed with the process, in stop())
        process = subprocess.Popen(  # noqa: S603 (our own arguments, no shell)
            argv, cwd=ROOT, env={**self.env, **(env or {})}, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        process.log = log
        self.processes[name] = process
        return process

    def stop(self, name: str, sig=signal.SIGTERM, timeout: float = 20):
        """Signal the whole group of ``name`` (SIGKILL: as a machine losing power would), wait for it."""
        process = self.processes.pop(name, None)
        if process is None:
            return
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait(timeout=10)
        if sig != signal.SIGKILL:
            # Children of a group leader that exited first (gunicorn/celery workers) end with it.
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        process.log.close()

    def start_redis(self, port: int, name: str = "redis"):
        """A private redis-server (no persistence) on ``port``; answers PING before returning."""
        binary = shutil.which("redis-server")
        if not binary:
            raise StackError("redis-server is not installed (Debian package redis-server)")
        process = self.start(name, [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"])

        def answers():
            if process.poll() is not None:
                raise StackError(f"redis-server exited with status {process.returncode}: see {self.logs / (name + '.log')}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    return sock.recv(16).startswith(b"+PONG")
            except OSError:
                return False

        wait_until(answers, 15, f"redis-server on port {port}")

    def start_gunicorn(self, workers: int = 2, access_log: bool = True):
        argv = [str(BIN / "gunicorn"), "emulation_portal.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{self.port}", "--timeout", "60"]
        process = self.start("gunicorn", argv + (["--access-logfile", "-"] if access_log else []))

        def up():
            if process.poll() is not None:
                raise StackError(f"gunicorn exited with status {process.returncode}: see {self.logs / 'gunicorn.log'}")
            try:
                return Browser(self.base).get("/healthz/").status in (200, 503)
            except OSError:
                return False

        wait_until(up, 60, f"gunicorn on {self.base}")

    def start_worker(self, name: str = "worker"):
        return self.start(
            name, [str(BIN / "celery"), "-A", "emulation_portal", "worker", "-l", "info", "-c", "1", "-n", f"{name}@%h",
                   "--without-gossip", "--without-mingle"],
        )

    def start_beat(self):
        schedule = self.tmp / "celerybeat-schedule"
        return self.start("beat", [str(BIN / "celery"), "-A", "emulation_portal", "beat", "-l", "info", "-s", str(schedule)])

    def log_tail(self, lines: int = 30) -> str:
        out = []
        for path in sorted(self.logs.glob("*.log")):
            text = path.read_text(errors="replace").splitlines()[-lines:]
            out += [f"--- {path}", *text]
        return "\n".join(out)

    def close(self, keep_tmp: bool = False):
        """End everything this stack started, newest first; drop its database and temp folder."""
        for name in reversed(list(self.processes)):
            self.stop(name)
        if self._db_created:
            self.drop_database()
        if not keep_tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)


class Response:
    def __init__(self, status: int, headers, body: bytes):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


class Browser:
    """What a browser does behind the site's TLS proxy, on plain HTTP to gunicorn: the proxy's
    ``X-Forwarded-Proto: https`` (the settings trust it), cookies kept per host, CSRF as a form
    post sends it (the form's hidden token, the cookie, Origin and Referer of the page)."""

    def __init__(self, base: str, timeout: float = 30):
        self.base = base
        self.origin = "https://" + urllib.parse.urlsplit(base).netloc
        self.timeout = timeout
        self.cookies = {}

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method: str, path: str, body: bytes | None = None, headers=None, forwarded: bool = True) -> Response:
        url = urllib.parse.urlsplit(self.base)
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=self.timeout)
        sent = {"Accept-Language": "vi", **(headers or {})}
        if forwarded:
            sent["X-Forwarded-Proto"] = "https"
        if self.cookies:
            sent["Cookie"] = self.cookie_header()
        try:
            connection.request(method, path, body=body, headers=sent)
            raw = connection.getresponse()
            response = Response(raw.status, raw.headers, raw.read())
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for key, morsel in jar.items():
                if morsel["max-age"] == "0" or (morsel["expires"] and "1970" in morsel["expires"]):
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = morsel.value
        return response

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def submit(self, page: str, fields: dict | None = None, action: str | None = None) -> Response:
        """GET ``page`` and post its form whose action is ``action`` (default: the page itself) as
        a browser would: every field with the value the page gives it (hidden ones, the CSRF token,
        selected options, ticked boxes), then ``fields`` on top. The answer as is (no redirect followed)."""
        form_page = self.get(page)
        if form_page.status != 200:
            raise StackError(f"GET {page} answered {form_page.status}")
        target = action or urllib.parse.urlsplit(page).path
        forms = _Forms(page)
        forms.feed(form_page.text)
        found = [values for form_action, values in forms.forms if form_action == target]
        if not found:
            raise StackError(f"no form posting to {target} on {page} (forms: {[a for a, _v in forms.forms]})")
        body = urllib.parse.urlencode({**found[0], **(fields or {})}).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Origin": self.origin, "Referer": self.origin + page}
        return self.request("POST", target, body=body, headers=headers)

    def login(self, username: str, password: str):
        response = self.submit("/accounts/login/", {"username": username, "password": password, "next": "/"})
        if response.status != 302:
            raise StackError(f"login of {username} answered {response.status}, not a redirect")
        return self


class _Forms(HTMLParser):
    """The forms of a page: (action path, {name: value} as the browser would post them untouched)."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = urllib.parse.urlsplit(page).path
        self.forms = []
        self._values = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._values = {}
            self.forms.append((urllib.parse.urlsplit(attrs.get("action") or self.page).path, self._values))
        elif self._values is None or "disabled" in attrs:
            return
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._values[attrs["name"]] = attrs.get("value", "on" if kind == "checkbox" else "")
        elif tag == "select":
            self._select = attrs.get("name")
        elif tag == "option" and self._select:
            if "selected" in attrs or self._select not in self._values:
                self._values[self._select] = attrs.get("value", "")
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = attrs["name"]
            self._values[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea and self._values is not None:
            self._values[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._values = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
