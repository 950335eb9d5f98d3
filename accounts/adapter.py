from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """allauth, fitted to a stateless JSON API: no session, no flash messages.

    Registration answers with JWTs; without these overrides allauth's sign-up flow would also
    write a server-side session and a messages cookie that no client of this API reads.
    """

    def login(self, request, user):
        pass

    def stash_verified_email(self, request, email):
        pass

    def unstash_verified_email(self, request):
        return None

    def add_message(self, *args, **kwargs):
        pass
