import math

from django.conf import settings
from django.contrib.auth import views as auth_views
from rest_framework import status

from restkit.throttling import attempt_succeeded, throttle_wait, too_many_attempts

from ..forms import EmailAuthenticationForm


class BrowsableAPILoginView(auth_views.LoginView):
    """The browsable API's login page, by email and password, under the rules of
    POST /api/login/: the same rate limits, counted together (failed logins only), and a
    confirmed address when verification is mandatory (see EmailAuthenticationForm)."""

    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    throttle_scope = "login"

    def get_context_data(self, **kwargs):
        return super().get_context_data(api_title=settings.SPECTACULAR_SETTINGS["TITLE"], **kwargs)

    def post(self, request, *args, **kwargs):
        wait = throttle_wait(request, self)
        if wait is None:
            return super().post(request, *args, **kwargs)
        seconds = math.ceil(wait)
        context = self.get_context_data(
            form=self.get_form_class()(request),  # unbound: the password is not checked
            throttled=too_many_attempts(seconds),
        )
        response = self.render_to_response(context, status=status.HTTP_429_TOO_MANY_REQUESTS)
        response["Retry-After"] = str(seconds)
        return response

    def form_valid(self, form):
        attempt_succeeded(self.request)  # the right password: only failed logins count
        return super().form_valid(form)
