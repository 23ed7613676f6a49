"""Pledge pages. Each view reads input, asks blocs.access, calls one service or selector, renders."""

from pledges.views.drafting import (
    attachment_download,
    comment_add,
    pledge_create,
    pledge_edit,
    review_open,
)
from pledges.views.pages import pledge_detail, pledge_list, pledge_of_bloc_year, pledge_pdf, pledge_preview, pledge_status
from pledges.views.signing import pledge_amend, pledge_decline, pledge_sign, signing_deadline, signing_open, signing_reopen

__all__ = [
    "attachment_download",
    "comment_add",
    "pledge_amend",
    "pledge_create",
    "pledge_decline",
    "pledge_detail",
    "pledge_edit",
    "pledge_list",
    "pledge_of_bloc_year",
    "pledge_pdf",
    "pledge_preview",
    "pledge_sign",
    "pledge_status",
    "review_open",
    "signing_open",
    "signing_deadline",
    "signing_reopen",
]
