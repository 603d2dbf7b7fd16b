"""Private conversations, bilateral contacts and their disclosures: the information-parity ledger (equal information).

Commissioners and providers: /messages (inbox), /messages/new, /messages/<id> (read and reply),
                             /messages/<id>/procurement (commissioning side marks what it concerns)
Commissioners:               /messages/contacts (contacts to resolve), /messages/contacts/<id>,
                             /messages/contacts/<id>/disclose, /messages/contacts/<id>/not-material,
                             /messages/contacts/<id>/not-about-live-procurement (a contact naming no procurement)
Auditors read every conversation and contact. The procurement page shows the
disclosures and the forum meetings' minutes and documents (public).
"""
from __future__ import annotations

import re
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from accounts.models import Organisation
from core import clock
from core.database import MAX_ID
from core.errors import RuleViolation
from core.extensions import db
from core.forms import apply_violation, attempt
from core.guards import require
from core.transactions import call_service
from tenders.forms.ledger import (
    DisclosureForm,
    MessageForm,
    NewConversationForm,
    NotAboutLiveForm,
    NotMaterialForm,
    TagForm,
)
from tenders.models import Procurement
from tenders.models.ledger import Contact, Conversation
from tenders.policy import ledger as policy
from tenders.services import ledger
from tenders.services.ledger import RedactionInput
from tenders.views.blueprint import bp
from tenders.views.common import may_record_refusal, procurement_panel

_ROW = re.compile(r"^redactions-(\d+)-(what|reason)$")


@bp.app_context_processor
def _ledger_navigation() -> dict[str, Any]:
    """The "Messages" link in the site navigation, for the people who hold conversations."""
    return {"ledger_nav": policy.can_use_messages(current_user)}


@procurement_panel
def _ledger_panel(procurement: Procurement) -> dict[str, Any]:
    return {
        "ledger_resolved": ledger.resolved_contacts(procurement),
        "ledger_unresolved_count": len(ledger.unresolved_contacts(procurement)),
        "ledger_meetings": ledger.meeting_records(procurement),
        "ledger_flags": {"todo": policy.can_see_contacts_to_resolve(current_user)},
    }


# ---------------------------------------------------------------- conversations


@login_required
def ledger_inbox():
    require(policy.can_see_inbox(current_user), "ledger.inbox")
    return render_template("tenders/ledger/inbox.html", conversations=ledger.conversations_for(current_user),
                           flags={"start": policy.can_use_messages(current_user),
                                  "todo": policy.can_see_contacts_to_resolve(current_user)})


def _new_form() -> NewConversationForm:
    form = NewConversationForm()
    form.organisation.choices = [("", "Choose an organisation")] + [
        (str(o.id), o.name) for o in ledger.message_targets(current_user)]
    form.procurement.choices = [("", "Not about a particular procurement")] + [
        (str(p.id), f"{p.reference}: {p.title} ({p.owner.name})") for p in ledger.procurement_choices(current_user)]
    return form


def _get(model: type, raw: str | None) -> Any:
    return db.session.get(model, int(raw)) if raw and raw.isdigit() else None


@login_required
def ledger_new():
    require(policy.can_use_messages(current_user), "ledger.conversation.start")
    form = _new_form()
    if request.method == "GET" and request.args.get("procurement", "").isdigit():
        form.procurement.data = request.args["procurement"]
    if form.validate_on_submit():
        done = attempt(form, ledger.start_conversation, current_user,
                       organisation=_get(Organisation, form.organisation.data),
                       procurement=_get(Procurement, form.procurement.data),
                       subject=form.subject.data, body_md=form.body.data, now=clock.utcnow())
        if done.ok:
            conversation = done.value
            flash("Message sent." + (" It is logged as a bilateral contact."
                                     if ledger.contacts_of(conversation) else ""), "success")
            return redirect(url_for("tenders.ledger_conversation", conversation_id=conversation.id))
    return render_template("tenders/ledger/new.html", form=form), 400 if form.errors else 200


def _conversation_page(conversation: Conversation, form: MessageForm, tag_form: TagForm, status: int = 200) -> Any:
    contacts = ledger.contacts_of(conversation)
    return render_template("tenders/ledger/conversation.html", conversation=conversation, form=form,
                           tag_form=tag_form, contacts=contacts,
                           flags={"send": policy.can_send_message(current_user, conversation),
                                  "tag": policy.can_tag_conversation(current_user, conversation),
                                  "contacts": any(policy.can_read_contact(current_user, c) for c in contacts),
                                  "live": bool(ledger.live_procurements(conversation.commissioner_org_id,
                                                                        clock.utcnow()))}), status


def _tag_form(formdata: Any = None) -> TagForm:
    form = TagForm(formdata=formdata)
    form.procurement.choices = [("", "Choose a procurement")] + [
        (str(p.id), f"{p.reference}: {p.title}") for p in ledger.procurement_choices(current_user)]
    return form


@login_required
def ledger_conversation(conversation_id: int):
    may_record_refusal()
    conversation = db.get_or_404(Conversation, conversation_id)
    call_service(ledger.read_conversation, conversation, current_user)
    form = MessageForm()
    if form.validate_on_submit():
        done = attempt(
            form, ledger.send_message, conversation, current_user, body_md=form.body.data, now=clock.utcnow()
        )
        if done.ok:
            flash("Message sent.", "success")
            return redirect(url_for("tenders.ledger_conversation", conversation_id=conversation.id))
        return _conversation_page(conversation, form, _tag_form(None), 400)
    return _conversation_page(conversation, form, _tag_form(None), 400 if form.errors else 200)


@login_required
def ledger_tag(conversation_id: int):
    conversation = db.get_or_404(Conversation, conversation_id)
    require(policy.can_read_conversation(current_user, conversation), "ledger.conversation.tag")
    form = _tag_form(request.form)
    if form.validate_on_submit():
        procurement = _get(Procurement, form.procurement.data)
        done = attempt(form, ledger.tag_conversation, conversation, current_user, procurement, now=clock.utcnow())
        if done.ok and procurement is not None:  # tagging refuses a conversation without a procurement
            contact = done.value
            flash(f"The conversation is marked as concerning {procurement.reference}."
                  + (" Its messages are a bilateral contact about it, to resolve."
                     if contact else ""), "success")
            return redirect(url_for("tenders.ledger_conversation", conversation_id=conversation.id))
    return _conversation_page(conversation, MessageForm(formdata=None), form, 400)


# ---------------------------------------------------------------- contacts (commissioners)


@login_required
def ledger_contacts():
    require(policy.can_see_contacts_to_resolve(current_user), "ledger.contacts")
    return render_template("tenders/ledger/contacts.html",
                           todo=ledger.contacts_to_resolve(current_user.organisation_id, clock.utcnow()))


def _disclose_form(contact: Contact, formdata: Any = None) -> DisclosureForm:
    """The disclosure form; for an untagged contact, the procurements it can go to, those its messages name ticked."""
    form = DisclosureForm(formdata=formdata, prefix="disclose")
    if not contact.is_tagged:
        form.procurements.choices = [(str(p.id), f"{p.reference}: {p.title}")
                                     for p in ledger.disclosure_choices(contact)]
        if formdata is None:
            form.procurements.data = [str(p.id) for p in ledger.named_procurements(contact, clock.utcnow())]
    return form


def _contact_page(contact: Contact, disclose_form: DisclosureForm | None = None,
                  not_material_form: NotMaterialForm | None = None,
                  not_about_live_form: NotAboutLiveForm | None = None, status: int = 200) -> Any:
    resolve = policy.can_resolve_contact(current_user, contact) and not contact.is_resolved
    # The layout's breadcrumbs and caption are the procurement's; a contact naming none has no such page.
    about = {"procurement": contact.procurement} if contact.is_tagged else {}
    if disclose_form is None:
        disclose_form = _disclose_form(contact)
    if not_material_form is None:
        not_material_form = NotMaterialForm(formdata=None, prefix="notmaterial")
    if not_about_live_form is None:
        not_about_live_form = NotAboutLiveForm(formdata=None, prefix="notlive")
    return render_template("tenders/ledger/contact.html", contact=contact, **about, disclose_form=disclose_form,
                           not_material_form=not_material_form, not_about_live_form=not_about_live_form,
                           overdue=ledger.is_overdue(contact, clock.utcnow()),
                           named=[] if contact.is_tagged else ledger.named_procurements(contact, clock.utcnow()),
                           flags={"resolve": resolve, "choose_procurements": resolve and not contact.is_tagged,
                                  "not_material": resolve and contact.is_tagged,
                                  "not_about_live": resolve and not contact.is_tagged}), status


def _contact(contact_id: int) -> Contact:
    contact = db.get_or_404(Contact, contact_id)
    return call_service(ledger.read_contact, contact, current_user)


@login_required
def ledger_contact(contact_id: int):
    may_record_refusal()
    contact = _contact(contact_id)
    return _contact_page(contact)


def _chosen_procurements(raw: list[str] | None) -> list[Procurement]:
    """The ticked procurements that exist; whether they may be chosen is the service's rule."""
    ids = {int(value) for value in raw or [] if value.isdigit() and int(value) <= MAX_ID}
    return [p for p in (db.session.get(Procurement, i) for i in sorted(ids)) if p is not None]


def _show_row_errors(form: DisclosureForm, exc: RuleViolation) -> None:
    """Redaction row errors go next to their row's field as well as in the summary."""
    for key, message in exc.reasons.items():
        match = _ROW.match(key)
        if match and int(match.group(1)) <= len(form.redactions):
            field = form.redactions[int(match.group(1)) - 1].form[match.group(2)]
            field.errors = [*field.errors, message]


@login_required
def ledger_disclose(contact_id: int):
    contact = db.get_or_404(Contact, contact_id)
    require(policy.can_resolve_contact(current_user, contact), "ledger.contact.disclose")
    form = _disclose_form(contact, request.form)
    if form.validate_on_submit():
        rows = [RedactionInput(entry.form.what.data or "", entry.form.reason.data or "") for entry in form.redactions]
        chosen = None if contact.is_tagged else _chosen_procurements(form.procurements.data)
        try:
            call_service(ledger.disclose_contact, contact, current_user, summary_md=form.summary.data,
                         redactions=rows, now=clock.utcnow(), procurements=chosen)
        except RuleViolation as exc:
            apply_violation(form, exc)
            _show_row_errors(form, exc)
        else:
            if contact.is_tagged:
                flash("The disclosure is published on the procurement page and sent to every participant.",
                      "success")
                return redirect(url_for("tenders.show", procurement_id=contact.procurement_id) + "#disclosures")
            flash("The disclosure is published on the page of "
                  + ", ".join(p.reference for p in contact.disclosed_to)
                  + " and sent to every participant.", "success")
            return redirect(url_for("tenders.ledger_contacts"))
    return _contact_page(contact, disclose_form=form, status=400)


@login_required
def ledger_not_material(contact_id: int):
    contact = db.get_or_404(Contact, contact_id)
    require(policy.can_resolve_contact(current_user, contact), "ledger.contact.not_material")
    form = NotMaterialForm(prefix="notmaterial")
    if form.validate_on_submit():
        done = attempt(
            form, ledger.mark_not_material, contact, current_user, reason=form.reason.data, now=clock.utcnow()
        )
        if done.ok:
            flash("The contact is marked not material. The procurement page lists its date and the provider.",
                  "success")
            return redirect(url_for("tenders.ledger_contacts"))
    return _contact_page(contact, not_material_form=form, status=400)


@login_required
def ledger_not_about_live(contact_id: int):
    contact = db.get_or_404(Contact, contact_id)
    require(policy.can_resolve_contact(current_user, contact), "ledger.contact.not_about_live_procurement")
    form = NotAboutLiveForm(prefix="notlive")
    if form.validate_on_submit():
        done = attempt(form, ledger.mark_not_about_live_procurement, contact, current_user, reason=form.reason.data,
                       now=clock.utcnow())
        if done.ok:
            flash("The contact is marked not about any live procurement. Auditors see your reason in the "
                  "contacts register.", "success")
            return redirect(url_for("tenders.ledger_contacts"))
    return _contact_page(contact, not_about_live_form=form, status=400)
