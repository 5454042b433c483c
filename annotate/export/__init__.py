"""Export: which articles and decisions an export carries, how it streams them out of a
store, and the export lines kept with the articles (the store reaches this package
only through the rewrite hook it is given, :class:`~annotate.export.lines.KeptLines`).

It reads a store through the small protocol of :mod:`annotate.export.source`, never
the store's internals, and writes through ``annotate.formats``.
"""
