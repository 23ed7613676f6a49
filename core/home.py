"""Home page panels. Each app registers what its people need to see first (e.g. "to sign").

Panels share a context computed once per request (``home_context``): an app registers a
provider for it (the blocs app: the year the page shows, see ``blocs.home``), and apps register
the *pending work* that provider weighs (``pending_work``: a ``Q`` per app over the rows the
provider asks about, e.g. "bloc-years where this user has something to sign").
"""

_PANELS = []
_CONTEXT = []
_PENDING = []


def home_panel(order):
    """Register ``fn(request) -> {"template": ..., **context} | None`` at position ``order``."""

    def register(fn):
        _PANELS.append((order, fn))
        _PANELS.sort(key=lambda item: item[0])
        return fn

    return register


def home_context_provider(fn):
    """Register ``fn(request) -> dict``: values every panel reads through ``home_context``."""
    _CONTEXT.append(fn)
    return fn


def pending_work(fn):
    """Register ``fn(user) -> Q``: where ``user`` has work waiting (its app decides over what)."""
    _PENDING.append(fn)
    return fn


def pending_filters(user):
    return [fn(user) for fn in _PENDING]


def home_context(request):
    """The context the panels share, computed once per request."""
    context = getattr(request, "_home_context", None)
    if context is None:
        context = {}
        for fn in _CONTEXT:
            context.update(fn(request))
        request._home_context = context
    return context


def panels_for(request):
    shown = []
    for _order, fn in _PANELS:
        panel = fn(request)
        if panel:
            shown.append(panel)
    return shown
