"""The newsread terminal app and its command line.

Importing this package does not import Textual: the plain commands (``analyze``,
``export``, ``stats``…) start without it; only :mod:`tui.app` pulls Textual in.
"""
