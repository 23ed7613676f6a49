"""Generated input (hypothesis) posted to the portal's forms, as the role that may use each one:
never a server error, and the audit chain still holds (nothing half-written around it).

Each form's field names are read from its own page (or listed for the POST-only ones), then
filled with hostile values: NUL and control characters, zero-width and right-to-left marks,
huge and negative numbers, very long text, forged ids, formset counts out of range.
"""

import re
from types import SimpleNamespace

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blocs.access import forget_roles
from blocs.models import Role, RoleAssignment
from core.audit import audit_verify_chain
from emulation_portal.testing import make_bloc_year
from meetings.tests.factories import local, record, schedule
from pledges.tests.helpers import make_draft, make_signing

NAMES = re.compile(r'name="([^"]+)"')
SKIP = {"csrfmiddlewaretoken", "next", "language"}

HOSTILE_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", " ", "\x00", "a\x00b", "\u200b\u200b", "\u202eevil", "=1+1", "<script>x</script>", "x" * 30_000]),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(["2999-13-45", "31/02/2022", "1e309", "NaN", "-1", "0", "99999999999999999999", "1.5"]),
)


def _fields(client, url):
    page = client.get(url)
    assert page.status_code == 200, url
    return sorted({name for name in NAMES.findall(page.content.decode()) if name not in SKIP})


def _targets(world):
    """(role, url, field names or None to read them from the page): every form of the portal."""
    draft = make_draft(world)
    # The signing pledge lives in the next year's bloc-year (one pledge per bloc-year).
    next_year = make_bloc_year(world.province, world.agencies, year=2023, head=world.agencies[0])
    RoleAssignment.objects.create(user=world.secretary, role=Role.SECRETARY, bloc_year=next_year)
    forget_roles(world.secretary)
    signing = make_signing(SimpleNamespace(**{**vars(world), "bloc_year": next_year}))
    meeting = schedule(world, starts_at=local(2022, 3, 1))
    held = schedule(world, starts_at=local(2022, 4, 1))
    record(world, held)
    return [
        ("board", reverse("blocs:agency_create"), None),
        ("board", reverse("blocs:agency_edit", args=[world.agencies[3].pk]), None),
        ("board", reverse("blocs:bloc_create"), None),
        ("board", reverse("blocs:blocyear_create", args=[world.bloc.pk]), None),
        ("board", reverse("blocs:blocyear_edit", args=[world.bloc_year.pk]), None),
        ("secretary", reverse("pledges:edit", args=[draft.pk]), None),
        ("secretary", reverse("pledges:signing_reopen", args=[signing.pk]), ["reason"]),
        ("leader", reverse("pledges:sign", args=[signing.pk]), None),
        ("leader", reverse("pledges:decline", args=[signing.pk]), ["reason"]),
        ("secretary", reverse("meetings:create", args=[world.bloc_year.pk]), None),
        ("secretary", reverse("meetings:edit", args=[meeting.pk]), None),
        ("secretary", reverse("meetings:minutes", args=[held.pk]), None),
        ("secretary", reverse("meetings:return", args=[held.pk]), ["reason"]),
        (None, reverse("verify_lookup"), ["code"]),
    ]


@pytest.mark.django_db
def test_generated_input_never_breaks_a_form(world, client_for):
    clients = {}
    targets = []
    for role, url, names in _targets(world):
        client = clients.setdefault(role, client_for(getattr(world, role) if role else None))
        targets.append((client, url, names if names is not None else _fields(client, url)))

    @settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(data=st.data())
    def post_everywhere(data):
        for client, url, names in targets:
            payload = {name: data.draw(HOSTILE_TEXT, label=f"{url} {name}") for name in names}
            response = client.post(url, payload)
            assert response.status_code < 500, (url, payload)

    post_everywhere()
    assert audit_verify_chain() is None
