import math

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from rest_framework import status

from restkit.throttling import attempt_succeeded, throttle_wait, too_many_attempts

from .. import services
from ..forms import EmailAuthenticationForm, MfaCodeForm
from ..mfa import mfa_enabled


class BrowsableAPILoginView(auth_views.LoginView):
    """The browsable API's login page, by email and password, under the rules of
    POST /api/login/: the same rate limits, counted together (failed logins only), and a
    confirmed address when verification is mandatory (see EmailAuthenticationForm). An account
    with two-factor login is not logged in by its password: the page asks for a code next
    (BrowsableAPILoginCodeView)."""

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
        user = form.get_user()
        if mfa_enabled(user):
            token = services.mfa_challenge_start(user=user)
            code_form = MfaCodeForm(self.request, initial={"ephemeral_token": token})
            context = self.get_context_data(form=code_form)
            return self.response_class(
                request=self.request,
                template=[BrowsableAPILoginCodeView.template_name],
                context=context,
                using=self.template_engine,
            )
        return super().form_valid(form)


class BrowsableAPILoginCodeView(auth_views.LoginView):
    """The browsable API's second login step: the code, checked as by POST /api/login/mfa/;
    the browser is logged in only once it is right."""

    template_name = "accounts/login_code.html"
    authentication_form = MfaCodeForm
    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        return redirect("rest_framework:login")  # the first step comes first

    def get_context_data(self, **kwargs):
        return super().get_context_data(api_title=settings.SPECTACULAR_SETTINGS["TITLE"], **kwargs)

    def form_invalid(self, form):
        if form.retry_after is None:
            return super().form_invalid(form)
        seconds = math.ceil(form.retry_after)
        context = self.get_context_data(form=form)
        response = self.render_to_response(context, status=status.HTTP_429_TOO_MANY_REQUESTS)
        response["Retry-After"] = str(seconds)
        return response
