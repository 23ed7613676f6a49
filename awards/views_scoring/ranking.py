"""The score table and the ranking: publish, objections and answers, freeze, reopen, .xlsx, PDF."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from awards.models import Objection, RankingRecord, RoundState, ScoringRound
from awards.scoring import ranking
from awards.scoring.export import score_table_workbook, xlsx_filename
from awards.scoring.table import score_table as build_table
from core.access import get_object_for_user
from core.audit import client_ip
from core.forms import PortalForm
from core.models import AuditEntry


class ObjectionForm(PortalForm):
    submit_label = gettext_lazy("Gửi góp ý")
    text = forms.CharField(label=gettext_lazy("Góp ý về kết quả dự kiến"), max_length=ranking.OBJECTION_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(PortalForm):
    submit_label = gettext_lazy("Trả lời")
    answer = forms.CharField(label=gettext_lazy("Trả lời góp ý"), max_length=ranking.OBJECTION_MAX_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(PortalForm):
    submit_label = gettext_lazy("Mở lại để sửa")
    reason = forms.CharField(label=gettext_lazy("Lý do mở lại (ghi vào lịch sử, gửi tới các đơn vị)"),
                             max_length=ranking.REASON_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))


def _round_for(request, pk, change=None):
    queryset = ScoringRound.objects.select_related("bloc_year__bloc__province", "pledge_version", "rule_set")
    return get_object_for_user(request.user, queryset, view="awards.view_round", change=change,
                               also=("awards.run_round", "awards.object"), pk=pk)


def _history(scoring):
    actions = ["scoring.publish", "scoring.freeze", "scoring.reopen"]
    return list(
        AuditEntry.objects.filter(object_type="awards.scoringround", object_id=str(scoring.pk), action__in=actions)
        .order_by("-id").only("created_at", "actor_name", "action", "data")[:20]
    )


def _page(request, scoring, *, status=200, objection_form=None, answer_forms=None, reopen_form=None):
    table = build_table(scoring, request.user)
    panel = ranking.ranking_panel(scoring, request.user)
    objections = []
    if scoring.state != RoundState.OPEN or panel["ranking_objections"]:
        objections = list(Objection.objects.filter(round=scoring).select_related("agency", "author"))
    answer_forms = answer_forms or {}
    for objection in objections:
        objection.form = answer_forms.get(objection.pk) or AnswerForm(prefix=f"a{objection.pk}")
    record = None
    if scoring.state == RoundState.FROZEN:
        record = RankingRecord.objects.filter(round=scoring).order_by("-number").first()
    context = {
        "scoring": scoring,
        "bloc_year": scoring.bloc_year,
        "table": table,
        "chart": table.chart_data(),
        "objections": objections,
        "objection_form": objection_form or ObjectionForm(),
        "reopen_form": reopen_form or ReopenForm(),
        "missing": ranking.missing_for_publication(scoring) if panel["ranking_actions"].allowed.get("publish") else [],
        "history": _history(scoring),
        "record": record,
        **panel,
    }
    return render(request, "awards/scoring/score_table.html", context, status=status)


@login_required
@require_GET
def score_table(request, pk):
    return _page(request, _round_for(request, pk))


@login_required
@require_GET
def score_table_xlsx(request, pk):
    scoring = _round_for(request, pk)
    table = build_table(scoring, request.user)
    response = HttpResponse(score_table_workbook(table), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{xlsx_filename(scoring)}"'
    return response


@login_required
@require_GET
def score_table_pdf(request, pk):
    """The frozen score table's PDF: the verify page of the latest issued document."""
    from awards.scoring.documents import document_of

    scoring = _round_for(request, pk)
    record = RankingRecord.objects.filter(round=scoring).order_by("-number").first()
    document = document_of(record) if record is not None and scoring.state == RoundState.FROZEN else None
    if document is None:
        raise Http404
    return redirect(reverse("verify", args=[document.code]))


def _run(request, service, done, **kwargs):
    try:
        service(actor=request.user, ip=client_ip(request), **kwargs)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    messages.success(request, done)
    return True


@login_required
@require_POST
def ranking_publish(request, pk):
    scoring = _round_for(request, pk, change="awards.run_round")
    _run(request, ranking.ranking_publish, _("Đã công bố kết quả dự kiến; các đơn vị thành viên được thông báo."), scoring=scoring)
    return redirect("awards:score_table", scoring.pk)


@login_required
@require_POST
def ranking_freeze(request, pk):
    scoring = _round_for(request, pk, change="awards.run_round")
    _run(request, ranking.ranking_freeze, _("Đã chốt kết quả; bảng tổng hợp (PDF) đang được phát hành."), scoring=scoring)
    return redirect("awards:score_table", scoring.pk)


@login_required
@require_POST
def ranking_reopen(request, pk):
    scoring = _round_for(request, pk, change="awards.run_round")
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            ranking.ranking_reopen(actor=request.user, ip=client_ip(request), scoring=scoring, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, _("Đã mở lại đợt chấm điểm; kết quả đã công bố được lưu trong lịch sử."))
            return redirect("awards:score_table", scoring.pk)
    return _page(request, scoring, status=400, reopen_form=form)


@login_required
@require_POST
def objection_add(request, pk):
    scoring = _round_for(request, pk, change="awards.object")
    form = ObjectionForm(request.POST)
    if form.is_valid():
        try:
            ranking.objection_add(actor=request.user, ip=client_ip(request), scoring=scoring, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, _("Đã gửi góp ý; thư ký khối sẽ trả lời."))
            return redirect("awards:score_table", scoring.pk)
    return _page(request, scoring, status=400, objection_form=form)


@login_required
@require_POST
def objection_answer(request, pk):
    queryset = Objection.objects.select_related("round__bloc_year__bloc__province", "round__pledge_version", "round__rule_set")
    objection = get_object_for_user(request.user, queryset, view="awards.view_round", via="round", pk=pk)
    scoring = _round_for(request, objection.round_id, change="awards.run_round")
    form = AnswerForm(request.POST, prefix=f"a{objection.pk}")
    if form.is_valid():
        try:
            ranking.objection_answer(actor=request.user, ip=client_ip(request), objection=objection, answer=form.cleaned_data["answer"])
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, _("Đã trả lời góp ý."))
            return redirect("awards:score_table", scoring.pk)
    return _page(request, scoring, status=400, answer_forms={objection.pk: form})

