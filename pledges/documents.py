"""The signed-pledge PDF: its builder in the shared document service (one document per version)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from core.documents import DocumentContent, document_builder, issuer_parent
from pledges.content import for_display, version_content


def _signature_rows(version, members):
    """One cell per member agency, in the bloc's order, with its live signature (or None)."""
    signatures = {s.agency_id: s for s in version.signatures.all() if s.voided_at is None}
    return [{"agency": m.agency, "signature": signatures.get(m.agency_id)} for m in members]


def signature_groups(rows, per_row=2):
    """The signature block as unbreakable groups of printed rows of ``per_row`` cells.

    Each group is kept on one page by the layout: the first carries the heading, and a lone
    last cell (an odd number of members) joins the row before it, so no page ever holds a
    single signature, nor the heading without signatures under it."""
    printed = [rows[i : i + per_row] for i in range(0, len(rows), per_row)]
    groups = [[row] for row in printed]
    if len(groups) > 1 and len(printed[-1]) < per_row:
        groups[-2].extend(groups.pop())
    return groups


def signer_summary(signature, agency):
    signed_at = timezone.localtime(signature.signed_at)
    return {
        "agency": agency.name,
        "name": signature.signer_name,
        "title": signature.signer_title,
        "on_behalf": signature.on_behalf_label,
        "original": f"{signature.original_title} {signature.original_name}".strip(),
        "signed_at": signed_at.strftime("%d/%m/%Y %H:%M"),
    }


@document_builder("pledge", view_rule="pledges.view", manage_rule="pledges.edit")
def build(version):
    from pledges.selectors import version_for_document

    version = version_for_document(version.pk)
    bloc_year = version.pledge.bloc_year
    # The head of the bloc signs first, then its deputy, then the others by name.
    rank = {bloc_year.head_id: 0, bloc_year.deputy_id: 1}
    members = sorted(bloc_year.memberships.all(), key=lambda m: (rank.get(m.agency_id, 2), m.agency.name))
    content = version.frozen_content or version_content(version)
    shown = for_display(content)
    rows = _signature_rows(version, members)
    province = bloc_year.bloc.province.name
    signers = [signer_summary(row["signature"], row["agency"]) for row in rows if row["signature"]]
    return DocumentContent(
        template_name="pledges/document.html",
        context={
            "version": version,
            "pledge_content": shown,
            "rows": rows,
            "signature_groups": signature_groups(rows),
            "issuer_parent": issuer_parent(province),
            "issuer_name": bloc_year.bloc.name,
            "bloc_year": bloc_year,
        },
        summary={
            "title": shown["title"],
            "number": shown["doc_number"],
            "bloc": bloc_year.bloc.name,
            "year": bloc_year.year,
            "province": province,
            "version": version.number,
            "signers": signers,
            "lines": [_("Phiên bản %(n)s; %(count)s tiêu chí thi đua.") % {"n": version.number, "count": len(shown["criteria"])}],
        },
        content_hash=version.content_hash,
    )

