"""Issue 15: hypothesis over the forms of every app. Every route of the matrix whose page
shows a form is found through the URL resolver; its field names are read from the page
and hostile values are posted (control characters, NUL, line breaks, very long text,
impossible dates and numbers, formula starts). No answer is ever a server error."""

import re
import uuid
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .test_route_matrix import ROUTES, _routes, _url

TALLY: Counter = Counter()
FIELD = re.compile(r'<(?:input|textarea|select)\b[^>]*\bname="([^"]+)"')
SKIP = {"csrfmiddlewaretoken"}
hostile = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        ["\x00", "a\x00b", "line\nbreak", "\r\n", "=HYPERLINK(\"x\")", "+1", "-1", "@x",
         "9999-12-31", "0001-01-01", "2026-02-30", "1e309", "NaN", "-0", "99999999999999999999",
         "x" * 5000, "", " ", "\u202eevil", "<script>", "../../etc/passwd", str(uuid.uuid4())]
    ),
    st.integers(-(10**12), 10**12).map(str),
    st.dates().map(lambda d: d.isoformat()),
)  # fmt: skip


def _form_pages(client, world) -> dict[str, tuple[str, list[str]]]:
    """route -> (url, field names) for every page that shows a form with fields."""
    pages = {}
    for name, pattern in sorted(_routes().items()):
        if name.startswith(("accounts:", "set_language")):
            continue  # signing in and out is fuzzed by the sign-in tests and the lockout
        url = _url(name, pattern, world.get(ROUTES.get(name)) or uuid.uuid4())
        response = client.get(url)
        if response.status_code != 200 or b"<form" not in response.content:
            continue
        names = sorted(set(FIELD.findall(response.content.decode())) - SKIP)
        if names:
            pages[name] = (url, names)
    return pages


def _fuzz(client, pages, persona: str, examples: int) -> list[str]:
    failures = []

    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(data=st.data())
    def post(data):
        name = data.draw(st.sampled_from(sorted(pages)))
        url, names = pages[name]
        body = {n: data.draw(hostile) for n in names if data.draw(st.booleans())}
        try:
            status = client.post(url, body).status_code
        except Exception as exc:  # noqa: BLE001 - a crash is the finding
            status = f"{type(exc).__name__}: {exc}"[:200]
        ok = isinstance(status, int) and status < 500
        TALLY[(persona, "held" if ok else "failed")] += 1
        if not ok:
            failures.append(f"POST {name} {sorted(body)} -> {status}")

    post()
    return failures


def test_every_form_survives_hostile_input(client, world, alice, adam, ayse):
    failures = []
    for persona, user, examples in (
        ("alice", alice, 400),
        ("adam", adam, 200),
        ("ayse", ayse, 150),
    ):
        client.force_login(user)
        pages = _form_pages(client, world)
        assert pages, persona
        TALLY[(persona, "forms")] = len(pages)
        failures += _fuzz(client, pages, persona, examples)
    for (persona, outcome), n in sorted(TALLY.items()):
        print(f"fuzz forms {persona}: {outcome} {n}")
    assert not failures, "\n".join(failures[:30])
