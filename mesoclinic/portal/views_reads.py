"""The patient's "who opened my record": reads of their record by staff role and date
(issue 15). No anchor product offers it; the audit log already holds every read."""

from django.core.paginator import Paginator
from django.shortcuts import render

from . import access
from .decorators import patient_view

PER_PAGE = 25


@patient_view
def record_reads(request):
    page = Paginator(access.record_reads(request.patient), PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [access.describe_read(e) for e in page]
    return render(request, "portal/record_reads.html", {"page": page, "rows": rows})
