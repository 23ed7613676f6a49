"""`make run` loads the demo every time: the second load must change nothing."""

from io import StringIO

from django.apps import apps
from django.core.management import call_command

from blocs import demo_data

PORTAL_APPS = {"blocs", "pledges", "meetings", "awards", "emulation_portal"}


def _counts():
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label in PORTAL_APPS
    }


def test_load_demo_twice_changes_nothing_and_prints_the_logins(db):
    out = StringIO()
    call_command("load_demo", stdout=out)
    first = _counts()
    assert first["blocs.BlocYear"] >= 7 and first["blocs.Agency"] >= 25
    for username, *_ in demo_data.DEMO_USERS:
        assert username in out.getvalue()
    assert demo_data.DEMO_PASSWORD in out.getvalue()

    call_command("load_demo", stdout=StringIO())
    assert _counts() == first
