"""Reading pledges: the list, the detail page and its polled status, the print preview, the PDF."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from blocs.access import roles_of
from blocs.models import BlocYear
from core import documents
from core.access import can, get_object_for_user
from core.cleaning import clean_query, clean_query_int
from core.pagination import paginate
from pledges import selectors
from pledges.content import for_display, version_content
from pledges.forms import (
    CommentForm,
    ReopenForm,
    SigningDeadlineForm,
)
from pledges.models import PledgeState, PledgeVersion
from pledges.rules import signing_agency_id
from pledges.views.common import version_for
from pledges.workflow import PLEDGE_FLOW

PAGE_SIZE = 50


@login_required
@require_GET
def pledge_list(request):
    year = clean_query_int(request, "year", minimum=2000, maximum=2100)
    state = clean_query(request, "state")
    state = state if state in PledgeState.values else ""
    versions = selectors.pledge_list(user=request.user, year=year, state=state)
    page = paginate(versions, request.GET.get("page"), per_page=PAGE_SIZE, decorate=selectors.pledge_rows)
    return render(
        request,
        "pledges/list.html",
        {"page": page, "year": year, "state": state, "states": PledgeState.choices,
         "creatable": selectors.creatable_bloc_years(user=request.user)},
    )


@login_required
@require_GET
def pledge_of_bloc_year(request, bloc_year_pk):
    """The bloc-year's pledge (its latest version), or the page to start it."""
    bloc_year = get_object_for_user(
        request.user, BlocYear.objects.select_related("bloc"), view="blocs.view_blocyear", pk=bloc_year_pk
    )
    latest = PledgeVersion.objects.filter(pledge__bloc_year=bloc_year).order_by("-number").first()
    if latest is not None:
        return redirect(latest)
    if can(request.user, "pledges.create", bloc_year):
        return redirect("pledges:create", bloc_year_pk=bloc_year.pk)
    # Still "not found" (404), but a member of the bloc is told why instead of a bare error page.
    return render(request, "pledges/none_yet.html", {"bloc_year": bloc_year}, status=404)


# The rules the detail page asks (buttons, the edit panel): answered with the version itself.
PAGE_RULES = ("pledges.edit", "pledges.comment", "pledges.sign")


def _status_context(user, version):
    """What the polled part of the page shows: the signing board and the PDF."""
    document = selectors.document_of(version)
    return {
        "version": version,
        "board": selectors.signing_board(version),
        "document": document,
        "show_board": version.state in (PledgeState.SIGNING, PledgeState.SIGNED),
        # Polled while signatures may arrive and while the PDF is being made.
        "polling": version.state == PledgeState.SIGNING
        or (document is not None and document.is_in_progress),
        "may_edit": can(user, "pledges.edit", version),
        "my_agency_id": signing_agency_id(roles_of(user), version.pledge.bloc_year),
    }


def _detail_context(request, version):
    user = request.user
    roles = roles_of(user)
    bloc_year = version.pledge.bloc_year
    criteria = list(version.criteria.all())
    context = _status_context(user, version)
    context.update({
        "bloc_year": bloc_year,
        "content": for_display(version.frozen_content or version_content(version, criteria=criteria)),
        "criteria": criteria,
        "versions": selectors.other_versions(version),
        "threads": selectors.comment_threads(version),
        "actions": PLEDGE_FLOW.actions(version, user),
        "comment_form": CommentForm(criteria=criteria),
        "reopen_form": ReopenForm(),
        "deadline_form": SigningDeadlineForm(initial={"signing_deadline": version.signing_deadline}),
        "history": selectors.history(version) if context["may_edit"] or roles.reads_province(bloc_year.bloc.province_id) else None,
    })
    return context


@login_required
@require_GET
def pledge_detail(request, pk):
    version = version_for(request, pk, queryset=selectors.version_detail_queryset(), also=PAGE_RULES)
    return render(request, "pledges/detail.html", _detail_context(request, version))


@login_required
@require_GET
def pledge_status(request, pk):
    """The live part of the detail page (signing board and PDF status), polled by htmx."""
    version = version_for(request, pk, queryset=selectors.versions_for_status(), also=("pledges.edit",))
    return render(request, "pledges/detail.html#status", _status_context(request.user, version))


@login_required
@require_GET
def pledge_preview(request, pk):
    """The document as HTML, from the template the PDF uses: the issued one once signed, else a preview."""
    version = version_for(request, pk)
    document = selectors.document_of(version)
    if document is not None:
        return HttpResponse(documents.document_html(document))
    return HttpResponse(documents.preview_html(kind="pledge", source=version))


@login_required
@require_GET
def pledge_pdf(request, pk):
    version = version_for(request, pk)
    document = selectors.document_of(version)
    if document is None or not document.is_ready:
        raise Http404
    return FileResponse(document.file.open("rb"), content_type="application/pdf", filename=f"{document.code}.pdf")
