"""Screens of the newsread app."""
