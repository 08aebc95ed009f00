"""Escaping user-provided text for Markdown and HTML contexts."""
from __future__ import annotations

import html
import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<$=:])")


def escape_md(text) -> str:
    """Text safe for st.markdown: Markdown syntax and HTML tags are shown literally."""
    s = "" if text is None else str(text)
    return _MD_SPECIAL.sub(r"\\\1", s)


def escape_html(text) -> str:
    return html.escape("" if text is None else str(text), quote=True)
