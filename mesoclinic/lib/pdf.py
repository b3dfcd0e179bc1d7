"""PDF documents from templates, with WeasyPrint. The documents load only the project's
own static files: any other URL (the network, the file system) is refused."""

from urllib.parse import urlparse

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.http import content_disposition_header

from .csvfile import download_name

STATIC_ROOT_URL = "mesoclinic-static:/"


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnly(URLFetcher):
        """Serves `mesoclinic-static:/path` from the static files; refuses anything else."""

        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            if parsed.scheme != "mesoclinic-static" or ".." in parsed.path:
                raise ValueError(f"only the project's static files are loaded: {url[:80]}")
            path = finders.find(parsed.path.lstrip("/"))
            if not path:
                raise ValueError(f"no such static file: {parsed.path[:80]}")
            with open(path, "rb") as f:
                data = f.read()
            kind = "text/css" if path.endswith(".css") else "application/octet-stream"
            if path.endswith(".svg"):
                kind = "image/svg+xml"
            return URLFetcherResponse(url, data, {"Content-Type": kind})

    return StaticOnly()


def render_pdf(template_name: str, context: dict, *, language: str) -> bytes:
    """The template rendered in `language` and laid out as a PDF. In the template, refer to
    static files as `mesoclinic-static:/css/file.css` (the `static_base` variable)."""
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string(template_name, {**context, "static_base": STATIC_ROOT_URL})
    return HTML(string=html, base_url=STATIC_ROOT_URL, url_fetcher=_fetcher()).write_pdf()


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    """A PDF download named with safe ASCII characters only."""
    stem = filename[:-4] if filename.lower().endswith(".pdf") else filename
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        True, download_name(stem, ext="pdf")
    )
    return response
