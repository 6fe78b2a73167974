"""`python -m tracker.web --host H --port P --config C`: the same as `tracker serve`."""

import typer

from tracker.cli.web import serve

if __name__ == "__main__":
    typer.run(serve)
