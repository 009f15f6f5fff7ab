"""A district roster sync for a reading app, written against the Clever API v2.1."""
