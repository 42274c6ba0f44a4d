"""Production settings serving, beside the real site, the *naive* actions list of the benchmark.

The naive build is what a first DRF version usually looks like: a plain `ModelSerializer` with nested
related objects, and no `select_related` / `prefetch_related` (see `bench/naive_urls.py`). Only the
URL configuration differs from `config.settings.production`.
"""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.naive_urls"
