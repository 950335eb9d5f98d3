"""The orgs app's views: the users directory, organizations, and the members of one.

The directory lives here, not in accounts, because it shows each user with their
organizations, and accounts knows nothing of organizations.
"""
