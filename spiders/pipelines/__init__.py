"""Item pipelines, one small step per module: normalise, then store (or collect)."""
