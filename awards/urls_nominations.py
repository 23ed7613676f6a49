"""URLs of the year-end nominations (issue 11)."""

urlpatterns = []
