"""The schedule and minutes forms through the views: saved, errors shown, nothing typed lost, text escaped."""

from django.urls import reverse

from meetings.models import Meeting, MeetingKind, MeetingState

from .factories import approved, image_upload, local, published, record, schedule


def schedule_data(**overrides):
    data = {
        "kind": MeetingKind.MID_YEAR,
        "date": "2022-06-17",
        "start_time": "08:00",
        "end_time": "11:00",
        "venue": "Sở Kế hoạch và Đầu tư",
        "chair_name": "Hồ Minh Khoa",
        "chair_title": "Giám đốc",
        "agenda": "Báo cáo sơ kết\nThảo luận",
    }
    data.update(overrides)
    return data


def test_schedule_through_the_form(world, client_for):
    response = client_for(world.secretary).post(reverse("meetings:create", args=[world.bloc_year.pk]), schedule_data())
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert meeting.starts_at == local(2022, 6, 17, 8)


def test_schedule_wrong_year_keeps_the_text(world, client_for):
    response = client_for(world.secretary).post(
        reverse("meetings:create", args=[world.bloc_year.pk]), schedule_data(date="2021-06-17", venue="Phòng họp số 5")
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ngày hội nghị phải trong năm 2022" in body
    assert "Phòng họp số 5" in body
    assert not Meeting.objects.exists()


def test_second_signing_asks_for_confirmation(world, client_for):
    schedule(world, kind=MeetingKind.SIGNING, starts_at=local(2022, 2, 28, 14))
    client = client_for(world.secretary)
    url = reverse("meetings:create", args=[world.bloc_year.pk])
    first = client.get(url).content.decode()
    assert "confirm_second_signing" not in first
    response = client.post(url, schedule_data(kind=MeetingKind.SIGNING, date="2022-03-10"))
    body = response.content.decode()
    assert response.status_code == 200 and 'name="confirm_second_signing"' in body and "đã có một hội nghị ký kết" in body
    response = client.post(url, schedule_data(kind=MeetingKind.SIGNING, date="2022-03-10", confirm_second_signing="on"))
    assert response.status_code == 302
    assert Meeting.objects.filter(kind=MeetingKind.SIGNING).count() == 2


def minutes_data(world, meeting, **overrides):
    data = {
        "att-TOTAL_FORMS": str(len(world.agencies)),
        "att-INITIAL_FORMS": str(len(world.agencies)),
        "guest-TOTAL_FORMS": "2",
        "guest-INITIAL_FORMS": "0",
        "dec-TOTAL_FORMS": "3",
        "dec-INITIAL_FORMS": "0",
        "photo-TOTAL_FORMS": "0",
        "photo-INITIAL_FORMS": "0",
        "newphoto-TOTAL_FORMS": "2",
        "newphoto-INITIAL_FORMS": "0",
        "minutes_number": "05/BB-KTĐ",
        "secretary_name": "Trần Thư Ký",
        "secretary_title": "Chuyên viên",
        "results": "Kết quả sáu tháng <script>alert(1)</script>",
        "next_plan": "Phương hướng sáu tháng cuối năm",
        "discussion": "Các đại biểu thảo luận sôi nổi",
        "conclusions": "",
        "guest-0-name": "Lê Thị Khách",
        "guest-0-title": "Thành viên Hội đồng Thi đua – Khen thưởng tỉnh",
        "guest-0-organization": "Ban Thi đua – Khen thưởng",
        "dec-0-text": "Thống nhất báo cáo <b>sơ kết</b>",
        "dec-1-text": "Giao Trưởng khối hoàn thiện kế hoạch",
    }
    for i, agency in enumerate(world.agencies):
        data[f"att-{i}-agency"] = str(agency.pk)
        data[f"att-{i}-present"] = "on" if i < 3 else ""
        data[f"att-{i}-representative_name"] = f"Người Dự {i}"
        data[f"att-{i}-representative_title"] = "Phó Giám đốc"
    data.update(overrides)
    return data


def test_minutes_form_saves_everything(world, client_for):
    meeting = schedule(world)
    client = client_for(world.secretary)
    data = minutes_data(world, meeting, **{"newphoto-0-image": image_upload(), "newphoto-0-caption": "Toàn cảnh <i>Hội nghị</i>"})
    response = client.post(reverse("meetings:minutes", args=[meeting.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD
    assert meeting.attendances.filter(present=True).count() == 3
    assert meeting.guests.get().name == "Lê Thị Khách"
    assert [d.text for d in meeting.decisions.all()] == ["Thống nhất báo cáo <b>sơ kết</b>", "Giao Trưởng khối hoàn thiện kế hoạch"]
    assert meeting.photos.get().caption == "Toàn cảnh <i>Hội nghị</i>"
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "3/4 đơn vị" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert "&lt;b&gt;sơ kết&lt;/b&gt;" in page
    assert "Toàn cảnh &lt;i&gt;Hội nghị&lt;/i&gt;" in page
    form_page = client.get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in form_page and "<script>alert(1)" not in form_page


def test_attendance_below_two_thirds_is_flagged(world, client_for):
    meeting = schedule(world)
    record(world, meeting, present=2)
    page = client_for(world.officer).get(meeting.get_absolute_url()).content.decode()
    assert "2/4 đơn vị" in page and "dưới hai phần ba" in page


def test_bad_photo_keeps_typed_text(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    meeting = schedule(world)
    fake = SimpleUploadedFile("anh.jpg", b"MZ not an image at all", content_type="image/jpeg")
    data = minutes_data(world, meeting, **{"newphoto-0-image": fake, "discussion": "Đoạn thảo luận rất dài đã gõ"})
    response = client_for(world.secretary).post(reverse("meetings:minutes", args=[meeting.pk]), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "không phải là ảnh hợp lệ" in body
    assert "Đoạn thảo luận rất dài đã gõ" in body and "Lê Thị Khách" in body and "Người Dự 3" in body
    assert "chọn lại ảnh" in body
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.PLANNED and not meeting.discussion


def test_tampered_agency_is_refused_without_500(world, client_for):
    meeting = schedule(world)
    data = minutes_data(world, meeting, **{"att-0-agency": str(world.outside_agency.pk)})
    response = client_for(world.secretary).post(reverse("meetings:minutes", args=[meeting.pk]), data)
    assert response.status_code == 200
    assert not meeting.attendances.exists()


def test_broken_management_form_is_not_a_500(world, client_for):
    meeting = schedule(world)
    response = client_for(world.secretary).post(reverse("meetings:minutes", args=[meeting.pk]), {"minutes_number": "x"})
    assert response.status_code == 200


def test_save_and_submit(world, client_for):
    meeting = schedule(world)
    data = minutes_data(world, meeting, submit="1")
    response = client_for(world.secretary).post(reverse("meetings:minutes", args=[meeting.pk]), data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.SUBMITTED


def test_submit_incomplete_shows_reasons(world, client_for):
    meeting = schedule(world)
    data = minutes_data(world, meeting, submit="1", minutes_number="")
    response = client_for(world.secretary).post(reverse("meetings:minutes", args=[meeting.pk]), data, follow=True)
    assert "Hãy nhập số biên bản" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD


def test_locked_minutes_form_redirects(world, client_for):
    meeting = approved(world, render=False)
    response = client_for(world.secretary).get(reverse("meetings:minutes", args=[meeting.pk]))
    assert response.status_code == 302


def test_article_form_drafts_then_saves(world, client_for):
    meeting = approved(world, render=False)
    client = client_for(world.secretary)
    page = client.get(reverse("meetings:article", args=[meeting.pk])).content.decode()
    assert f"Hội nghị sơ kết 6 tháng năm 2022 của {world.bloc.name}" in page
    response = client.post(
        reverse("meetings:article", args=[meeting.pk]),
        {"title": "Tin <script>x</script>", "lead": "Mở đầu", "body": "Đoạn một\n\nĐoạn <b>hai</b>", "author": "Quách Văn Mạnh"},
    )
    assert response.status_code == 302
    client.post(reverse("meetings:publish", args=[meeting.pk]))
    public = client_for(None).get(meeting.article.get_absolute_url()).content.decode()
    assert "Tin &lt;script&gt;x&lt;/script&gt;" in public and "<script>x" not in public
    assert "Đoạn &lt;b&gt;hai&lt;/b&gt;" in public


def test_history_shows_reopen_with_reason(world, client_for):
    meeting = published(world)
    client = client_for(world.secretary)
    client.post(reverse("meetings:reopen", args=[meeting.pk]), {"reason": "Sửa tên <đại biểu>"})
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Mở lại biên bản" in page and "Sửa tên &lt;đại biểu&gt;" in page


def test_reopen_without_reason_is_refused(world, client_for):
    meeting = approved(world, render=False)
    response = client_for(world.secretary).post(reverse("meetings:reopen", args=[meeting.pk]), {"reason": " "}, follow=True)
    assert "Hãy ghi lý do" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.APPROVED
