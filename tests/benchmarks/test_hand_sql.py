"""The benchmark's hand-written SQL counts what the selectors count (benchmarks/selectors_bench.py).

`make bench` marks a row «ЦИФРЫ РАСХОДЯТСЯ» when they differ, but it runs on L data only by hand; here every
case runs on small random municipalities from the generator, so a definition changed in a selector (say, the
region's numerator moved from credited to approved routes) fails `make test` until the floor query follows.
The SQL is PostgreSQL's (FILTER, ANY), so the test runs where DATABASE_URL is PostgreSQL (.ci/run).
"""

import os

import pytest

from benchmarks.selectors_bench import cases
from devdata import generator
from devdata.generator import Size, generate

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                       reason="the hand-written SQL is PostgreSQL's; DATABASE_URL is not PostgreSQL"),
]


@pytest.mark.parametrize("seed", [1, 2])
def test_every_hand_written_query_gives_the_selectors_figures(monkeypatch, seed):
    monkeypatch.setitem(generator.SIZES, "T", Size("T", municipalities=2, organisations=4, staff=60,
                                                   activities_per_route=5, scores_per_person=4))
    generate("T", seed=seed, history=False)
    for case in cases():
        assert case.selector() == case.hand(), case.name
