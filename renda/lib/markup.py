"""HTML built in Python, for the pages that draw hundreds of rows or options in one pass."""

import html


def esc(value) -> str:
    """`value` as text escaped for HTML (quotes included), as Django's `escape` does, without
    its lazy-string wrapper around every call: a page of rows escapes a few thousand values."""
    return html.escape(str(value))
