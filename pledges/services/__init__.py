"""Writes and state transitions of pledges: draft → review → signing → signed, one function each.

Split by concept: ``drafting`` (text, criteria, attachments), ``review`` (comments),
``signing`` (freeze, sign, decline, reopen, amend).
"""

from pledges.services.drafting import (
    attachment_add,
    attachment_remove,
    criteria_save,
    pledge_create,
    version_update,
)
from pledges.services.review import comment_add, review_open
from pledges.services.signing import (
    pledge_amend,
    pledge_decline,
    pledge_sign,
    signing_deadline_set,
    signing_open,
    signing_reopen,
)

__all__ = [
    "attachment_add",
    "attachment_remove",
    "comment_add",
    "criteria_save",
    "pledge_amend",
    "pledge_create",
    "pledge_decline",
    "pledge_sign",
    "review_open",
    "signing_open",
    "signing_deadline_set",
    "signing_reopen",
    "version_update",
]
