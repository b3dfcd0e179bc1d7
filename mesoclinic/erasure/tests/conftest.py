from mesoclinic.documents.tests.conftest import (  # noqa: F401  (fixtures)
    _documents_env,
    lot,
    plan,
    session,
)
from mesoclinic.photos.tests.conftest import (  # noqa: F401
    _photo_settings,
    consent,
    photo,
)
from mesoclinic.treatments.tests.conftest import _frozen, booster  # noqa: F401
from tests.photo.conftest import no_landmarks  # noqa: F401
