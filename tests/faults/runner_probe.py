"""A crawl runner in a process of its own, as the scheduler or `tracker crawl` runs one, so
a test can kill the runner and its crawl together. Prints the crawl's events as JSON lines.

    python -m tests.faults.runner_probe SETTINGS_JSON SOURCE_NAME
"""

from __future__ import annotations

import json
import sys

from jobs.crawl_runner import run_crawl
from tracker.config import Settings

if __name__ == "__main__":
    settings = Settings.model_validate_json(sys.argv[1])
    run_crawl(settings, [sys.argv[2]], on_event=lambda event: print(json.dumps(event), flush=True))
