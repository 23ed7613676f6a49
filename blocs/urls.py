from django.urls import path

from blocs.views import agencies, blocs, transfer

app_name = "blocs"

urlpatterns = [
    path("agencies/", agencies.agency_list, name="agency_list"),
    path("agencies/new/", agencies.agency_create, name="agency_create"),
    path("agencies/<int:pk>/edit/", agencies.agency_edit, name="agency_edit"),
    path("blocs/", blocs.bloc_list, name="bloc_list"),
    path("blocs/new/", blocs.bloc_create, name="bloc_create"),
    path("blocs/<int:pk>/", blocs.bloc_detail, name="bloc_detail"),
    path("blocs/<int:pk>/edit/", blocs.bloc_edit, name="bloc_edit"),
    path("blocs/<int:bloc_pk>/years/new/", blocs.blocyear_create, name="blocyear_create"),
    path("bloc-years/", blocs.blocyear_list, name="blocyear_list"),
    path("bloc-years/<int:pk>/", blocs.blocyear_detail, name="blocyear_detail"),
    path("bloc-years/<int:pk>/edit/", blocs.blocyear_edit, name="blocyear_edit"),
    path("bloc-years/<int:pk>/copy/", blocs.blocyear_copy, name="blocyear_copy"),
    path("my-bloc/", blocs.my_bloc, name="my_bloc"),
    path("agencies/export.xlsx", transfer.agency_export, name="agency_export"),
    path("bloc-years/export.xlsx", transfer.blocyear_export, name="blocyear_export"),
    path("agencies/export/job/", transfer.agency_export_job, name="agency_export_job"),
    path("bloc-years/export/job/", transfer.blocyear_export_job, name="blocyear_export_job"),
    path("import/", transfer.import_upload, name="import_upload"),
    path("import/preview/", transfer.import_preview, name="import_preview"),
    path("import/confirm/", transfer.import_confirm, name="import_confirm"),
    path("import/cancel/", transfer.import_cancel, name="import_cancel"),
    path("import/template.xlsx", transfer.import_template, name="import_template"),
]
