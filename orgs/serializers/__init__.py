"""The orgs app's serializers, one module per use: the directory of users, organizations, and
the profile and sign-up with organizations."""
