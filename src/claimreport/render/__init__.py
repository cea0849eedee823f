"""Rendering: a bundle (read back from disk) → HTML (Jinja2) → PDF (WeasyPrint), or Quarto.

Rendering is dumb: numbers are formatted by the named filters in :mod:`.context`, sentences
come from :mod:`.narrative`; templates only loop and branch.
"""
