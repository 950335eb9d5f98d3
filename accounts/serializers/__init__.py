"""The accounts' serializers, one module per use: registration, tokens, passwords, profile."""
