"""What the capture check tells the user, translated (lib.uploads says what is wrong with
a file)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ISSUES = {
    "no_face": gettext_lazy("No face was found. Frame the whole face, well lit, and try again."),
    "blurred": gettext_lazy("The photo is blurred: hold the camera still and focus on the face."),
    "overexposed": gettext_lazy("The photo is too bright: parts of the skin are burnt out."),
    "underexposed": gettext_lazy("The photo is too dark: add light or open the exposure."),
    "pose_turned": gettext_lazy("The head is turned: for the front view, face the camera."),
    "pose_not_turned": gettext_lazy("The head is not turned enough for a 45° view."),
    "pose_too_turned": gettext_lazy("The head is turned too far for a 45° view."),
    "pose_wrong_side": gettext_lazy("The head is turned to the wrong side for this view."),
    "pose_tilted": gettext_lazy("The head is tilted: keep the eyes level."),
}


def issue_text(code: str) -> str:
    return str(ISSUES.get(code) or _("The photo did not pass the capture check."))


NOT_COMPARABLE = {
    "view": gettext_lazy("The two photos show different views."),
    "light": gettext_lazy(
        "The light differs: the skin is much brighter in one photo than in the other."
    ),
    "distance": gettext_lazy(
        "The distance differs: the face is much larger in one photo than in the other."
    ),
    "pose": gettext_lazy("The head is turned differently in the two photos."),
    "chart": gettext_lazy("Only one of the two photos was colour-corrected with a chart."),
}


def comparability_text(code: str) -> str:
    return str(NOT_COMPARABLE.get(code) or _("The two photos were not taken the same way."))
