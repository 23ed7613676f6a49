"""Lists page their ids first, then decorate only the rows of that page.

Counting and sorting run over a lean queryset (the visibility filter, the user's filters and
an ordering); joins for display (``select_related``), prefetches and per-row counts
(``SubqueryCount``) are applied to the page's rows alone. Annotating or grouping the whole
national table before taking one page of 50 is what made the lists take a second.
"""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

_KEYS = {"pk", "-pk", "id", "-id"}


def _ordering(queryset: QuerySet) -> list:
    ordering = list(queryset.query.order_by or queryset.model._meta.ordering)
    if not _KEYS.intersection(o for o in ordering if isinstance(o, str)):
        ordering.append("pk")  # ties would otherwise move rows between pages
    return ordering


def paginate(queryset: QuerySet, number, *, per_page: int, decorate=None) -> Page:
    """The page ``number`` of ``queryset`` (lean: filtered and ordered, nothing else).

    Its ``object_list`` holds the page's rows, fetched through ``decorate(rows) -> queryset``
    (``select_related``, annotations, prefetches) in the list's order. Two queries whatever
    the size of the table: the count, and the page's rows (their ids taken by a ``LIMIT``
    subquery over the lean queryset); plus ``decorate``'s prefetches.
    """
    ordering = _ordering(queryset)
    lean = queryset.order_by(*ordering)
    page = Paginator(lean, per_page).get_page(number)
    if page.paginator.count == 0:
        page.object_list = []
        return page
    start = (page.number - 1) * per_page
    ids = lean.values("pk")[start : start + per_page]
    rows = queryset.model._default_manager.filter(pk__in=ids)
    if decorate is not None:
        rows = decorate(rows)
    page.object_list = list(rows.order_by(*ordering))
    return page
