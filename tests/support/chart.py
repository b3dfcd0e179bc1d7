"""The patient chart as a browser shows it once every lazy part has loaded (issue 18)."""

import re

from django.urls import reverse

PART = re.compile(r'hx-get="(/patients/[^"]+/part/[^"]+)"')


def part_urls(html: str) -> list[str]:
    """The parts a chart page loads after it (its placeholders' hx-get), in page order."""
    return PART.findall(html)


def whole_chart(client, patient) -> str:
    """The chart page, then each part its placeholders load (hx-get), appended in order."""
    page = client.get(reverse("patients:chart", args=[patient.code]))
    assert page.status_code == 200, page.status_code
    html = page.content.decode()
    for url in part_urls(html):
        part = client.get(url, headers={"HX-Request": "true"})
        assert part.status_code == 200, (url, part.status_code)
        html += part.content.decode()
    return html
