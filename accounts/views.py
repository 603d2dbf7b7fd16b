"""Registration, sign-in, two-factor, passwords, and the administrators' pages.

Every URL of the package is listed here. Views parse the form, call one
service through call_service, and render.
"""
from __future__ import annotations

import time

import segno
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from markupsafe import Markup

from accounts import policy, queries, services, wales_care
from accounts.forms import (
    AccountActionForm,
    ApiTokenForm,
    AssignRoleForm,
    EmailForm,
    LegalFormForm,
    RegisterForm,
    ResetPasswordForm,
    SignInForm,
    TotpForm,
    VerifyOrganisationForm,
)
from accounts.models import ORG_KINDS, ApiToken, Organisation, User
from core.clock import utcnow
from core.errors import NotPermitted, RuleViolation
from core.extensions import db, limiter, login_manager
from core.forms import ConfirmForm, apply_violation, attempt
from core.guards import require
from core.policy import is_safe_redirect
from core.request_args import page_number
from core.transactions import call_service

bp = Blueprint("accounts", __name__)

PENDING_2FA_SECONDS = 300


def _signin_limit() -> str:
    return current_app.config["SIGNIN_RATE_LIMIT"]


login_manager.login_view = "accounts.sign_in"
login_manager.login_message = "Sign in to see that page."
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"
login_manager.user_loader(services.load_user)

# Pages a commissioner, auditor or admin may reach before setting up two-factor sign-in.
SETUP_ENDPOINTS = {"accounts.two_factor_setup", "accounts.sign_out", "static", "core.healthz"}


@bp.before_app_request
def _require_two_factor_setup():
    if request.path.startswith("/api/"):
        return None  # the JSON API ignores the browser session: identity comes from a bearer token only
    if policy.needs_two_factor_setup(current_user) and request.endpoint not in SETUP_ENDPOINTS:
        flash("Your role needs two-factor sign-in. Set it up to continue.", "info")
        return redirect(url_for("accounts.two_factor_setup"))
    return None


def _ip() -> str | None:
    return request.remote_addr


# ---------------------------------------------------------------- registration


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_signin_limit, methods=["POST"])  # each registration sends an email
def register():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.account"))
    form = RegisterForm()
    form.organisation.choices = queries.organisation_choices()
    if form.validate_on_submit():
        organisation, new_org = None, None
        if form.organisation.data == "new":
            new_org = services.NewOrganisation(
                name=form.org_name.data, kind=form.org_kind.data, provider_type=form.provider_type.data,
                council=form.council.data, region=form.region.data, legal_form=form.legal_form.data or None,
            )
        elif form.organisation.data:
            organisation = db.session.get(Organisation, int(form.organisation.data))
        done = attempt(form, services.register, full_name=form.full_name.data, email=form.email.data,
                       password=form.password.data, job_title=form.job_title.data,
                       organisation=organisation, new_organisation=new_org)
        if done.ok:
            return redirect(url_for("accounts.check_email", email=services.normalise_email(form.email.data)))
    return render_template("accounts/register.html", form=form)


@bp.route("/register/check-email")
def check_email():
    return render_template("accounts/check_email.html", email=request.args.get("email", ""))


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm_email(token: str):
    """GET shows a button; only the POST confirms, so link scanners cannot."""
    form = ConfirmForm()
    form.submit.label.text = "Confirm my email address"
    if form.validate_on_submit():
        try:
            user = call_service(services.confirm_email, token)
        except RuleViolation as exc:
            return render_template("accounts/link_problem.html", message=exc.reasons[""]), 400
        flash(f"Thank you, {user.full_name}: your email address is confirmed. You can now sign in.", "success")
        return redirect(url_for("accounts.sign_in"))
    return render_template(
        "accounts/confirm_email.html", form=form, valid=services.check_token(token, "confirm_email") is not None
    )


@bp.route("/confirm/resend", methods=["GET", "POST"])
@limiter.limit(_signin_limit, methods=["POST"])
def resend_confirmation():
    form = EmailForm()
    if form.validate_on_submit():
        call_service(services.resend_confirmation, form.email.data)
        return redirect(url_for("accounts.check_email", email=services.normalise_email(form.email.data)))
    return render_template("accounts/resend_confirmation.html", form=form)


# ---------------------------------------------------------------- signing in and out


def _finish_sign_in(user: User, method: str):
    next_url = session.get("next_after_sign_in")
    session.clear()  # a fresh session on privilege change: no fixation
    login_user(user)
    session.permanent = True
    call_service(services.complete_sign_in, user, ip=_ip(), method=method)
    if policy.needs_two_factor_setup(user):
        return redirect(url_for("accounts.two_factor_setup"))
    return redirect(next_url if is_safe_redirect(next_url) else url_for("accounts.my_work"))


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_signin_limit, methods=["POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.my_work"))
    form = SignInForm()
    if request.method == "GET" and is_safe_redirect(request.args.get("next")):
        session["next_after_sign_in"] = request.args["next"]
    if form.validate_on_submit():
        done = attempt(form, services.authenticate, form.email.data, form.password.data, ip=_ip())
        if done.ok:
            user = done.value
            if user.has_totp:
                session["pending_user"] = user.get_id()
                session["pending_since"] = time.time()
                return redirect(url_for("accounts.sign_in_two_factor"))
            return _finish_sign_in(user, "password")
    return render_template("accounts/sign_in.html", form=form)


def _pending_user() -> User | None:
    if time.time() - session.get("pending_since", 0) > PENDING_2FA_SECONDS:
        return None
    return services.load_user(session.get("pending_user", ""))


@bp.route("/sign-in/two-factor", methods=["GET", "POST"])
@limiter.limit(_signin_limit, methods=["POST"])
def sign_in_two_factor():
    user = _pending_user()
    if user is None:
        flash("Your sign-in timed out. Sign in again.", "info")
        return redirect(url_for("accounts.sign_in"))
    form = TotpForm()
    if form.validate_on_submit():
        done = attempt(form, services.check_totp, user, form.code.data, ip=_ip())
        if done.ok:
            return _finish_sign_in(user, "password+totp")
    return render_template("accounts/sign_in_two_factor.html", form=form)


@bp.route("/sign-out", methods=["POST"])
@login_required
def sign_out():
    form = ConfirmForm()
    if form.validate_on_submit():
        call_service(services.sign_out, current_user._get_current_object())
        logout_user()
        session.clear()
        flash("You have signed out.", "success")
    return redirect(url_for("core.home"))


# ---------------------------------------------------------------- passwords


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_signin_limit, methods=["POST"])
def forgot_password():
    form = EmailForm()
    if form.validate_on_submit():
        call_service(services.request_password_reset, form.email.data, ip=_ip())
        return render_template("accounts/reset_sent.html", email=services.normalise_email(form.email.data))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            call_service(services.reset_password, token, form.password.data)
        except RuleViolation as exc:
            if "" in exc.reasons:
                return render_template("accounts/link_problem.html", message=exc.reasons[""]), 400
            apply_violation(form, exc)
        else:
            flash("Your password has been changed. Sign in with your new password.", "success")
            return redirect(url_for("accounts.sign_in"))
    elif request.method == "GET" and services.check_token(token, "reset_password") is None:
        return render_template("accounts/link_problem.html",
                               message="This link has expired, has already been used or has been replaced "
                                       "by a newer one. Ask for a new one."), 400
    return render_template("accounts/reset_password.html", form=form)


# ---------------------------------------------------------------- your account


@bp.route("/account")
@login_required
def account():
    return render_template("accounts/account.html", user=current_user,
                           two_factor_required=policy.requires_two_factor(current_user),
                           can_hold_api_token=policy.can_hold_api_token(current_user),
                           sign_out_form=ConfirmForm())


@bp.route("/account/two-factor", methods=["GET", "POST"])
@login_required
def two_factor_setup():
    if current_user.has_totp:
        flash("Two-factor sign-in is already set up.", "info")
        return redirect(url_for("accounts.account"))
    secret = session.get("totp_setup_secret") or services.new_totp_secret()
    session["totp_setup_secret"] = secret
    form = TotpForm()
    if form.validate_on_submit():
        done = attempt(form, services.enable_totp, current_user, secret, form.code.data)
        if done.ok:
            session.pop("totp_setup_secret", None)
            flash("Two-factor sign-in is set up. You will need a code each time you sign in.", "success")
            return redirect(url_for("core.home"))
    uri = services.totp_uri(current_user, secret)
    qr = Markup(segno.make(uri, error="m").svg_inline(scale=5, title="QR code for your authenticator app"))
    return render_template("accounts/two_factor_setup.html", form=form, secret=secret, qr=qr)


# ---------------------------------------------------------------- organisations (public)


@bp.route("/organisations")
def organisations():
    kind = request.args.get("kind")
    return render_template("accounts/organisations.html", organisations=queries.public_organisations(kind),
                           kinds=[(k, v) for k, v in ORG_KINDS.items() if k != "operator"], kind=kind)


@bp.route("/organisations/<int:org_id>")
def organisation(org_id: int):
    org = db.get_or_404(Organisation, org_id)
    if org.kind == "operator":
        abort(404)
    return render_template("accounts/organisation.html", org=org,
                           may_set_legal_form=policy.can_set_legal_form(current_user, org),
                           wales_care=wales_care)


@bp.route("/organisations/<int:org_id>/legal-form", methods=["GET", "POST"])
@login_required
def organisation_legal_form(org_id: int):
    org = db.get_or_404(Organisation, org_id)
    if org.kind == "operator":
        abort(404)
    require(policy.can_set_legal_form(current_user, org), "organisation.legal_form")
    form = LegalFormForm(data={"legal_form": org.legal_form} if request.method == "GET" else None)
    if form.validate_on_submit():
        done = attempt(form, services.set_legal_form, org, current_user, form.legal_form.data or None)
        if done.ok:
            flash(f"{org.name}'s legal form is recorded.", "success")
            return redirect(url_for("accounts.organisation", org_id=org.id))
    return render_template("accounts/legal_form.html", org=org, form=form)


# ---------------------------------------------------------------- administration


@bp.route("/admin/organisations")
@login_required
def admin_organisations():
    require(policy.can_administer(current_user), "admin.organisations")
    return render_template("accounts/admin_organisations.html", organisations=queries.organisations_for_review())


@bp.route("/admin/organisations/<int:org_id>", methods=["GET", "POST"])
@login_required
def admin_organisation(org_id: int):
    require(policy.can_administer(current_user), "admin.organisation")
    org = db.get_or_404(Organisation, org_id)
    form = VerifyOrganisationForm(obj=org if request.method == "GET" else None)
    if form.validate_on_submit():
        done = attempt(form, services.verify_organisation, org, current_user, ofsted_urn=form.ofsted_urn.data or "",
                       companies_house_number=form.companies_house_number.data or "",
                       charity_number=form.charity_number.data or "", gss_code=form.gss_code.data or "",
                       note=form.note.data or "")
        if done.ok:
            flash(f"{org.name} is verified.", "success")
            return redirect(url_for("accounts.admin_organisations"))
    return render_template("accounts/admin_organisation.html", org=org, form=form)


@bp.route("/admin/users")
@login_required
def admin_users():
    require(policy.can_administer(current_user), "admin.users")
    page = queries.users_page(page_number())
    forms, action_forms = {}, {}
    for user in page.items:
        form = AssignRoleForm(prefix=f"u{user.id}", formdata=None)
        form.role.data = user.role or ""
        forms[user.id] = form
        action_forms[user.id] = AccountActionForm(prefix=f"a{user.id}", formdata=None)
    return render_template("accounts/admin_users.html", page=page, forms=forms, action_forms=action_forms)


@bp.route("/admin/users/<int:user_id>/account", methods=["POST"])
@login_required
def admin_account_action(user_id: int):
    require(policy.can_administer(current_user), "admin.account_action")
    target = db.get_or_404(User, user_id)
    form = AccountActionForm(prefix=f"a{user_id}")
    if not form.validate_on_submit():
        for messages in form.errors.values():
            for message in messages:
                flash(f"{target.full_name}: {message}", "error")
        return redirect(url_for("accounts.admin_users"))
    actor = current_user._get_current_object()
    try:
        if form.action.data == "reset_two_factor":
            call_service(services.reset_two_factor, target, actor, reason=form.reason.data)
        else:
            call_service(services.set_suspended, target, form.action.data == "suspend", actor, reason=form.reason.data)
    except RuleViolation as exc:
        for message in exc.reasons.values():
            flash(message, "error")
    else:
        flash(f"Done: {dict(form.action.choices)[form.action.data]} for {target.full_name}.", "success")
    return redirect(url_for("accounts.admin_users"))


@bp.route("/admin/users/<int:user_id>/role", methods=["POST"])
@login_required
def admin_assign_role(user_id: int):
    require(policy.can_administer(current_user), "admin.assign_role")
    target = db.get_or_404(User, user_id)
    form = AssignRoleForm(prefix=f"u{user_id}")
    if form.validate_on_submit():
        try:
            call_service(services.assign_role, target, form.role.data or None, current_user)
        except NotPermitted:
            abort(403)
        except RuleViolation as exc:
            for message in exc.reasons.values():
                flash(message, "error")
        else:
            flash(f"{target.full_name} is now: {target.role_label}.", "success")
    else:
        for messages in form.errors.values():
            for message in messages:
                flash(message, "error")
    return redirect(url_for("accounts.admin_users"))


# ---------------------------------------------------------------- personal API tokens


def _token_page(form: ApiTokenForm, *, new_token: str | None = None, status: int = 200):
    tokens = services.api_tokens_of(current_user)
    now = utcnow()
    return render_template("accounts/tokens.html", form=form, new_token=new_token, now=now,
                           tokens=[(t, "Revoked" if t.is_revoked else "Expired" if t.is_expired(now) else "Active")
                                   for t in tokens],
                           revoke_forms={t.id: ConfirmForm(prefix=f"r{t.id}", formdata=None) for t in tokens
                                         if not t.is_revoked}), status, {"Cache-Control": "no-store"}


@bp.route("/account/api-tokens", methods=["GET", "POST"])
@login_required
def api_tokens():
    """List, create (the secret is shown on this response only) and revoke personal API tokens."""
    require(policy.can_hold_api_token(current_user), "api_token.page")
    form = ApiTokenForm()
    if form.validate_on_submit():
        done = attempt(form, services.create_api_token, current_user._get_current_object(),
                       name=form.name.data, expires_on=form.expires_on.data, now=utcnow())
        if done.ok:
            _token, raw = done.value
            # Shown once, in this response; never flashed (the session cookie is signed, not encrypted).
            return _token_page(ApiTokenForm(formdata=None), new_token=raw)
    return _token_page(form, status=200)


@bp.route("/account/api-tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_api_token(token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None:
        abort(404)
    form = ConfirmForm(prefix=f"r{token_id}")
    if form.validate_on_submit():
        try:
            call_service(services.revoke_api_token, token, current_user._get_current_object(), now=utcnow())
        except NotPermitted:
            abort(403)
        except RuleViolation as exc:
            for message in exc.reasons.values():
                flash(message, "error")
        else:
            flash(f"The token “{token.name}” is revoked: it no longer works.", "success")
    return redirect(url_for("accounts.api_tokens"))


# The notifications and "My work" pages live in their own modules, on this blueprint; the
# administrator's items for "My work" register with the work list.
from accounts import notification_views, work_views, worklist  # noqa: E402,F401
