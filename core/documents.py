"""The one document service: every generated PDF (signed pledge, approved minutes…) goes here.

An app registers a *builder* for its kind of document::

    @document_builder("pledge")
    def build(source) -> DocumentContent: ...

and asks for a document with ``document_request(source=..., kind="pledge", title=...)``. The
Celery task ``render_document`` renders it with WeasyPrint in the administrative layout of
``templates/documents/base.html``, stores the file once, records its SHA-256 and marks it done;
``/verify/<code>/`` shows it to anyone.
"""

import atexit
import contextlib
import contextvars
import datetime
import functools
import logging
import mimetypes
import re
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Model, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerOperationalError

from core.hashing import sha256_of_bytes
from core.models import IssuedDocument, JobStatus

log = logging.getLogger(__name__)

# Unambiguous upper-case letters and digits: codes are read aloud and typed from paper.
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_PDF_BASE_URL = "https://portal.invalid/"

try:  # the Redis client raises its own errors on some paths kombu does not wrap
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover - Redis is the only broker we ship with
    RedisError = BrokerOperationalError
# What sending a task raises when the broker is unreachable.
BROKER_ERRORS = (BrokerOperationalError, RedisError, ConnectionError, TimeoutError)


@dataclass
class DocumentContent:
    """What a builder returns: the template and its context, plus the snapshot for /verify/."""

    template_name: str
    context: dict
    summary: dict = field(default_factory=dict)
    content_hash: str = ""


_BUILDERS = {}
_RULES = {}


def document_builder(kind: str, *, view_rule: str, manage_rule: str):
    """Register the builder of ``kind``; the rules (see blocs.access) apply to the source object:
    ``view_rule`` to see the document's status inside the portal, ``manage_rule`` to retry it."""

    def register(fn):
        _BUILDERS[kind] = fn
        _RULES[kind] = (view_rule, manage_rule)
        return fn

    return register


def issuer_parent(province: str) -> str:
    """The issuing body's parent line of a Decree 30 header: "UBND TỈNH NINH THUẬN" (printed in
    capitals by the layout); a province already named "Tỉnh …" or "Thành phố …" is not prefixed twice."""
    if not province:
        return ""
    if province.lower().startswith(("tỉnh", "thành phố")):
        return _("UBND %(province)s") % {"province": province}
    return _("UBND tỉnh %(province)s") % {"province": province}


def date_in_words(day: datetime.date) -> str:
    """A date written out as Decree 30/2020 prints it: "ngày 05 tháng 02 năm 2022", "ngày 17 tháng 6
    năm 2020", "ngày 28 tháng 12 năm 2021". Days 1-9 and the months 1 and 2 take a leading zero,
    nothing else does. The one place documents write a date in words."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return _("ngày %(day)s tháng %(month)s năm %(year)s") % {"day": f"{day.day:02d}", "month": month, "year": day.year}


def document_rules(kind: str) -> tuple[str, str]:
    return _RULES[kind]


def new_code() -> str:
    return "-".join("".join(secrets.choice(_CODE_ALPHABET) for _ in range(4)) for _ in range(3))


def verify_url(code: str) -> str:
    return f"{settings.SITE_URL}{reverse('verify', args=[code])}"


@functools.lru_cache(maxsize=64)
def qr_data_uri(text: str) -> str:
    """The QR code as a small black-and-white PNG (a few hundred bytes): decoded once per
    document and drawn on every page from one image, where an SVG path was laid out page by page."""
    import segno

    return segno.make(text, error="m").png_data_uri(scale=4, border=1)


def document_context(document: IssuedDocument, content: DocumentContent) -> dict:
    """The context every document template receives on top of the builder's own."""
    return {
        **content.context,
        "document": document,
        "document_code": document.code,
        "verify_url": verify_url(document.code),
        "qr_data_uri": qr_data_uri(verify_url(document.code)),
        "content_hash": content.content_hash,
        # Written into the PDF's metadata (dcterms.created) with the issuing bloc as its author.
        "issued_at": timezone.localtime().isoformat(timespec="seconds"),
    }


def document_html(document: IssuedDocument) -> str:
    """The document as HTML: the print preview, from the very template the PDF uses."""
    return document_html_for(document, document.source)


def document_html_for(document: IssuedDocument, source: Model) -> str:
    """``document`` (issued or a draft row) built from ``source``, as the HTML the PDF is made of."""
    content = _BUILDERS[document.kind](source)
    return render_to_string(content.template_name, document_context(document, content))


def preview_html(*, kind: str, source: Model, code: str = "XEM-TRUOC") -> str:
    """Preview a document that has not been issued yet (no code, nothing stored)."""
    content = _BUILDERS[kind](source)
    draft = IssuedDocument(code=code, kind=kind, title=content.summary.get("title", ""))
    context = document_context(draft, content)
    context["is_preview"] = True
    return render_to_string(content.template_name, context)


def _static_only_fetcher():
    """A URL fetcher that serves /static/ from the project's files and refuses everything else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    prefix = _PDF_BASE_URL.rstrip("/") + settings.STATIC_URL

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if not url.startswith(prefix):
                raise ValueError(f"refusing to fetch {url!r} while rendering a document")
            name = url[len(prefix) :].split("?")[0]
            # With DEBUG off, {% static %} names the hashed copy that collectstatic wrote to STATIC_ROOT.
            collected = (Path(settings.STATIC_ROOT) / name).resolve()
            try:
                found = finders.find(name)
            except SuspiciousFileOperation:  # a name climbing out of the static folders
                found = None
            path = found or (
                collected if collected.is_file() and collected.is_relative_to(Path(settings.STATIC_ROOT).resolve()) else None
            )
            if not path:
                raise ValueError(f"static file not found: {url!r}")
            mime, _encoding = mimetypes.guess_type(path)
            body = Path(path).read_bytes()
            return URLFetcherResponse(url, body=body, headers={"Content-Type": mime or "application/octet-stream"})

    return StaticOnlyFetcher()


# PDF/UA-1: a tagged PDF (structure tree, /MarkInfo, language, title shown in the window bar)
# with XMP metadata; the layout is the same as an untagged render. See docs in README.
PDF_VARIANT = "pdf/ua-1"


@functools.lru_cache(maxsize=1)
def _font_config():
    """One font configuration per process: the document fonts (@font-face) are registered with
    fontconfig once instead of at every render."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@functools.lru_cache(maxsize=1)
def _document_html_class():
    """WeasyPrint's HTML with a leaner user-agent stylesheet, built once per process.

    The stock sheet gives every element six pseudo-elements (``::marker``, ``::footnote-call``,
    ``::footnote-marker``, ``::note-call``, ``::note-marker``, ``::note-callback``), each styled
    and computed at every render: seven styles per element, most of the cascade's time on a long
    document. Documents use no footnotes or notes and only list items have markers, so those
    rules are dropped or narrowed to ``li``; the rest of the sheet is WeasyPrint's, unchanged."""
    from weasyprint import CSS, HTML
    from weasyprint.css.counters import CounterStyle
    from weasyprint.html import UA

    lines = [line for line in UA.splitlines() if not line.startswith(("::footnote-", "::note-"))]
    text = "\n".join(lines).replace("\n::marker {", "\nli::marker {")
    # The sheet's @counter-style rules are already in WeasyPrint's own counter styles, which
    # documents keep using; a fresh registry here only avoids warnings about redefining them.
    stylesheet = CSS(string=text, counter_style=CounterStyle())

    class DocumentHTML(HTML):
        def _ua_stylesheets(self, forms=False):
            return [stylesheet]

    return DocumentHTML


# The stylesheets a document template links (``<link rel="stylesheet" href="{% static ... %}">``).
_STYLESHEET_LINK = re.compile(r'<link rel="stylesheet" href="([^"]+)">')


@functools.lru_cache(maxsize=16)
def _parsed_stylesheet(url: str, text: str):
    """A document stylesheet parsed once per process (and again only if its text changes)
    instead of at every render, its @font-face fonts registered once with it."""
    from weasyprint import CSS

    return CSS(string=text, base_url=url, url_fetcher=_static_only_fetcher(), font_config=_font_config())


@atexit.register
def _release_render_caches():
    """Free the cached stylesheets, then the font configuration, while WeasyPrint's modules still
    exist: its clean-up (removing the temporary font folder) fails once they are torn down."""
    _parsed_stylesheet.cache_clear()
    _font_config.cache_clear()


def _stylesheet(href: str):
    url = urljoin(_PDF_BASE_URL, href)
    response = _static_only_fetcher().fetch(url)
    try:
        return _parsed_stylesheet(url, response.read().decode("utf-8"))
    finally:
        response.close()


def html_to_pdf(html: str) -> bytes:
    """The PDF of a document's HTML. The stylesheets it links are passed already parsed (in the
    order of the links, after any inline ``<style>``, which documents do not use), with the same
    rules and the same static-only fetcher as if WeasyPrint had followed the links."""
    hrefs = _STYLESHEET_LINK.findall(html)
    page = _document_html_class()(string=_STYLESHEET_LINK.sub("", html), base_url=_PDF_BASE_URL, url_fetcher=_static_only_fetcher())
    return page.write_pdf(stylesheets=[_stylesheet(href) for href in hrefs], font_config=_font_config(), pdf_variant=PDF_VARIANT)


def _send(document_id: int) -> bool:
    """Hand one render to the broker. Never raises: a broker that is down leaves the row pending,
    and the sweep (``documents_sweep``) sends it again once the broker is back."""
    from core.tasks import render_document

    try:
        render_document.delay(document_id)
    except BROKER_ERRORS as exc:
        log.warning("broker unavailable, document %s stays pending for the sweep: %s", document_id, exc)
        return False
    return True


# Renders a request asked for, sent once its response has gone out (see DeferredRendersMiddleware).
_deferred: contextvars.ContextVar[list | None] = contextvars.ContextVar("deferred_renders", default=None)


@contextlib.contextmanager
def deferred_renders():
    """While a request runs with no broker (Celery in-process), collect the renders it asks for
    instead of running them inside the request; yields the list of document ids to send later
    with ``send_deferred``. With a broker, sending is a quick message and nothing is deferred."""
    pending = []
    token = _deferred.set(pending)
    try:
        yield pending
    finally:
        _deferred.reset(token)


def send_deferred(document_ids: list[int]) -> None:
    """Run the renders collected by ``deferred_renders``: called after the response was sent
    (``HttpResponse.close()``), in Vietnamese whatever language the request used. A render that
    fails is recorded on its row (the page offers a retry); nothing here reaches the server."""
    for document_id in document_ids:
        try:
            with translation.override(settings.LANGUAGE_CODE):
                _send(document_id)
        except Exception:
            log.exception("deferred render of document %s failed", document_id)


def _send_or_defer(document_id: int) -> None:
    from core.tasks import render_document

    pending = _deferred.get()
    if pending is not None and render_document.app.conf.task_always_eager:
        pending.append(document_id)
    else:
        _send(document_id)


def _enqueue(document_id: int) -> None:
    transaction.on_commit(lambda: _send_or_defer(document_id))


@transaction.atomic
def document_request(*, source: Model, kind: str, title: str) -> IssuedDocument:
    """Get or create the document of ``source`` and have it rendered; safe to call twice."""
    source_type = ContentType.objects.get_for_model(source)
    existing = IssuedDocument.objects.filter(source_type=source_type, source_id=source.pk, kind=kind).first()
    if existing is not None:
        return existing
    for _attempt in range(5):
        try:
            with transaction.atomic():
                document = IssuedDocument.objects.create(
                    code=new_code(), kind=kind, title=title[:300], source_type=source_type, source_id=source.pk
                )
            break
        except IntegrityError:
            # Either the code collided (try another) or a concurrent request created it.
            existing = IssuedDocument.objects.filter(source_type=source_type, source_id=source.pk, kind=kind).first()
            if existing is not None:
                return existing
    else:  # pragma: no cover - five code collisions in a row
        raise RuntimeError("could not allocate a document code")
    _enqueue(document.pk)
    return document


def _retryable() -> Q:
    """Failed, or waiting/running for longer than the stale timeout (see IssuedDocument.may_retry)."""
    stale = Q(status__in=(JobStatus.PENDING, JobStatus.RUNNING), status_since__lt=IssuedDocument.stale_before())
    return Q(status=JobStatus.FAILED) | stale


def document_retry(*, document: IssuedDocument) -> bool:
    """Put a failed or stale render back in the queue (the retry button)."""
    updated = (
        IssuedDocument.objects.filter(_retryable(), pk=document.pk)
        .update(status=JobStatus.PENDING, status_since=timezone.now(), error="")
    )
    if updated:
        _enqueue(document.pk)
    return updated == 1


def documents_sweep(*, limit: int = 500) -> list[int]:
    """Re-queue renders whose message was lost (pending too long: the broker was down at the
    commit) or whose worker died (running past the stale timeout). The rows are claimed by one
    conditional UPDATE that stamps them with this sweep's time, so a concurrent sweep, which
    re-checks the conditions on the updated rows, finds nothing to take; the render's own claim
    keeps a duplicate message harmless. Two queries, however many rows. Returns the ids sent."""
    now = timezone.now()
    waiting = Q(status=JobStatus.PENDING, status_since__lt=now - timedelta(seconds=settings.DOCUMENT_PENDING_SECONDS))
    stuck = Q(status=JobStatus.RUNNING, status_since__lt=now - timedelta(seconds=settings.DOCUMENT_STALE_SECONDS))
    oldest = IssuedDocument.objects.filter(waiting | stuck).order_by("status_since").values("pk")[:limit]
    if not IssuedDocument.objects.filter(waiting | stuck, pk__in=oldest).update(status=JobStatus.PENDING, status_since=now):
        return []
    claimed = IssuedDocument.objects.filter(status=JobStatus.PENDING, status_since=now).values_list("pk", flat=True)
    sent = [pk for pk in claimed if _send(pk)]
    log.info("documents sweep re-queued %s", sent)
    return sent


def _claim(document_id: int) -> bool:
    """Take the row for this worker: waiting, failed (a task retry), or left running by a worker
    that died. A row another worker is rendering right now, or a done one, is left alone."""
    takeable = Q(status__in=(JobStatus.PENDING, JobStatus.FAILED)) | Q(
        status=JobStatus.RUNNING, status_since__lt=IssuedDocument.stale_before()
    )
    return bool(
        IssuedDocument.objects.filter(takeable, pk=document_id).update(
            status=JobStatus.RUNNING, status_since=timezone.now(), attempts=F("attempts") + 1, error=""
        )
    )


def document_render(*, document_id: int) -> IssuedDocument:
    """Render and store one document. Idempotent: a done document, or one another worker is
    rendering, is left as it is."""
    claimed = _claim(document_id)
    document = IssuedDocument.objects.get(pk=document_id)
    if not claimed:
        return document
    try:
        content = _BUILDERS[document.kind](document.source)
        pdf = html_to_pdf(render_to_string(content.template_name, document_context(document, content)))
    except Exception as exc:
        # Only our own attempt is marked failed: a worker that took the row over keeps it.
        IssuedDocument.objects.filter(pk=document_id, status=JobStatus.RUNNING, attempts=document.attempts).update(
            status=JobStatus.FAILED, status_since=timezone.now(), error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        raise
    with transaction.atomic():
        document = IssuedDocument.objects.select_for_update().get(pk=document_id)
        if document.status == JobStatus.DONE:  # a concurrent worker finished first
            return document
        name = f"{document.code}.pdf"
        if document.file:
            document.file.delete(save=False)
        document.file.save(name, ContentFile(pdf), save=False)
        document.sha256 = sha256_of_bytes(pdf)
        document.summary = content.summary
        document.content_hash = content.content_hash
        document.status = JobStatus.DONE
        document.rendered_at = document.status_since = timezone.now()
        document.error = ""
        document.save()
    return document
