"""Deployment settings, one block per provider."""

PROVIDERS = {
    "clever": {"api": "https://api.clever.com/v2.1", "timeout": 30},
    "mail": {"api": "https://mail.example.org/v1", "timeout": 5},
}
