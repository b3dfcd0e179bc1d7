from mesoclinic.followup.tests.conftest import (  # noqa: F401  (fixtures)
    _followup_env,
    _frozen,
    booster,
    later,
    lot,
    plan,
    session,
)
from mesoclinic.portal.tests.conftest import _site_url, ayse, other, zeynep  # noqa: F401
from tests.matrix.test_route_matrix import world  # noqa: F401
