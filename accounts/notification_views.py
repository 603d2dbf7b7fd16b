"""The notifications page and the header's unread count (routes on the accounts blueprint).

  /notifications                 newest first, unread ones marked "New"
  /notifications/<id>/open       mark one read and go to where it points
  /notifications/read            mark them all read
"""
from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError

from accounts import notifications, policy
from accounts.models import Notification
from accounts.views import bp
from core.extensions import db
from core.forms import ConfirmForm
from core.guards import require
from core.policy import is_safe_redirect
from core.request_args import page_number
from core.transactions import call_service


@bp.app_context_processor
def _notifications_in_header() -> dict[str, Any]:
    """The unread count in the header, on every page.

    A badge must never turn a page (least of all an error page rendered after
    a database failure) into a crash, so a database error here shows no count.
    """
    try:
        return {"notifications_unread": notifications.unread_count(current_user)}
    except SQLAlchemyError:
        db.session.rollback()
        return {"notifications_unread": 0}


@bp.route("/notifications")
@login_required
def notifications_list() -> ResponseReturnValue:
    return render_template("accounts/notifications.html",
                           page=notifications.notifications_page(current_user, page_number()), form=ConfirmForm())


@bp.route("/notifications/<int:notification_id>/open")
@login_required
def open_notification(notification_id: int) -> ResponseReturnValue:
    """Following a notification marks it read; nobody may follow (or mark) someone else's."""
    item = db.session.get(Notification, notification_id)
    if item is None:
        abort(404)
    require(policy.can_open_notification(current_user, item), "notifications.open")
    if item.read_at is None:
        call_service(notifications.mark_read, current_user._get_current_object(), [item.id])
    return redirect(item.url if is_safe_redirect(item.url) else url_for("accounts.notifications_list"))


@bp.route("/notifications/read", methods=["POST"])
@login_required
def read_notifications() -> ResponseReturnValue:
    if ConfirmForm().validate_on_submit():
        count = call_service(notifications.mark_read, current_user._get_current_object())
        flash(f"{count} notification{'s' if count != 1 else ''} marked as read.", "success")
    return redirect(url_for("accounts.notifications_list"))
