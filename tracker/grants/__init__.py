"""360Giving grant history: importing funders' published grants, and figures about them."""

from tracker.grants.names import name_key

__all__ = ["name_key"]
