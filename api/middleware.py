from django.urls import Resolver404, get_resolver


class OptionalTrailingSlashMiddleware:
    """Serve `/api/users/5` as `/api/users/5/`, without the redirect that APPEND_SLASH sends.

    A redirect would turn a client's POST into a GET; answering in place keeps every method.
    Links the API writes keep their canonical trailing slash.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if not path.endswith("/") and not self._resolves(path) and self._resolves(path + "/"):
            request.path_info = path + "/"
            request.path = request.path + "/"
        return self.get_response(request)

    @staticmethod
    def _resolves(path):
        try:
            match = get_resolver().resolve(path)
        except Resolver404:
            return False
        return match.url_name != "not-found"
