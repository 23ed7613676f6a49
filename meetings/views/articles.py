"""The news article of a meeting (secretary) and the public news pages of a province."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from blocs.models import Province
from core.access import get_object_for_user
from core.audit import client_ip
from core.pagination import paginate
from meetings import selectors, services
from meetings.drafting import draft_article
from meetings.forms import ArticleForm
from meetings.models import Article, MeetingState
from meetings.views.minutes import _act
from meetings.workflow import MEETING_FLOW

NEWS_PAGE_SIZE = 10


@login_required
@require_http_methods(["GET", "POST"])
def article_edit(request, pk):
    meeting = get_object_for_user(request.user, selectors.meeting_detail_queryset(), view="meetings.view", change="meetings.edit", pk=pk)
    if not meeting.is_locked:
        messages.error(request, _("Chỉ viết tin về hội nghị khi biên bản đã được duyệt."))
        return redirect(meeting)
    article = Article.objects.filter(meeting=meeting).first()
    if article is not None:
        initial = {"title": article.title, "lead": article.lead, "body": article.body, "author": article.author}
    else:
        initial = draft_article(meeting)
    form = ArticleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.article_save(actor=request.user, ip=client_ip(request), meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, _("Đã lưu tin bài."))
            return redirect(meeting)
    return render(request, "meetings/article_form.html", {"form": form, "meeting": meeting, "article": article, "is_draft": article is None})


@login_required
@require_http_methods(["GET", "POST"])
def article_publish(request, pk):
    """GET: the public page as it will read, with a "Xuất bản" button; POST: publish (sent twice, published once)."""
    meeting = get_object_for_user(request.user, selectors.meetings_queryset(), view="meetings.view", change="meetings.edit", pk=pk)
    if meeting.state == MeetingState.PUBLISHED:
        if request.method == "POST":
            messages.info(request, _("Tin bài đã được đăng."))
        return redirect(meeting)
    if request.method == "POST":
        return _act(request, meeting, services.article_publish, _("Đã đăng tin lên trang tin của tỉnh."))
    if not MEETING_FLOW.actions(meeting, request.user).publish:
        messages.error(request, _("Chỉ đăng tin khi biên bản đã được duyệt và tin bài đã được lưu."))
        return redirect(meeting)
    article = Article.objects.select_related("meeting__bloc_year__bloc").get(meeting=meeting)
    return render(request, "meetings/article_publish.html", {"meeting": meeting, "article": article, "photos": meeting.photos.all()})


@login_required
@require_POST
def article_unpublish(request, pk):
    meeting = get_object_for_user(request.user, selectors.meetings_queryset(), view="meetings.view", change="meetings.edit", pk=pk)
    return _act(request, meeting, services.article_unpublish, _("Đã gỡ tin khỏi trang tin."))


@require_GET
def news_index(request):
    provinces = Province.objects.filter(pk__in=Article.objects.filter(is_published=True).values("province_id")).order_by("name")
    return render(request, "meetings/news_index.html", {"provinces": provinces})


@require_GET
def news_list(request, province_code):
    province = get_object_or_404(Province, code=province_code)
    page = paginate(selectors.news_list(province=province), request.GET.get("page"), per_page=NEWS_PAGE_SIZE, decorate=selectors.news_rows)
    return render(request, "meetings/news_list.html", {"province": province, "page": page})


@require_GET
def news_detail(request, province_code, pk):
    province = get_object_or_404(Province, code=province_code)
    article = selectors.news_article(province=province, pk=pk)
    if article is None:
        raise Http404
    return render(request, "meetings/news_detail.html", {"province": province, "article": article, "photos": article.meeting.photos.all()})
