"""clever-upgrade: find and fix Clever API v2.x constructs in Python integrations."""

__version__ = "0.1.0"
