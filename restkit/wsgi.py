import io

from django.conf import settings


class ChunkedBodyMiddleware:
    """Give Django a chunked request body with its length.

    Django reads a body by its Content-Length, so a chunked one, which has none, would be read as
    empty. Where the server has decoded the chunks and ends the input where the body ends
    (`wsgi.input_terminated`, as gunicorn does), the body is read here, at most one byte more
    than REQUEST_MAX_BYTES, and passed on with its length: the size limits then apply as to any
    body. Elsewhere (the development server) RequestSizeLimitMiddleware answers 411.
    """

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked and environ.get("wsgi.input_terminated"):
            body = environ["wsgi.input"].read(settings.REQUEST_MAX_BYTES + 1)
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            del environ["HTTP_TRANSFER_ENCODING"]
        return self.application(environ, start_response)
