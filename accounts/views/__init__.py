"""The accounts' views, one module per use: registration, tokens, passwords, profile, and the
login pages of the browsable API and the admin."""
