"""How forum activity is emailed to a person (the notifications themselves are in accounts)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from core.forms import attempt
from forum import queries, services
from forum.forms import NotificationSettingsForm
from forum.views.common import current_actor


@login_required
def notification_settings() -> ResponseReturnValue:
    form = NotificationSettingsForm() if request.method == "POST" else \
        NotificationSettingsForm(email_mode=queries.email_mode(current_user))
    if form.validate_on_submit():
        done = attempt(form, services.set_email_mode, current_actor(), form.email_mode.data)
        if done.ok:
            flash("Your email settings are saved.", "success")
            return redirect(url_for("accounts.notifications_list"))
    return render_template("forum/notification_settings.html", form=form)
