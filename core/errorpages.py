"""Generic error pages: a clear message, never a stack trace, never a half-made change."""
from __future__ import annotations

from flask import Flask, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from core.errors import NotPermitted
from core.extensions import db
from core.guards import record_refusal_now

MESSAGES = {
    400: ("Something was wrong with that request", "Go back, check what you entered and try again."),
    401: ("Sign in to see this page", "You need to sign in first."),
    403: ("You cannot see or do this", "Your account does not have permission for this page or action."),
    404: (
        "Page not found",
        "If you typed the web address, check it is correct. If you pasted it, check you copied the whole address.",
    ),
    405: ("That is not allowed here", "This page cannot be used that way. Go back and use the buttons on the page."),
    413: (
        "What you sent is too large",
        "The form or file was larger than we accept. Make it smaller and try again: nothing was saved.",
    ),
    429: ("Too many attempts", "You have tried this too many times. Wait a few minutes and try again."),
    500: ("Sorry, there is a problem with the service", "Nothing you submitted was saved. Try again later."),
}


def _page(code: int, detail: str | None = None, fix: tuple[str, str] | None = None):
    title, message = MESSAGES.get(code, MESSAGES[500])
    return render_template("errors/error.html", code=code, title=title, message=detail or message, fix=fix), code


def _audit_refusal(attempted: str, reason: str) -> None:
    """Record a security-relevant refusal (raised before any view ran, so nothing else is pending)."""
    record_refusal_now(current_user, attempted, reason, actor_label=f"anonymous ({request.remote_addr})",
                       detail={"path": request.path, "method": request.method})


def init_error_pages(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        _audit_refusal("csrf", error.description)
        return _page(
            400, "The form had expired or did not come from this site. Go back, reload the page and try again."
        )

    @app.errorhandler(NotPermitted)
    def not_permitted(error: NotPermitted):
        # Services refuse before changing anything, after auditing the attempt: keep that record.
        db.session.commit()
        return _page(403, str(error) or None, error.fix)

    @app.errorhandler(429)
    def rate_limited(error: HTTPException):
        _audit_refusal("rate_limit", str(error.description))
        return _page(429)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code and error.code >= 500:
            db.session.rollback()
        return _page(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        db.session.rollback()
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return _page(500)
