"""Stable sorts of non-negative integer keys, 16 bits at a time: numpy sorts uint16 keys
stably by radix (a counting sort, linear), several times faster than its comparison sorts."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

_DIGIT = np.uint64(0xFFFF)


def _digits(key: np.ndarray) -> list[np.ndarray]:
    """The key's 16-bit digits, least significant first, as many as its largest value needs."""
    key = key.astype(np.uint64, copy=False)
    top = int(key.max()) if len(key) else 0
    out = [(key & _DIGIT).astype(np.uint16)]
    shift = 16
    while top >> shift:
        out.append(((key >> np.uint64(shift)) & _DIGIT).astype(np.uint16))
        shift += 16
    return out


def lexsort(keys: Sequence[np.ndarray]) -> np.ndarray:
    """`np.lexsort(keys)` (the last key sorts first) for non-negative integer keys."""
    order: np.ndarray | None = None
    for key in keys:
        for digit in _digits(np.asarray(key)):
            step = np.argsort(digit if order is None else digit[order], kind="stable")
            order = step if order is None else order[step]
    return order if order is not None else np.zeros(0, dtype=np.intp)


def stable_order(keys: np.ndarray) -> np.ndarray:
    """`np.argsort(keys, kind="stable")` for non-negative integer keys."""
    return lexsort([keys])


def descending(values: np.ndarray) -> np.ndarray:
    """A non-negative integer key that sorts non-negative floats from the largest down
    (a non-negative double's bits, read as an integer, order as the double does)."""
    return ~np.ascontiguousarray(values, dtype=np.float64).view(np.uint64)
