"""Retention, subject access and erasure: frameworks that other domains plug into.

See registry.py for the hooks (anonymisers, subject-data providers, erasers).
"""
