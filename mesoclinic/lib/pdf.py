"""HTML templates to PDF with WeasyPrint, offline.

`render_pdf(template_name, context, language=...)` renders a Django template in the given
language and lays it out as PDF. The only resources a document may load are the project's
own static files (stylesheets, the clinic's logo as a data: URL) and data: URLs (a drawn
signature); anything else (http, file paths outside static) is refused, so rendering never
touches the network and a stored value cannot make the server read its own files.
`pdf_response` sends the bytes as a download with a safe ASCII file name.
"""

import re
import unicodedata
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

# The base URL of a document: relative links ("/static/css/x.css", "static/...") resolve
# under it, and the fetcher maps it back to the static files.
BASE_URL = "https://mesoclinic.invalid/"


class Refused(ValueError):
    """A document asked for a resource outside the project's static files."""


def _static_path(url: str) -> str | None:
    """The static file a URL under BASE_URL + STATIC_URL names, or None."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}/" != BASE_URL:
        return None
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    path = unquote(parts.path)
    if not path.startswith(prefix):
        return None
    name = path[len(prefix) :]
    if not name or ".." in name.split("/"):
        return None
    return finders.find(name)


def _fetcher():
    """WeasyPrint's fetcher, limited to data: URLs and the project's static files."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            found = _static_path(url)
            if found is None:
                raise Refused(f"not a static file of the project: {url[:80]}")
            with open(found, "rb") as fh:
                data = fh.read()
            kind = "text/css" if found.endswith(".css") else "application/octet-stream"
            if found.endswith(".png"):
                kind = "image/png"
            elif found.endswith(".svg"):
                kind = "image/svg+xml"
            return URLFetcherResponse(url, data, {"Content-Type": kind})

    return StaticOnly(allowed_protocols=("data", "https"), allow_redirects=False)


def render_html(template_name: str, context: dict, *, language: str) -> str:
    """The document as HTML, in `language` (what the PDF is laid out from)."""
    with translation.override(language):
        static = "/" + settings.STATIC_URL.strip("/") + "/"  # not hashed: read by the fetcher
        return render_to_string(
            template_name, {**context, "pdf_language": language, "pdf_static": static}
        )


def render_pdf(template_name: str, context: dict, *, language: str) -> bytes:
    """The template rendered in `language` and laid out as PDF (A4, see the template's CSS)."""
    from PIL import ImageFile
    from weasyprint import HTML

    # WeasyPrint turns Pillow's process-wide LOAD_TRUNCATED_IMAGES on when imported; our PDFs
    # embed only our own whole images, and the photo decoder must refuse cut-off files.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    html = render_html(template_name, context, language=language)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher()).write_pdf()


def safe_filename(name: str, default: str = "document") -> str:
    """An ASCII file name: accents dropped (ş -> s, İ -> I), anything else to "-"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    stem = ascii_name[:-4] if ascii_name.lower().endswith(".pdf") else ascii_name
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-._")[:80]
    return f"{stem or default}.pdf"


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    """The PDF as a download (attachment) named `filename`, made safe ASCII."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{safe_filename(filename)}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
