"""The web app: server-rendered pages for staff and admins, and a JSON API."""

from tracker.web.app import create_app, create_app_from_env

__all__ = ["create_app", "create_app_from_env"]
