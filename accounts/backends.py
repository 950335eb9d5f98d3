from allauth.account.auth_backends import AuthenticationBackend

from restkit.emails import normalize_email


class EmailAuthenticationBackend(AuthenticationBackend):
    """allauth's login by email, by the account's own address only.

    allauth also looks up the other addresses on its records: with mandatory verification a
    change of email waits there, unconfirmed, and must not log in before it is confirmed.
    """

    def _authenticate_by_email(self, email, password):
        user = super()._authenticate_by_email(email, password)
        if user is not None and user.email != normalize_email(email):
            return None
        return user
