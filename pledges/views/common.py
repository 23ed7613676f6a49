"""Helpers shared by the pledge views."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from core.access import get_object_for_user
from core.audit import client_ip
from pledges import selectors


def version_for(request, pk, change=None, queryset=None, also=()):
    """The version ``pk`` for this user (404 / 403); ``also``: rules the page asks, answered in the same query."""
    return get_object_for_user(
        request.user, queryset if queryset is not None else selectors.versions_queryset(),
        view="pledges.view", change=change, also=also, pk=pk,
    )


def field_errors_to_messages(request, form, field, *, blank_message):
    """A refused one-field form (comment, reason): the field's own errors, the friendlier
    ``blank_message`` when it was simply left empty."""
    errors = form.errors.as_data().get(field, [])
    if not errors or any(error.code == "required" for error in errors):
        messages.error(request, blank_message)
        return
    for error in errors:
        for message in error.messages:
            messages.error(request, message)


def errors_to_messages(request, error):
    for message in error.messages:
        messages.error(request, message)


def transition(request, pk, service, done_message, **extra):
    version = version_for(request, pk, change="pledges.edit")
    try:
        result = service(actor=request.user, ip=client_ip(request), version=version, **extra)
    except ValidationError as error:
        errors_to_messages(request, error)
        return redirect(version)
    messages.success(request, done_message)
    return redirect(result)
