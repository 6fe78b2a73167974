"""`tracker serve`: the web app under uvicorn."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from tracker.cli.common import ConfigOption, console, open_context
from tracker.cli.listen import listen, served_url, warn_base_url


def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
    config: ConfigOption = None,
    workers: Annotated[int, typer.Option(help="worker processes (one per core)")] = 2,
    log_level: Annotated[str, typer.Option(help="uvicorn log level")] = "info",
) -> None:
    """Serve the web app (migrates the database first)."""
    import uvicorn

    ctx = open_context(config)
    ctx.engine.dispose()
    # Workers build the app from the environment: pin it to what this command resolved.
    os.environ["TRACKER_HOME"] = str(ctx.settings.data_dir)
    if ctx.settings.config_path is not None:
        os.environ["TRACKER_CONFIG"] = str(ctx.settings.config_path.resolve())
    if ctx.settings.database_url:
        os.environ["TRACKER_DATABASE_URL"] = ctx.settings.database_url
    from tracker.digest.tokens import load_secret

    load_secret(ctx.settings)  # made once here, not raced by the workers
    sock = listen(host, port)
    console.print(f"serving on {served_url(sock)}/", highlight=False)
    warn_base_url(ctx.settings, sock)
    config = uvicorn.Config("tracker.web:create_app_from_env", factory=True, host=host, port=port, workers=workers,
                            log_level=log_level, proxy_headers=False, server_header=False)
    if workers > 1:
        from uvicorn.supervisors import Multiprocess

        Multiprocess(config, sockets=[sock]).run()
    else:
        uvicorn.Server(config).run(sockets=[sock])
