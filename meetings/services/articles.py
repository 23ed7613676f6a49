"""The news article of a meeting: saved by the secretary, published on the province's news page."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from meetings.models import Article, Meeting, MeetingState


def _locked_meeting(meeting):
    return Meeting.objects.select_for_update().select_related("bloc_year__bloc__province").get(pk=meeting.pk)


@transaction.atomic
def article_save(*, actor, ip=None, meeting, title, lead="", body, author=""):
    """Create or update the article of a meeting whose minutes are approved."""
    meeting = _locked_meeting(meeting)
    if not meeting.is_locked:
        raise ValidationError(_("Chỉ viết tin về hội nghị khi biên bản đã được duyệt."))
    article = Article.objects.filter(meeting=meeting).first()
    creating = article is None
    if creating:
        article = Article(meeting=meeting, province=meeting.bloc_year.bloc.province)
    article.title = title.strip()
    article.lead = lead.strip()
    article.body = body.strip()
    article.author = author.strip()
    article.full_clean()
    article.save()
    audit_record(actor=actor, ip=ip, action="article.create" if creating else "article.update", obj=article, data={"title": article.title})
    return article


@transaction.atomic
def article_publish(*, actor, ip=None, meeting):
    """Put the article on the province's public news page."""
    meeting = _locked_meeting(meeting)
    article = Article.objects.filter(meeting=meeting).first()
    if article is None:
        raise ValidationError(_("Hãy soạn và lưu tin bài trước khi đăng."))
    if meeting.state != MeetingState.APPROVED:
        if meeting.state == MeetingState.PUBLISHED:
            raise ValidationError(_("Tin bài đã được đăng."))
        raise ValidationError(_("Chỉ đăng tin khi biên bản đã được duyệt."))
    article.is_published = True
    article.published_at = article.published_at or timezone.now()
    article.full_clean()
    article.save()
    meeting.state = MeetingState.PUBLISHED
    meeting.save()
    audit_record(actor=actor, ip=ip, action="meeting.publish", obj=meeting, data={"from": MeetingState.APPROVED, "to": MeetingState.PUBLISHED, "article": article.pk})
    return article


@transaction.atomic
def article_unpublish(*, actor, ip=None, meeting):
    """Take the article off the news page; the minutes stay approved."""
    meeting = _locked_meeting(meeting)
    if meeting.state != MeetingState.PUBLISHED:
        raise ValidationError(_("Tin bài chưa được đăng."))
    article = Article.objects.get(meeting=meeting)
    article.is_published = False
    article.save(update_fields=["is_published", "updated_at"])
    meeting.state = MeetingState.APPROVED
    meeting.save()
    audit_record(actor=actor, ip=ip, action="meeting.unpublish", obj=meeting, data={"from": MeetingState.PUBLISHED, "to": MeetingState.APPROVED, "article": article.pk})
    return article
