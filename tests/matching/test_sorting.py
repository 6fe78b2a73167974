"""The radix sorts order exactly as numpy's stable sorts do."""

from __future__ import annotations

import numpy as np
import pytest

from tracker.matching.sorting import descending, lexsort, stable_order


@pytest.mark.parametrize("n", [0, 1, 7, 5000])
def test_lexsort_orders_as_numpy_does_with_ties_and_wide_keys(n: int) -> None:
    rng = np.random.default_rng(n)
    weight = rng.choice([0.0, 1e-300, 0.5, 2.0, 3e10], n) * rng.choice([1.0, 1.0, 0.3], n)
    term = rng.choice([0, 1, 2**16 - 1, 2**16, 2**31 - 1], n)
    group = np.sort(rng.integers(0, 4, n))
    got = lexsort([term.max(initial=0) - term, descending(weight), group])
    assert got.tolist() == np.lexsort((-term, -weight, group)).tolist()
    assert stable_order(term).tolist() == np.argsort(term, kind="stable").tolist()
