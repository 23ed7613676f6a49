"""System checks of the portal's own settings (`manage.py check --deploy`)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

DEFAULT_SITE_URL = "http://127.0.0.1:8000"


@checks.register(checks.Tags.security, deploy=True)
def check_site_url(app_configs=None, **kwargs):
    """SITE_URL is printed in the QR code of every issued PDF: a wrong one cannot be recalled."""
    site_url = settings.SITE_URL
    parts = urlsplit(site_url)
    if site_url == DEFAULT_SITE_URL or parts.hostname in (None, "", "127.0.0.1", "localhost", "::1"):
        problem = f"SITE_URL is still the development default ({site_url!r})."
    elif parts.scheme != "https":
        problem = f"SITE_URL does not use https ({site_url!r})."
    else:
        return []
    return [
        checks.Warning(
            problem,
            hint="Set SITE_URL to the portal's public https address (e.g. https://thidua.example.gov.vn) "
            "before any PDF is issued: it is printed in the verification QR code of every document.",
            id="portal.W001",
        )
    ]
