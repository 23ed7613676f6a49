from django.urls import path

from pledges import views

app_name = "pledges"

urlpatterns = [
    path("pledges/", views.pledge_list, name="list"),
    path("bloc-years/<int:bloc_year_pk>/pledge/", views.pledge_of_bloc_year, name="of_bloc_year"),
    path("bloc-years/<int:bloc_year_pk>/pledge/new/", views.pledge_create, name="create"),
    path("pledges/<int:pk>/", views.pledge_detail, name="detail"),
    path("pledges/<int:pk>/status/", views.pledge_status, name="status"),
    path("pledges/<int:pk>/edit/", views.pledge_edit, name="edit"),
    path("pledges/attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("pledges/<int:pk>/review/", views.review_open, name="review_open"),
    path("pledges/<int:pk>/open-signing/", views.signing_open, name="signing_open"),
    path("pledges/<int:pk>/reopen/", views.signing_reopen, name="signing_reopen"),
    path("pledges/<int:pk>/deadline/", views.signing_deadline, name="signing_deadline"),
    path("pledges/<int:pk>/amend/", views.pledge_amend, name="amend"),
    path("pledges/<int:pk>/comments/", views.comment_add, name="comment"),
    path("pledges/<int:pk>/sign/", views.pledge_sign, name="sign"),
    path("pledges/<int:pk>/decline/", views.pledge_decline, name="decline"),
    path("pledges/<int:pk>/preview/", views.pledge_preview, name="preview"),
    path("pledges/<int:pk>/pdf/", views.pledge_pdf, name="pdf"),
]
