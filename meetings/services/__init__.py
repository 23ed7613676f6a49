"""Writes of the meetings app: each function is keyword-only, one transaction, audited."""

from meetings.services.articles import article_publish, article_save, article_unpublish
from meetings.services.minutes import minutes_approve, minutes_record, minutes_reopen, minutes_return, minutes_submit
from meetings.services.scheduling import meeting_cancel, meeting_schedule, meeting_update

__all__ = [
    "article_publish",
    "article_save",
    "article_unpublish",
    "meeting_cancel",
    "meeting_schedule",
    "meeting_update",
    "minutes_approve",
    "minutes_record",
    "minutes_reopen",
    "minutes_return",
    "minutes_submit",
]
