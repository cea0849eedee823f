"""HTML → PDF with WeasyPrint, fetching nothing but the bundle's own files."""

from __future__ import annotations

import logging
from pathlib import Path

from ..errors import RenderError
from ..fsio import atomic_path

__all__ = ["write_pdf", "bundle_fetcher", "warm_up", "PDF_VARIANTS", "DEFAULT_VARIANT"]

#: PDF flavours offered: tagged and accessible (PDF/UA-1, the default), archival (PDF/A-3b, which
#: also keeps the structure tags), or a plain untagged PDF
PDF_VARIANTS = {"pdf/ua-1": {"pdf_variant": "pdf/ua-1"},
                "pdf/a-3b": {"pdf_variant": "pdf/a-3b", "pdf_tags": True},
                "plain": {}}
DEFAULT_VARIANT = "pdf/ua-1"


def bundle_fetcher(root: Path):
    """A WeasyPrint URL fetcher that serves ``data:`` URLs and files inside *root* only.

    Anything else (http, https, a file outside the bundle) is refused at once: no network wait,
    no way for content to pull in a local file. WeasyPrint 70 removed ``default_url_fetcher``;
    subclassing ``URLFetcher`` is its documented replacement.
    """
    from urllib.parse import unquote, urlparse

    from weasyprint.urls import URLFetcher

    root = Path(root).resolve()

    class BundleFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(unquote(urlparse(url).path)).resolve()
                if path.is_relative_to(root) and path.is_file():
                    return super().fetch(url, headers)
            raise ValueError(f"claimreport fetches only bundle files; refused {url[:80]}")

    return BundleFetcher(allowed_protocols={"data", "file"}, timeout=1)


def write_pdf(html: str, bundle_dir: Path, out: Path, variant: str = DEFAULT_VARIANT) -> None:
    """Write *html* (figures linked relative to *bundle_dir*) as a PDF at *out*, atomically.

    Title, subject, author, keywords, language and creation date come from the HTML head
    (``<title>``, ``<meta name="description|author|keywords|dcterms.created">``, ``lang``);
    *variant* is one of :data:`PDF_VARIANTS`. The creation date is the bundle's, so the same
    bundle gives the same PDF metadata.
    """
    try:
        from weasyprint import HTML
    except OSError as exc:  # Pango/cairo missing
        raise RenderError(f"WeasyPrint cannot load its system libraries ({exc}); run "
                          "`make system-deps` or install Pango (libpango-1.0-0)") from None
    # WeasyPrint logs every refused URL and CSS nicety as a warning; keep the terminal clean.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    doc = HTML(string=html, base_url=str(Path(bundle_dir).resolve()) + "/",
               url_fetcher=bundle_fetcher(bundle_dir))
    options = PDF_VARIANTS[variant]
    with atomic_path(out) as tmp:
        doc.write_pdf(tmp, **options)


def warm_up() -> None:
    """Import WeasyPrint and lay out a tiny page with the report fonts.

    The first PDF of a process pays ~0.5 s for the import and ~0.4 s for fontconfig and Pango
    set-up. The pipeline calls this while figures are being drawn in other processes, so those
    costs leave the critical path. Failures are left for :func:`write_pdf` to report.
    """
    try:
        from weasyprint import HTML
    except OSError:
        return
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    HTML(string='<p style="font-family: DejaVu Sans; font-size: 9pt">warm <b>up</b> '
                '<code>1,234</code></p>').render()
