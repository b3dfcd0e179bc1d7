# Fixtures shared by the Django apps' tests live in the top-level tests/conftest.py.
from tests.conftest import edited_knowledge, k  # noqa: F401
