"""Home page panels. Each app registers what its people need to see first (e.g. "to sign")."""

_PANELS = []


def home_panel(order):
    """Register ``fn(request) -> {"template": ..., **context} | None`` at position ``order``."""

    def register(fn):
        _PANELS.append((order, fn))
        _PANELS.sort(key=lambda item: item[0])
        return fn

    return register


def panels_for(request):
    shown = []
    for _order, fn in _PANELS:
        panel = fn(request)
        if panel:
            shown.append(panel)
    return shown
