# the shared money fixtures (tests/support/billing.py)
from tests.support.billing import _frozen, booster, plan, prices, signed  # noqa: F401
