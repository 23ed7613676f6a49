import logging
import re

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import documents
from core.access import can, require
from core.cleaning import clean_search
from core.hashing import sha256_of_file
from core.home import panels_for
from core.models import IssuedDocument, JobStatus

log = logging.getLogger(__name__)


def safe_next(request, default):
    """The ``next`` address from the form when it stays on this site, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@login_required
@require_GET
def home(request):
    return render(request, "home.html", {"panels": panels_for(request)})


def _database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True, connection.vendor
    except Exception as exc:  # report, never raise: this is the health check
        # The page is public: the error's text (host, port, user) goes to the log only.
        log.exception("health check: database unreachable")
        return False, type(exc).__name__


def _broker_ok():
    url = settings.CELERY_BROKER_URL
    if not url:
        return True, "in-process"
    try:
        from emulation_portal.celery import app

        with app.connection_for_write(url) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True, url.split("://", 1)[0]
    except Exception as exc:  # report, never raise: this is the health check
        log.exception("health check: broker unreachable")
        return False, type(exc).__name__


@require_GET
def healthz(request):
    db_ok, db_detail = _database_ok()
    broker_ok, broker_detail = _broker_ok()
    ok = db_ok and broker_ok
    return JsonResponse(
        {
            "status": "ok" if ok else "error",
            "database": {"ok": db_ok, "detail": db_detail},
            "broker": {"ok": broker_ok, "detail": broker_detail},
        },
        status=200 if ok else 503,
    )


class VerifyUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp PDF cần kiểm tra"))


_CODE_SHAPE = re.compile(r"^[A-Z0-9-]{1,40}$")


@require_GET
def verify_lookup(request):
    code = "".join(request.GET.get("code", "").split()).upper()
    error = None
    if code:
        # Anything else (a "/" typed by hand, say) cannot be a code and would not even make a URL.
        if _CODE_SHAPE.match(code):
            return redirect("verify", code=code)
        error = _("Mã văn bản chỉ gồm chữ cái, chữ số và dấu gạch ngang, ví dụ ABCD-EFGH-JKLM.")
    return render(request, "verify/lookup.html", {"error": error, "code": code})


def _body_too_large(request):
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > settings.UPLOAD_MAX_BYTES + 64 * 1024  # the file plus the form around it


def _issued_document(code):
    """The finished document with this code, or None; a code of the wrong shape (a NUL byte,
    say, which PostgreSQL refuses outright) is not looked up at all."""
    code = code.upper()
    if not _CODE_SHAPE.match(code):
        return None
    return IssuedDocument.objects.filter(code=code, status=JobStatus.DONE).first()


@require_http_methods(["GET", "POST"])
def verify(request, code):
    document = _issued_document(code)
    if document is None:
        # Still a 404, but whoever checks a paper copy learns what the answer means.
        shown = clean_search(code.upper(), max_length=40)
        error = _(
            "Không tìm thấy văn bản đã phát hành có mã %(code)s. Vui lòng kiểm tra lại mã in ở chân văn bản; "
            "nếu mã đúng, văn bản đó không do Cổng thi đua khối phát hành."
        ) % {"code": shown}
        return render(request, "verify/lookup.html", {"error": error, "code": shown}, status=404)
    if request.method == "POST" and _body_too_large(request):
        # Anyone may post here: refuse before Django spools the upload to disk.
        messages.error(request, _("Tệp quá lớn để đối chiếu (tối đa %(mb)s MB).") % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)})
        return render(request, "verify/detail.html", {"document": document, "form": VerifyUploadForm(), "result": None}, status=413)
    form = VerifyUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = sha256_of_file(form.cleaned_data["file"]) == document.sha256
    return render(request, "verify/detail.html", {"document": document, "form": form, "result": result})


@require_GET
def verify_download(request, code):
    """The issued file itself, for anyone holding its code (as printed on the paper copy)."""
    document = _issued_document(code)
    if document is None:
        raise Http404
    return FileResponse(document.file.open("rb"), content_type="application/pdf", filename=f"{document.code}.pdf")


@login_required
@require_POST
def document_retry(request, code):
    document = get_object_or_404(IssuedDocument, code=code.upper())
    view_rule, manage_rule = documents.document_rules(document.kind)
    if not can(request.user, view_rule, document.source):
        raise Http404
    require(request.user, manage_rule, document.source)
    if document.may_retry and documents.document_retry(document=document):
        messages.success(request, _("Đã đưa văn bản vào hàng đợi để tạo lại."))
    else:
        messages.info(request, _("Văn bản đã tạo xong hoặc đang được tạo, không cần tạo lại."))
    return redirect(safe_next(request, "home"))


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request):
    items = request.user.notifications.all()
    if request.method == "POST":
        items.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("notifications")
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    return render(request, "notifications.html", {"page": page})
