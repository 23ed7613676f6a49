from django.urls import path

from meetings.views import articles, meetings, minutes

app_name = "meetings"

urlpatterns = [
    path("meetings/", meetings.meeting_list, name="list"),
    path("bloc-years/<int:pk>/meetings/", meetings.timeline, name="timeline"),
    path("bloc-years/<int:pk>/meetings/new/", meetings.meeting_create, name="create"),
    path("meetings/new/", meetings.meeting_create_for, name="create_for"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="detail"),
    path("meetings/<int:pk>/cancel/", meetings.meeting_cancel, name="cancel"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="edit"),
    path("meetings/<int:pk>/calendar.ics", meetings.meeting_ics, name="ics"),
    path("meetings/<int:pk>/documents/", meetings.meeting_documents, name="documents"),
    path("meetings/<int:pk>/minutes/", minutes.minutes_edit, name="minutes"),
    path("meetings/<int:pk>/minutes/preview/", minutes.minutes_preview, name="minutes_preview"),
    path("meetings/<int:pk>/submit/", minutes.minutes_submit, name="submit"),
    path("meetings/<int:pk>/approve/", minutes.minutes_approve, name="approve"),
    path("meetings/<int:pk>/return/", minutes.minutes_return, name="return"),
    path("meetings/<int:pk>/reopen/", minutes.minutes_reopen, name="reopen"),
    path("meetings/<int:pk>/article/", articles.article_edit, name="article"),
    path("meetings/<int:pk>/publish/", articles.article_publish, name="publish"),
    path("meetings/<int:pk>/unpublish/", articles.article_unpublish, name="unpublish"),
    path("meetings/photos/<int:pk>/<str:size>/", meetings.photo, name="photo"),
    path("news/", articles.news_index, name="news_index"),
    path("news/<slug:province_code>/", articles.news_list, name="news_list"),
    path("news/<slug:province_code>/<int:pk>/", articles.news_detail, name="news_detail"),
]
