"""The clinic's letterhead on every document: name, address, phone and logo, from the
clinic's settings. Address and logo are read only when the clinic model has them (set-up
adds them); a logo is embedded as a data: URL so rendering never opens a file by name."""

import base64
import mimetypes

LOGO_MAX_BYTES = 512 * 1024
LOGO_TYPES = {"image/png", "image/jpeg", "image/svg+xml"}


def _logo_data_url(clinic) -> str:
    logo = getattr(clinic, "logo", None)
    if not logo:
        return ""
    try:
        with logo.open("rb") as fh:
            data = fh.read(LOGO_MAX_BYTES + 1)
    except (OSError, ValueError):
        return ""  # a missing file never stops a document
    kind = mimetypes.guess_type(getattr(logo, "name", ""))[0]
    if len(data) > LOGO_MAX_BYTES or kind not in LOGO_TYPES:
        return ""
    return f"data:{kind};base64,{base64.b64encode(data).decode()}"


def letterhead(clinic) -> dict:
    address = getattr(clinic, "address", "") or ""
    return {
        "name": clinic.name,
        "address_lines": [line.strip() for line in str(address).splitlines() if line.strip()],
        "phone": getattr(clinic, "phone", "") or "",
        "email": getattr(clinic, "email", "") or "",
        "logo": _logo_data_url(clinic),
    }
