"""The portal's URLs plus ``/bench/bare/``: a view that does nothing, the ceiling for throughput."""

from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), path("", include("emulation_portal.urls"))]
