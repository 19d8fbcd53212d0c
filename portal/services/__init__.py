"""Use cases. Every database query lives in this package."""
