"""The newsread domain: articles, spans, text cleaning, detectors and formats.

Plain Python objects with character offsets; this package never imports Textual or
TinyDB, so it can be used (and tested) as a library on its own.
"""
