"""Widgets of the newsread app, one module per screen area."""
