"""Helpers for the Quarto documents in ``reports/``: they read the same bundle as the HTML/PDF
engine and print Markdown built from the same narrative rules, so the two never disagree.

The Quarto CLI is optional (it cannot be installed from the package registries); the documents'
Python cells are tested by executing them against a real bundle.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..bundle import Bundle, read_bundle
from ..safepath import inside
from .narrative import executive

__all__ = ["md_escape", "bundle_for_quarto", "executive_markdown", "key_figures_markdown",
           "figure_markdown"]

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$])")


def md_escape(text: str) -> str:
    """Escape Markdown/HTML syntax so data text renders literally (never as markup or code)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def bundle_for_quarto(default: str = "../build/bundle") -> Bundle:
    """The bundle named by ``$CLAIMREPORT_BUNDLE``, else *default* (relative to ``reports/``)."""
    return read_bundle(Path(os.environ.get("CLAIMREPORT_BUNDLE", default)))


def executive_markdown(bundle: Bundle, stage: str) -> str:
    """The executive summary of *stage* as Markdown (every sentence escaped)."""
    ex = executive(bundle, stage)
    lines = [f"**{md_escape(ex.headline)}**", ""]
    for title, body in (("Issue / problem", ex.issue), ("Response", ex.response),
                        ("Impact", ex.impact)):
        lines += [f"### {title}", "", md_escape(body), ""]
    lines += ["### Key insights", ""] + [f"- {md_escape(s)}" for s in ex.insights] + [""]
    if ex.caveat:
        lines += [f"*{md_escape(ex.caveat)}*", ""]
    lines += ["### Next steps", ""] + [f"- {md_escape(s)}" for s in ex.next_steps] + [""]
    if ex.details:
        lines += ["### Details for analysts", ""] + [f"- {md_escape(s)}" for s in ex.details]
        lines += [""]
    return "\n".join(lines)


def key_figures_markdown(bundle: Bundle, stage: str) -> str:
    """A two-column Markdown table of the stage's key figures."""
    from .context import cell

    rows = ["| key figure | value |", "|---|---|"]
    result = bundle.results[stage]
    for name, value in result.key_figures.items():
        if value is None:
            shown = f"not defined ({result.undefined.get(name, 'these data do not support it')})"
        elif isinstance(value, list):
            shown = ", ".join(value) or "none"
        else:
            shown = (f"{value:.4g}" if isinstance(value, float) and abs(value) < 1e-3 and value
                     else cell(value))
        rows.append(f"| `{name}` | {md_escape(shown)} |")
    return "\n".join(rows) + "\n"


def figure_markdown(bundle: Bundle, stage: str, key: str) -> str:
    """An image reference to a bundle figure (PNG), with its alt text escaped."""
    ref = bundle.results[stage].figures[key]
    path = inside(bundle.folder(), ref.png, "figure").as_posix()
    return f"![{md_escape(ref.title)}]({path}){{fig-alt=\"{md_escape(ref.alt)}\"}}\n"
