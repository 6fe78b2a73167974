import os

# The matcher's matrix products are small (a few needs x 24 themes x the calls): with BLAS
# threads they took no less time, and the threads spun on for a while after each, taking
# the second core from crawls (measured: 0.9 s wall either way, 1.7 s CPU with threads, 0.9
# without). Set before numpy loads; an operator's own setting wins.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ.setdefault(_name, "1")
