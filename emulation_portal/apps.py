import unicodedata

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "emulation_portal"
    verbose_name = _("Cổng thông tin")

    def ready(self):
        from django.conf.locale import LANG_INFO

        from emulation_portal import checks  # noqa: F401  (registers the system checks)

        # Django's table of language names writes "Tiếng Việt" decomposed (NFD), and the footer's
        # language switch shows it: every text the portal shows is composed (NFC).
        for info in LANG_INFO.values():
            for key in ("name", "name_local"):
                if key in info:
                    info[key] = unicodedata.normalize("NFC", info[key])
