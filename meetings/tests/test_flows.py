"""The secretary's meeting work (issue 9): returned minutes, cancel, the pre-filled forms, the
chair's account list, the article draft, the publish preview."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from blocs.models import Role
from core.audit import audit_for
from emulation_portal.testing import make_agency, make_bloc_year, make_user
from meetings import selectors, services
from meetings.drafting import draft_article, report_date
from meetings.models import Article, Meeting, MeetingState

from .factories import approved, local, record, schedule

READERS = ["board", "central", "secretary", "leader", "officer", "head_leader"]
OUTSIDERS = ["nonmember", "outsider", "stranger"]
EDITORS = ["board", "secretary"]


def user_of(world, who):
    return world.leaders[0] if who == "head_leader" else getattr(world, who)


def status_for(who, allowed):
    return 200 if who in allowed else 404 if who in OUTSIDERS else 403


def submitted(world, **kwargs):
    meeting = schedule(world, **kwargs)
    record(world, meeting)
    return services.minutes_submit(actor=world.secretary, meeting=meeting)


# --- returned minutes ------------------------------------------------------------------


def test_returned_minutes_show_the_reason_at_the_top_of_the_form(world, client_for):
    meeting = submitted(world)
    world.leaders[0].full_name = "Hồ Minh Khoa"
    world.leaders[0].save()
    services.minutes_return(actor=world.leaders[0], meeting=meeting, reason="Bổ sung khách mời của Sở Nội vụ")
    page = client_for(world.secretary).get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()
    alert = re.search(r'<div class="alert alert-warning" id="returned-reason".*?</div>', page, re.S).group(0)
    assert "Hồ Minh Khoa" in alert and "Bổ sung khách mời của Sở Nội vụ" in alert
    assert page.index('id="returned-reason"') < page.index('id="minutes-form"')  # at the top
    # Once submitted again, the return is answered: no alert, and none for the home page either.
    services.minutes_submit(actor=world.secretary, meeting=meeting)
    meeting.refresh_from_db()
    assert selectors.return_reason(meeting=meeting) is None


def test_never_returned_minutes_have_no_alert(world, client_for):
    meeting = schedule(world)
    record(world, meeting)
    page = client_for(world.secretary).get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()
    assert 'id="returned-reason"' not in page


def test_return_reasons_for_many_meetings_in_one_query(world, django_assert_num_queries):
    returned = submitted(world, starts_at=local(2022, 6, 10))
    services.minutes_return(actor=world.leaders[0], meeting=returned, reason="Thiếu số biên bản")
    other = submitted(world, starts_at=local(2022, 6, 11))
    plain = schedule(world, starts_at=local(2022, 6, 12))
    record(world, plain)
    meetings = list(Meeting.objects.filter(pk__in=[returned.pk, other.pk, plain.pk]))
    with django_assert_num_queries(1):
        reasons = selectors.return_reasons(meetings=meetings)
    assert set(reasons) == {returned.pk}
    assert reasons[returned.pk].data["reason"] == "Thiếu số biên bản"
    assert reasons[returned.pk].actor_name == world.leaders[0].get_full_name()


def test_history_has_no_space_before_the_colon(world, client_for):
    meeting = submitted(world)
    services.minutes_return(actor=world.leaders[0], meeting=meeting, reason="Sửa kết luận")
    page = client_for(world.secretary).get(meeting.get_absolute_url()).content.decode()
    assert "<strong>Trả lại biên bản</strong>: <em>Sửa kết luận</em>" in page
    assert not re.search(r"Trả lại biên bản\s+:", re.sub(r"<[^>]+>", "", page))


# --- cancel ----------------------------------------------------------------------------


def test_cancel_a_planned_meeting_with_a_reason(world, client_for):
    meeting = schedule(world)
    response = client_for(world.secretary).post(reverse("meetings:cancel", args=[meeting.pk]), {"reason": "Lên lịch nhầm ngày"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CANCELLED and meeting.cancel_reason == "Lên lịch nhầm ngày" and meeting.cancelled_at
    entry = audit_for(meeting).get(action="meeting.cancel")
    assert entry.data == {"from": "planned", "to": "cancelled", "reason": "Lên lịch nhầm ngày"}
    timeline = client_for(world.officer).get(reverse("meetings:timeline", args=[world.bloc_year.pk])).content.decode()
    assert "state-cancelled" in timeline and "<s>" in timeline and "Lý do hủy: Lên lịch nhầm ngày" in timeline
    detail = client_for(world.secretary).get(meeting.get_absolute_url()).content.decode()
    assert 'id="cancelled-note"' in detail and reverse("meetings:minutes", args=[meeting.pk]) not in detail


def test_cancel_needs_a_reason(world, client_for):
    meeting = schedule(world)
    response = client_for(world.secretary).post(reverse("meetings:cancel", args=[meeting.pk]), {"reason": "  "}, follow=True)
    assert "Hãy ghi lý do hủy hội nghị." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.PLANNED
    with pytest.raises(ValidationError):
        services.meeting_cancel(actor=world.secretary, meeting=meeting, reason="")


def test_a_meeting_with_minutes_cannot_be_cancelled(world):
    meeting = schedule(world)
    record(world, meeting)
    with pytest.raises(ValidationError):
        services.meeting_cancel(actor=world.secretary, meeting=meeting, reason="Nhầm")
    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.HELD


def test_a_cancelled_meeting_cannot_be_recorded_or_edited(world, client_for):
    meeting = schedule(world)
    services.meeting_cancel(actor=world.secretary, meeting=meeting, reason="Trùng lịch")
    client = client_for(world.secretary)
    for name in ("meetings:minutes", "meetings:edit"):
        response = client.get(reverse(name, args=[meeting.pk]))
        assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    with pytest.raises(ValidationError):
        record(world, meeting)
    with pytest.raises(ValidationError):
        services.meeting_update(actor=world.secretary, meeting=meeting, venue="Nơi khác")
    with pytest.raises(ValidationError):
        services.meeting_cancel(actor=world.secretary, meeting=meeting, reason="Lần nữa")
    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.CANCELLED


# --- fewer steps: pre-filled forms -----------------------------------------------------


def test_minutes_form_starts_with_members_present_and_their_leaders(world, client_for):
    meeting = schedule(world, starts_at=local(2022, 6, 17))
    world.secretary.full_name, world.secretary.title = "Lương Thị Diệu", "Chuyên viên"
    world.secretary.save()
    page = client_for(world.secretary).get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()
    for i, agency in enumerate(world.agencies):
        assert f'name="att-{i}-present" id="id_att-{i}-present" checked' in page
        assert f'name="att-{i}-representative_name" value="{agency.leader_name}"' in page
        assert f'name="att-{i}-representative_title" value="{agency.leader_title}"' in page
        assert f'name="att-{i}-absence_reason"' in page
    assert 'value="Lương Thị Diệu"' in page
    assert f'value="Chuyên viên {world.agencies[0].name}"' in page


def test_absent_member_keeps_its_reason_and_no_representative(world, client_for):
    meeting = schedule(world)
    rows = [
        {"agency": a, "present": i != 1, "representative_name": "Tên", "representative_title": "Giám đốc", "absence_reason": "Đi công tác"}
        for i, a in enumerate(world.agencies)
    ]
    record(world, meeting, attendance=rows)
    absent = meeting.attendances.get(agency=world.agencies[1])
    assert not absent.present and absent.absence_reason == "Đi công tác"
    assert meeting.attendances.get(agency=world.agencies[0]).absence_reason == ""
    page = client_for(world.secretary).get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()
    assert 'name="att-1-absence_reason" value="Đi công tác"' in page
    detail = client_for(world.officer).get(meeting.get_absolute_url()).content.decode()
    assert "vắng <span class=\"text-secondary\">(Đi công tác)</span>" in detail


def test_absent_row_posted_from_the_form_drops_the_representative(world):
    from blocs.models import Agency
    from meetings.forms import AttendanceForm

    form = AttendanceForm(
        {"agency": world.agencies[1].pk, "representative_name": "Lãnh Đạo", "representative_title": "Giám đốc", "absence_reason": "Ốm"},
        members=Agency.objects.all(),
    )
    assert form.is_valid()
    assert form.cleaned_data["representative_name"] == "" and form.cleaned_data["absence_reason"] == "Ốm"


def test_schedule_form_prefills_host_and_chair_from_the_head_agency(world, client_for):
    page = client_for(world.secretary).get(reverse("meetings:create", args=[world.bloc_year.pk])).content.decode()
    head_leader = world.leaders[0]
    assert re.search(rf'<option value="{world.agencies[0].pk}" selected>', page)
    assert re.search(rf'<option value="{head_leader.pk}"[^>]*selected', page)
    assert f'value="{head_leader.full_name}"' in page  # the chair's name, editable
    assert f'value="Giám đốc {world.agencies[0].name}"' in page  # and title
    assert f'data-name="{world.leaders[2].full_name}"' in page  # each option carries its person


def test_chair_picked_without_script_brings_name_and_title(world, client_for):
    data = {"kind": "mid_year", "date": "2022-06-17", "start_time": "08:00", "venue": "Hội trường",
            "host": world.agencies[0].pk, "chair_user": world.leaders[2].pk,
            # what the page was loaded with (the head's leader), left untouched
            "chair_name": world.leaders[0].full_name, "chair_title": f"Giám đốc {world.agencies[0].name}"}
    response = client_for(world.secretary).post(reverse("meetings:create", args=[world.bloc_year.pk]), data)
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.chair_user == world.leaders[2]
    assert (meeting.chair_name, meeting.chair_title) == (world.leaders[2].full_name, f"Giám đốc {world.agencies[2].name}")


def test_chair_name_typed_over_is_kept(world, client_for):
    data = {"kind": "mid_year", "date": "2022-06-17", "start_time": "08:00", "venue": "Hội trường",
            "chair_user": world.leaders[2].pk, "chair_name": "Nguyễn Văn Khác", "chair_title": "Phó Giám đốc"}
    assert client_for(world.secretary).post(reverse("meetings:create", args=[world.bloc_year.pk]), data).status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.chair_name, meeting.chair_title) == ("Nguyễn Văn Khác", "Phó Giám đốc")


def test_meeting_list_offers_scheduling_to_the_secretary_only(world, client_for):
    url = reverse("meetings:list")
    page = client_for(world.secretary).get(url).content.decode()
    assert f'href="{reverse("meetings:create", args=[world.bloc_year.pk])}" id="schedule-meeting"' in page
    for who in ("officer", "leader", "central"):
        assert 'id="schedule-meeting"' not in client_for(getattr(world, who)).get(url).content.decode()


def test_schedule_form_switches_between_the_secretarys_bloc_years(world, client_for):
    from blocs.models import RoleAssignment

    other_agencies = [make_agency(world.province) for _ in range(2)]
    other = make_bloc_year(world.province, other_agencies, year=2023, head=other_agencies[0])
    RoleAssignment.objects.create(user=world.secretary, role=Role.SECRETARY, bloc_year=other)
    client = client_for(world.secretary)
    list_page = client.get(reverse("meetings:list")).content.decode()
    assert f'href="{reverse("meetings:create", args=[other.pk])}" id="schedule-meeting"' in list_page  # newest first
    form = client.get(reverse("meetings:create", args=[other.pk])).content.decode()
    assert 'id="bloc-year-switch"' in form and f'<option value="{world.bloc_year.pk}">' in form
    response = client.get(reverse("meetings:create_for"), {"bloc_year": world.bloc_year.pk})
    assert response.status_code == 302 and response["Location"] == reverse("meetings:create", args=[world.bloc_year.pk])


@pytest.mark.parametrize("who", READERS + OUTSIDERS)
def test_create_for_by_role(world, client_for, who):
    response = client_for(user_of(world, who)).get(reverse("meetings:create_for"), {"bloc_year": world.bloc_year.pk})
    assert response.status_code == (302 if who in EDITORS else status_for(who, EDITORS))


def test_create_for_bad_input_and_method(world, client_for):
    client = client_for(world.secretary)
    assert client.get(reverse("meetings:create_for"), {"bloc_year": "x\x00"}).status_code == 404
    assert client.get(reverse("meetings:create_for")).status_code == 404
    assert client.post(reverse("meetings:create_for"), {"bloc_year": world.bloc_year.pk}).status_code == 405


# --- the chair's account list ----------------------------------------------------------


def test_chair_accounts_are_the_leaders_the_approval_rule_allows(world):
    officer_leaderless = make_user(agency=world.agencies[3], role=Role.OFFICER, agency_id=world.agencies[3].pk)
    candidates = selectors.chair_candidates(bloc_year=world.bloc_year)
    assert {u.pk for u in candidates} == {u.pk for u in world.leaders}
    assert candidates[0] == world.leaders[0]  # the head's leader first
    for never in (world.officer, officer_leaderless, world.secretary, world.board, world.nonmember, world.stranger):
        assert never not in candidates


def test_a_leader_who_is_also_secretary_is_not_offered_unless_head(world):
    from blocs.models import RoleAssignment

    RoleAssignment.objects.create(user=world.leaders[2], role=Role.SECRETARY, bloc_year=world.bloc_year)
    RoleAssignment.objects.create(user=world.leaders[0], role=Role.SECRETARY, bloc_year=world.bloc_year)
    candidates = selectors.chair_candidates(bloc_year=world.bloc_year)
    assert world.leaders[2] not in candidates and world.leaders[0] in candidates


@pytest.mark.parametrize("who", ["officer", "secretary", "board", "nonmember"])
def test_the_schedule_refuses_a_chair_who_may_not_approve(world, who):
    with pytest.raises(ValidationError) as error:
        schedule(world, chair_user=getattr(world, who))
    assert "chair_user" in error.value.message_dict


def test_every_offered_chair_may_approve(world):
    for leader in selectors.chair_candidates(bloc_year=world.bloc_year):
        meeting = submitted(world, chair_user=leader, starts_at=local(2022, 6, 1 + leader.pk % 27))
        assert leader in services.minutes.approvers_of(meeting)


def test_schedule_page_offers_no_officer(world, client_for):
    page = client_for(world.secretary).get(reverse("meetings:create", args=[world.bloc_year.pk])).content.decode()
    select = re.search(r'<select name="chair_user".*?</select>', page, re.S).group(0)
    assert world.officer.get_full_name() not in select and world.secretary.get_full_name() not in select
    assert all(leader.get_full_name() in select for leader in world.leaders)


# --- the article draft -----------------------------------------------------------------


def test_draft_reads_like_the_published_reports(world):
    meeting = schedule(world, starts_at=local(2022, 6, 17, 8), chair_name="Hồ Minh Khoa", chair_title="Giám đốc Sở Kế hoạch và Đầu tư, Trưởng Khối")
    rows = [{"agency": a, "present": i != 3, "representative_name": "", "representative_title": ""} for i, a in enumerate(world.agencies)]
    guests = [
        {"name": "Ngô Thị Kim Oanh", "title": "Thành viên Hội đồng Thi đua – Khen thưởng tỉnh", "organization": "Ban Thi đua – Khen thưởng"},
        {"name": "Hồ Minh Khoa", "title": "Giám đốc", "organization": ""},  # the chair, also typed as a guest
    ]
    record(world, meeting, attendance=rows, guests=guests,
           results="Các đơn vị hoàn thành tốt nhiệm vụ.", discussion="Các đại biểu đóng góp nhiều ý kiến.",
           conclusions="Đề nghị các đơn vị phát huy kết quả đạt được.", decisions=["Thống nhất Báo cáo sơ kết"])
    services.minutes_submit(actor=world.secretary, meeting=meeting)
    from .factories import approve

    approve(world, meeting, render=False)
    meeting = selectors.meeting_detail_queryset().get(pk=meeting.pk)
    draft = draft_article(meeting)
    text = draft["lead"] + "\n\n" + draft["body"]
    # who, when, where
    assert draft["lead"] == (
        f"Sáng ngày 17/6/2022, tại Sở Kế hoạch và Đầu tư, {world.bloc.name} đã tổ chức Hội nghị sơ kết 6 tháng năm 2022."
    )
    # who attended: every person "đồng chí", the guest included, the head agency marked, 03 members
    assert "Tham dự Hội nghị có đồng chí Ngô Thị Kim Oanh, Thành viên Hội đồng Thi đua – Khen thưởng tỉnh, Ban Thi đua – Khen thưởng" in text
    assert "của 03 đơn vị thành viên" in text and f"{world.agencies[0].name} (trưởng khối)" in text
    assert world.agencies[3].name not in text
    # the chair introduced once, with the title; named once more (name only) for the conclusions
    assert text.count("Hồ Minh Khoa") == 2
    assert text.count("Giám đốc Sở Kế hoạch và Đầu tư, Trưởng Khối") == 1
    assert "Đồng chí Hồ Minh Khoa, Giám đốc Sở Kế hoạch và Đầu tư, Trưởng Khối chủ trì Hội nghị." in text
    # order: attended, chair, reviewed, discussion, conclusions, decided
    order = [
        "Tham dự Hội nghị", "chủ trì Hội nghị", "Các đơn vị hoàn thành tốt", "Các đại biểu đóng góp",
        "Kết luận Hội nghị, đồng chí Hồ Minh Khoa", "Hội nghị thống nhất: Thống nhất Báo cáo sơ kết",
    ]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)
    assert draft["body"].endswith("./.")


def test_report_date_zero_pads_like_the_reports():
    import datetime

    assert report_date(datetime.date(2020, 6, 17)) == "17/6/2020"
    assert report_date(datetime.date(2021, 1, 22)) == "22/01/2021"
    assert report_date(datetime.date(2022, 2, 8)) == "08/02/2022"
    assert report_date(datetime.date(2022, 12, 1)) == "01/12/2022"


# --- publishing: preview, then confirm ---------------------------------------------------


def with_article(world):
    meeting = approved(world, render=False)
    services.article_save(actor=world.secretary, meeting=meeting, title="Hội nghị sơ kết", lead="Sa pô tin", body="Đoạn một.\n\nĐoạn hai.")
    return meeting


@pytest.mark.parametrize("who", READERS + OUTSIDERS)
def test_publish_preview_by_role(world, client_for, who):
    meeting = with_article(world)
    response = client_for(user_of(world, who)).get(reverse("meetings:publish", args=[meeting.pk]))
    assert response.status_code == status_for(who, EDITORS)
    if who in EDITORS:
        page = response.content.decode()
        assert "Sa pô tin" in page and "Đoạn hai." in page and 'id="publish-confirm"' in page
        assert re.search(r'<form method="post" action="%s">' % reverse("meetings:publish", args=[meeting.pk]), page)
        assert ">Xuất bản</button>" in page.replace('<i class="bi bi-globe"></i> ', "")
    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.APPROVED  # a GET publishes nothing


def test_publish_post_is_idempotent(world, client_for):
    meeting = with_article(world)
    client = client_for(world.secretary)
    url = reverse("meetings:publish", args=[meeting.pk])
    first = client.post(url, follow=True)
    assert "Đã đăng tin lên trang tin của tỉnh." in first.content.decode()
    second = client.post(url, follow=True)
    assert second.status_code == 200 and "Tin bài đã được đăng." in second.content.decode()
    assert "alert-danger" not in second.content.decode()
    assert Article.objects.get(meeting=meeting).is_published
    assert audit_for(meeting).filter(action="meeting.publish").count() == 1
    # Once published, the preview page sends back to the meeting.
    assert client.get(url).status_code == 302


def test_publish_preview_without_an_article_goes_back(world, client_for):
    meeting = approved(world, render=False)
    response = client_for(world.secretary).get(reverse("meetings:publish", args=[meeting.pk]))
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()


def test_publish_refuses_put(world, client_for):
    meeting = with_article(world)
    assert client_for(world.secretary).put(reverse("meetings:publish", args=[meeting.pk])).status_code == 405
