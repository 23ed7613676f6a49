"""The news article of a meeting: saved by the secretary, published on the province's news page."""

from django.db import transaction
from django.utils import timezone

from blocs.models import User
from core.audit import audit_record
from meetings.models import Article, Meeting
from meetings.workflow import MEETING_FLOW


@transaction.atomic
def article_save(*, actor: User, ip: str | None = None, meeting: Meeting, title: str, lead: str = "", body: str, author: str = "") -> Article:
    """Create or update the article of a meeting whose minutes are approved (the state stays)."""
    meeting = MEETING_FLOW.lock(meeting)
    MEETING_FLOW.check(MEETING_FLOW["article_save"], meeting, actor)
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


def article_publish(*, actor: User, ip: str | None = None, meeting: Meeting) -> Article:
    """Put the article on the province's public news page."""
    published = {}

    def apply(row):
        article = Article.objects.get(meeting=row)  # the transition's guard: it exists
        article.is_published = True
        article.published_at = article.published_at or timezone.now()
        article.full_clean()
        article.save()
        published["article"] = article
        return {"article": article.pk}

    MEETING_FLOW.run("publish", obj=meeting, actor=actor, ip=ip, apply=apply)
    return published["article"]


def article_unpublish(*, actor: User, ip: str | None = None, meeting: Meeting) -> Article:
    """Take the article off the news page; the minutes stay approved."""
    unpublished = {}

    def apply(row):
        article = Article.objects.get(meeting=row)
        article.is_published = False
        article.save(update_fields=["is_published", "updated_at"])
        unpublished["article"] = article
        return {"article": article.pk}

    MEETING_FLOW.run("unpublish", obj=meeting, actor=actor, ip=ip, apply=apply)
    return unpublished["article"]
