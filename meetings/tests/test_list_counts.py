"""The meetings list and the timeline count attendance of each meeting on its own (correlated counts, no grouping join)."""

from django.urls import reverse

from meetings import selectors
from meetings.models import MeetingKind

from .factories import local, record, schedule


def test_attendance_counts_per_meeting(world, client_for):
    full = schedule(world, kind=MeetingKind.OTHER, starts_at=local(2022, 3, 1))
    record(world, full)  # all 4 present
    partial = schedule(world, kind=MeetingKind.OTHER, starts_at=local(2022, 4, 1))
    record(world, partial, present=1)  # 1 present, 3 absent
    planned = schedule(world, kind=MeetingKind.OTHER, starts_at=local(2022, 5, 1))  # nothing recorded

    meetings = selectors.meeting_rows(selectors.meetings_for_user(user=world.board))
    assert {m.pk: (m.present_count, m.attendance_count) for m in meetings} == {full.pk: (4, 4), partial.pk: (1, 4), planned.pk: (0, 0)}
    assert meetings.count() == 3
    assert "GROUP BY" not in str(meetings.query)
    timeline = selectors.timeline(bloc_year=world.bloc_year)
    assert [(m.present_count, m.attendance_count) for m in timeline] == [(4, 4), (1, 4), (0, 0)]

    response = client_for(world.board).get(reverse("meetings:timeline", args=[world.bloc_year.pk]))
    assert response.status_code == 200
    assert "1/4" in response.content.decode()
