"""The top floor: the app factory, which puts every package together, and the front page."""
from commons.app import create_app

__all__ = ["create_app"]
