from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class PortalLocaleMiddleware:
    """Vietnamese unless the user chose another language with the footer switch.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: many browsers
    in Vietnam are set to English, and a provincial portal speaks Vietnamese by default.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))  # the language comes from a cookie
        return response


class DeferredRendersMiddleware:
    """With no broker (Celery in-process, the embedded default) a PDF render asked for by a
    request (the last signature, an approval) runs after its response has been sent, instead of
    keeping the user waiting for WeasyPrint: ``core.documents.deferred_renders`` collects them and
    the response's closer (``HttpResponse.close()``, which the WSGI server calls once the response
    is out) renders them. The page shows "đang tạo" and polls until the PDF is ready, as it does
    with a worker. With a broker, nothing changes: the message is sent at commit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from core.documents import deferred_renders, send_deferred

        with deferred_renders() as pending:
            response = self.get_response(request)
        if pending:
            ids = list(pending)
            response._resource_closers.append(lambda: send_deferred(ids))
        return response
