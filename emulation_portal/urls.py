import posixpath

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import Http404
from django.urls import include, path
from django.views.static import serve

from core import reminder_views
from core import views as core_views
from emulation_portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("verify/", views.verify_lookup, name="verify_lookup"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("verify/<str:code>/pdf/", views.verify_download, name="verify_download"),
    path("documents/<str:code>/retry/", views.document_retry, name="document_retry"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/settings/", reminder_views.reminder_settings, name="reminder_settings"),
    path("notifications/settings/<str:token>/", reminder_views.reminder_settings_token, name="reminder_settings_token"),
    path("reminders/<str:rule_name>/<int:object_id>/", reminder_views.reminder_history, name="reminder_history"),
    path("reminders/<str:rule_name>/<int:object_id>/now/", reminder_views.reminder_now, name="reminder_now"),
    path("jobs/<int:pk>/", core_views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/progress/", core_views.job_progress, name="job_progress"),
    path("jobs/<int:pk>/download/", core_views.job_download, name="job_download"),
    path("jobs/<int:pk>/retry/", core_views.job_retry, name="job_retry"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("blocs.urls")),
    path("", include("pledges.urls")),
    path("", include("meetings.urls")),
    path("", include("awards.urls")),
]


def media_in_development(request, path):
    """MEDIA_ROOT for the development server, except private/ (job results: their view checks who asks)."""
    if posixpath.normpath(path).lstrip("/").split("/", 1)[0] == "private":
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)


if settings.DEBUG:
    # Development only. In production nothing under MEDIA_ROOT is published: photos, attachments
    # and PDFs are served by views that check who may see them.
    urlpatterns += [path("media/<path:path>", media_in_development)]
