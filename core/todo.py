"""The home page's "Việc cần làm": what waits for the person, from every reminder rule (core.reminders)."""

from core.home import home_panel
from core.reminders import todo_for


@home_panel(1)
def todo_panel(request):
    items = todo_for(request.user)
    return {"template": "core/_todo_panel.html", "width": 12, "items": items}
