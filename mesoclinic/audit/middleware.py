from .actions import buffered


class AuditBufferMiddleware:
    """Writes the audit rows of one request in one INSERT when it ends, whatever the
    response (a refusal, an error page): see actions.buffered. Outermost, so every row
    recorded while handling the request is in the buffer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with buffered():
            return self.get_response(request)
