"""Settings of the server `python -m bench load` starts: the project's own, plus the bare
Django views (bench/bare.py) that serve as the baseline in the same process."""

from mesoclinic.settings import *  # noqa: F403

ROOT_URLCONF = "bench.load_urls"
