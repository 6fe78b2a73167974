"""A job target for scheduler tests: counts its runs in a file named by the test."""

import os


def bump() -> None:
    path = os.environ["TRACKER_TEST_COUNTER"]
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("run\n")
