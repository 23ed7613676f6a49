"""Mail built from three templates, as healthchecks does: ``emails/<name>-{subject,body-text,body-html}.html``."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation


def absolute(path: str) -> str:
    return path if "://" in path else f"{settings.SITE_URL}{path}"


def build_message(name: str, context: dict, *, to: list[str], attachments=(), headers=None) -> EmailMultiAlternatives:
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{name}-subject.html", context).split())
        text = render_to_string(f"emails/{name}-body-text.html", context)
        html = render_to_string(f"emails/{name}-body-html.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=to, headers=headers or {})
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message


def reminder_message(*, rule, obj, reminder) -> EmailMultiAlternatives:
    from core.reminders import is_escalation, settings_token

    user = reminder.user
    deadline = rule.deadline_of(obj)
    settings_url = absolute(reverse("reminder_settings_token", args=[settings_token(user.pk)]))
    context = {
        "user": user,
        "name": user.get_full_name(),
        "title": rule.title,
        "label": rule.label(obj),
        "url": absolute(rule.url(obj)),
        "deadline": timezone.localtime(deadline) if deadline else None,
        "overdue": bool(deadline and deadline < reminder.created_at),
        "escalation": is_escalation(reminder.step),
        "step": reminder.step,
        "reason": rule.reason(obj) if rule.reason else "",
        "essential": rule.essential,
        "settings_url": settings_url,
    }
    attachments = rule.attachments(obj) if rule.attachments else ()
    return build_message(rule.template, context, to=[user.email], attachments=attachments,
                         headers={"List-Unsubscribe": f"<{settings_url}>"})
