"""Contract outcome pages.

Public: /tenders/<id>/contract/outcomes (targets against actuals, payments, ratings, timeline)
Provider of the contract: /tenders/<id>/contract/outcomes/<oid>/return (submit, answer a query, correct)
Parties and auditors: /tenders/<id>/contract/returns/<rid> and its evidence files
Owning commissioners: verify, query, dispute, resolve; calculate and approve statements; rate; set terms
"""
from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from core import clock, storage
from core.errors import RuleViolation
from core.extensions import db
from core.forms import apply_violation, attempt
from core.guards import require
from core.parsing import whole_number
from forum.attachments import Upload
from outcomes import (
    figures,
    policy,
    worklist,  # noqa: F401  (its "my work" providers register with the blueprint)
)
from outcomes.forms import (
    ApproveForm,
    CalculateForm,
    DisputeForm,
    QueryForm,
    RatingForm,
    ResolveForm,
    ReturnForm,
    TermsForm,
    VerifyForm,
)
from outcomes.models import (
    ContractOutcome,
    EvidenceFile,
    Measure,
    OutcomeReturn,
    OutcomeTerms,
    PaymentStatement,
    ReturnStatus,
    StatementStatus,
)
from outcomes.periods import reporting_periods
from outcomes.services import ratings, returns, setup, statements
from outcomes.services.common import outcomes_for, parse_decimal, terms_for
from outcomes.services.returns import Figures, StratumInput
from tenders.models import Contract, Procurement
from tenders.services import evaluation
from tenders.views.common import procurement_context, procurement_panel, visible_procurement

bp = Blueprint("outcomes", __name__)


def _contract(procurement: Procurement) -> Contract:
    contract = evaluation.contract_for(procurement)
    if contract is None or terms_for(contract) is None:
        abort(404)
    return contract


def _outcome(contract: Contract, outcome_id: int) -> ContractOutcome:
    outcome = db.get_or_404(ContractOutcome, outcome_id)
    if outcome.contract_id != contract.id:
        abort(404)
    return outcome


def _return(contract: Contract, return_id: int) -> OutcomeReturn:
    found = db.get_or_404(OutcomeReturn, return_id)
    if found.contract_id != contract.id:
        abort(404)
    return found


def _decider(procurement_id: int) -> tuple[Procurement, Contract]:
    procurement = visible_procurement(procurement_id)
    contract = _contract(procurement)
    require(policy.can_decide(current_user, procurement), "outcomes.decide")
    return procurement, contract


def _terms(contract: Contract) -> OutcomeTerms:
    """The contract's outcome terms: a contract without them has no outcome pages (see _contract)."""
    terms = terms_for(contract)
    if terms is None:
        abort(404)
    return terms


def _periods(contract: Contract) -> list[tuple[str, str]]:
    terms = _terms(contract)
    return [(p.label, f"{p.label} ({p.start:%-d %B %Y} to {p.end:%-d %B %Y})")
            for p in reporting_periods(terms.starts_on, terms.ends_on, contract.ended_on, terms.period_months,
                                       clock.utcnow().date())]


def _whole(text: str | None, field: str, problems: dict[str, str]) -> int | None:
    cleaned = (text or "").strip().replace(",", "")
    if not cleaned:
        return None
    number = whole_number(cleaned)
    if number is None:
        problems[field] = "Enter a whole number, like 12"
    return number


def _number(text: str | None, field: str, problems: dict[str, str]) -> Decimal | None:
    try:
        return parse_decimal(text)
    except ValueError:
        problems[field] = "Enter a number, like 12.5"
        return None


def parse_strata(text: str | None, problems: dict[str, str]) -> tuple[StratumInput, ...]:
    """Rows of "intensity, age band, cohort, achieved"; a row that does not read is reported with its line."""
    rows = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(",")]
        if len(parts) != 4 or whole_number(parts[2]) is None or whole_number(parts[3]) is None:
            problems["strata"] = (f"Line {number} must read: need intensity, age band, how many, how many achieved "
                                  "(for example: high, 11-15, 6, 4)")
            return ()
        rows.append(StratumInput(parts[0].lower().replace(" ", "_"), parts[1].replace(" ", ""), int(parts[2]),
                                 int(parts[3])))
    return tuple(rows)


def _figures(form: Any, measure: str, problems: dict[str, str]) -> Figures:
    value = _number(form.value.data, "value", problems)
    if measure == Measure.MILESTONE and getattr(form, "milestone_met", None) is not None:
        value = {"yes": Decimal(1), "no": Decimal(0)}.get(form.milestone_met.data or "", value)
    distance = getattr(form, "distance_travelled", None)
    return Figures(cohort=_whole(form.cohort.data, "cohort", problems),
                   achieved=_whole(form.achieved.data, "achieved", problems), value=value,
                   distance_travelled=_number(distance.data, "distance_travelled", problems) if distance else None,
                   strata=parse_strata(form.strata.data, problems))


def _uploads(field: Any) -> list[Upload]:
    return [Upload(filename=f.filename, data=f.read()) for f in (field.data or []) if getattr(f, "filename", "")]


# ---------------------------------------------------------------- the contract page panel and the outcomes page


@procurement_panel
def outcomes_panel(procurement: Procurement) -> dict[str, Any]:
    """The contract section's link to the outcomes, with the latest statement's figures."""
    if procurement.stage != "contract":
        return {"outcomes_terms": None}
    contract = evaluation.contract_for(procurement)
    if contract is None:
        return {"outcomes_terms": None}
    terms = terms_for(contract)
    if terms is None:
        return {"outcomes_terms": None}
    approved = [s for s in statements.statements_for(contract) if s.status == StatementStatus.APPROVED]
    return {"outcomes_terms": terms, "outcomes_count": len(terms.outcomes),
            "outcomes_latest": approved[-1] if approved else None}


@bp.route("/tenders/<int:procurement_id>/contract/outcomes")
def contract(procurement_id: int):
    procurement = visible_procurement(procurement_id)
    contract = _contract(procurement)
    full = policy.sees_full_figures(current_user, contract, procurement)
    today = clock.utcnow().date()
    results = figures.contract_results(contract, today, full=full)
    shown = statements.statements_for(contract)
    entries = figures.timeline(contract)
    decide = policy.can_decide(current_user, procurement)
    calculate_form = CalculateForm(formdata=None)
    calculate_form.period.choices = _periods(contract)
    private = policy.can_view_private(current_user, contract, procurement)
    all_returns = returns.returns_for(contract) if private else []
    return render_template(
        "outcomes/contract.html", contract=contract, terms=terms_for(contract), results=results, full=full,
        statements=shown, payment_chart=figures.payment_chart(shown) if shown else None,
        ratings=ratings.ratings_for(contract, published_only=not private), timeline=entries,
        timeline_chart=figures.timeline_chart(contract, entries) if entries else None,
        decide=decide, submit=policy.can_submit(current_user, contract), private=private,
        returns=all_returns, waiting=[r for r in all_returns if r.status == ReturnStatus.SUBMITTED],
        calculate_form=calculate_form, approve_form=ApproveForm(formdata=None),
        approvable={s.id for s in shown if s.status == StatementStatus.CALCULATED
                    and policy.can_approve_statement(current_user, procurement, statements.verifiers_of(s))},
        terms_open=decide and not setup.has_returns(contract), **procurement_context(procurement))


# ---------------------------------------------------------------- provider: returns


@bp.route("/tenders/<int:procurement_id>/contract/outcomes/<int:outcome_id>/return", methods=["GET", "POST"])
@login_required
def submit(procurement_id: int, outcome_id: int):
    procurement = visible_procurement(procurement_id)
    contract = _contract(procurement)
    require(policy.can_submit(current_user, contract), "outcomes.return_submit")
    outcome = _outcome(contract, outcome_id)
    form = ReturnForm()
    form.period.choices = [("", "Choose a period")] + _periods(contract)
    if request.method == "GET" and request.args.get("period"):
        form.period.data = request.args["period"]
    standing = returns.live_return(outcome, form.period.data) if form.period.data else None
    if form.validate_on_submit():
        problems: dict[str, str] = {}
        figures_in = _figures(form, outcome.measure, problems)
        if problems:
            apply_violation(form, RuleViolation(problems))
        else:
            done = attempt(form, returns.submit_return, outcome, current_user, period=form.period.data,
                           figures=figures_in, narrative_md=form.narrative.data or "",
                           files=_uploads(form.evidence),
                           confirmed_not_child_data=bool(form.confirm_no_child_data.data), now=clock.utcnow())
            if done.ok:
                flash("Your return is submitted. A commissioner will verify it.", "success")
                return redirect(url_for("outcomes.return_show", procurement_id=procurement.id,
                                        return_id=done.value.id))
    return render_template("outcomes/submit.html", form=form, contract=contract, outcome=outcome,
                           standing=standing, **procurement_context(procurement))


@bp.route("/tenders/<int:procurement_id>/contract/returns/<int:return_id>")
@login_required
def return_show(procurement_id: int, return_id: int, forms: dict[str, Any] | None = None):
    procurement = visible_procurement(procurement_id)
    contract = _contract(procurement)
    require(policy.can_view_private(current_user, contract, procurement), "outcomes.return_view")
    found = _return(contract, return_id)
    decide = policy.can_decide(current_user, procurement)
    forms = forms or {}
    resolve_form = forms.get("resolve") or ResolveForm(formdata=None)
    return render_template(
        "outcomes/return.html", contract=contract, ret=found, outcome=found.outcome,
        superseded_by=db.session.scalar(db.select(OutcomeReturn).where(OutcomeReturn.supersedes_id == found.id)),
        decide=decide and found.status == ReturnStatus.SUBMITTED,
        resolve=decide and found.status == ReturnStatus.DISPUTED,
        resubmit=policy.can_submit(current_user, contract) and found.status in returns.SUPERSEDABLE,
        verify_form=forms.get("verify") or VerifyForm(formdata=None),
        query_form=forms.get("query") or QueryForm(formdata=None, prefix="query"),
        dispute_form=forms.get("dispute") or DisputeForm(formdata=None, prefix="dispute"),
        resolve_form=resolve_form, **({"form": next(iter(forms.values()))} if forms else {}),
        **procurement_context(procurement))


@bp.post("/tenders/<int:procurement_id>/contract/returns/<int:return_id>/verify")
@login_required
def verify(procurement_id: int, return_id: int):
    procurement, contract = _decider(procurement_id)
    found = _return(contract, return_id)
    form = VerifyForm()
    if form.validate_on_submit():
        done = attempt(form, returns.verify_return, found, current_user, now=clock.utcnow())
        if done.ok:
            flash("The return is verified: its payment counts in the period's statement.", "success")
            return redirect(url_for("outcomes.return_show", procurement_id=procurement.id, return_id=found.id))
    return return_show(procurement_id, return_id, forms={"verify": form})


def _held_back(procurement_id: int, return_id: int, name: str, form: QueryForm | DisputeForm, service: Any,
               message: str):
    """A query or a dispute from the return page: done, or the page again with the reason's message."""
    procurement, contract = _decider(procurement_id)
    found = _return(contract, return_id)
    if form.validate_on_submit():
        done = attempt(form, service, found, current_user, reason=form.reason.data, now=clock.utcnow())
        if done.ok:
            flash(message, "success")
            return redirect(url_for("outcomes.return_show", procurement_id=procurement.id, return_id=found.id))
    return return_show(procurement_id, return_id, forms={name: form})


@bp.post("/tenders/<int:procurement_id>/contract/returns/<int:return_id>/query")
@login_required
def query(procurement_id: int, return_id: int):
    return _held_back(procurement_id, return_id, "query", QueryForm(prefix="query"), returns.query_return,
                      "The return is queried. The provider answers by resubmitting it.")


@bp.post("/tenders/<int:procurement_id>/contract/returns/<int:return_id>/dispute")
@login_required
def dispute(procurement_id: int, return_id: int):
    return _held_back(procurement_id, return_id, "dispute", DisputeForm(prefix="dispute"), returns.dispute_return,
                      "The return is disputed. Nothing is paid on it until the dispute is resolved.")


@bp.post("/tenders/<int:procurement_id>/contract/returns/<int:return_id>/resolve")
@login_required
def resolve(procurement_id: int, return_id: int):
    procurement, contract = _decider(procurement_id)
    found = _return(contract, return_id)
    form = ResolveForm()
    if form.validate_on_submit():
        problems: dict[str, str] = {}
        amended = _figures(form, found.outcome.measure, problems) if form.resolution.data == "amended" else None
        if problems:
            apply_violation(form, RuleViolation(problems))
        else:
            done = attempt(form, returns.resolve_dispute, found, current_user, resolution=form.resolution.data,
                           reason=form.reason.data, amended=amended, now=clock.utcnow())
            if done.ok:
                flash("The dispute is resolved and the resolution recorded.", "success")
                return redirect(url_for("outcomes.return_show", procurement_id=procurement.id,
                                        return_id=done.value.id))
    return return_show(procurement_id, return_id, forms={"resolve": form})


@bp.route("/tenders/<int:procurement_id>/contract/evidence/<int:file_id>")
@login_required
def evidence_file(procurement_id: int, file_id: int) -> Response:
    procurement = visible_procurement(procurement_id)
    contract = _contract(procurement)
    require(policy.can_download_evidence(current_user, contract, procurement), "outcomes.evidence")
    found = db.get_or_404(EvidenceFile, file_id)
    if _return(contract, found.return_id) is None:
        abort(404)
    return storage.download(found.file, filename=found.filename, mimetype="application/octet-stream")


# ---------------------------------------------------------------- commissioners: statements, ratings, terms


@bp.post("/tenders/<int:procurement_id>/contract/statements")
@login_required
def calculate(procurement_id: int):
    procurement, contract = _decider(procurement_id)
    form = CalculateForm()
    form.period.choices = _periods(contract)
    if form.validate_on_submit():
        done = attempt(None, statements.calculate_statement, contract, current_user, period=form.period.data,
                       now=clock.utcnow())
        if done.ok:
            flash(f"The {form.period.data} statement is calculated. A second commissioner approves it.", "success")
    else:
        flash("Choose a period that has ended", "error")
    return redirect(url_for("outcomes.contract", procurement_id=procurement.id) + "#payments")


@bp.post("/tenders/<int:procurement_id>/contract/statements/<int:statement_id>/approve")
@login_required
def approve(procurement_id: int, statement_id: int):
    procurement, contract = _decider(procurement_id)
    statement = db.get_or_404(PaymentStatement, statement_id)
    if statement.contract_id != contract.id:
        abort(404)
    form = ApproveForm()
    if form.validate_on_submit():
        done = attempt(None, statements.approve_statement, statement, current_user, now=clock.utcnow())
        if done.ok:
            flash(f"The {statement.period} statement is approved. It will not change again.", "success")
    return redirect(url_for("outcomes.contract", procurement_id=procurement.id) + "#payments")


@bp.route("/tenders/<int:procurement_id>/contract/ratings/new", methods=["GET", "POST"])
@login_required
def rate(procurement_id: int):
    procurement, contract = _decider(procurement_id)
    form = RatingForm()
    form.outcome.choices = [("", "Choose an outcome")] + [(str(o.id), o.label) for o in outcomes_for(contract)]
    form.period.choices = [("", "Choose a period")] + _periods(contract)
    terms = terms_for(contract)
    if form.validate_on_submit():
        outcome = _outcome(contract, int(form.outcome.data))
        done = attempt(form, ratings.rate, outcome, current_user, period=form.period.data, rating=form.rating.data,
                       rationale=form.rationale.data, publish=bool(form.publish.data), now=clock.utcnow())
        if done.ok:
            flash("The rating is recorded.", "success")
            return redirect(url_for("outcomes.contract", procurement_id=procurement.id) + "#ratings")
    return render_template("outcomes/rate.html", form=form, contract=contract, terms=terms,
                           **procurement_context(procurement))


def _tiers(text: str | None, problems: dict[str, str]) -> tuple[tuple[Decimal, int], ...]:
    tiers = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip().rstrip("%") for p in line.split(",")]
        try:
            threshold = parse_decimal(parts[0]) if len(parts) == 2 else None
        except ValueError:
            threshold = None
        if threshold is None or whole_number(parts[1], max_digits=3) is None:
            problems["tiers"] = f"Line {number} must read: threshold, percent earned (for example: 60, 50)"
            return ()
        tiers.append((threshold, int(parts[1])))
    return tuple(tiers)


@bp.route("/tenders/<int:procurement_id>/contract/outcomes/<int:outcome_id>/terms", methods=["GET", "POST"])
@login_required
def terms(procurement_id: int, outcome_id: int):
    procurement, contract = _decider(procurement_id)
    outcome = _outcome(contract, outcome_id)
    held = _terms(contract)
    form = TermsForm(data=None if request.method == "POST" else {
        "measure": outcome.measure, "direction": outcome.direction, "formula": outcome.formula,
        "baseline": format(outcome.baseline.normalize(), "f"), "target": format(outcome.target.normalize(), "f"),
        "tiers": "\n".join(f"{t}, {p}" for t, p in json.loads(outcome.tiers or "[]")),
        "at_risk_percent": str(outcome.at_risk_percent), "cap_percent": str(outcome.cap_percent),
        "period_months": str(held.period_months)})
    if form.validate_on_submit():
        problems: dict[str, str] = {}
        agreed = setup.AgreedTerms(
            measure=form.measure.data, direction=form.direction.data, formula=form.formula.data,
            baseline=_number(form.baseline.data, "baseline", problems),
            target=_number(form.target.data, "target", problems),
            at_risk_percent=_whole(form.at_risk_percent.data, "at_risk_percent", problems),
            cap_percent=_whole(form.cap_percent.data, "cap_percent", problems),
            tiers=_tiers(form.tiers.data, problems))
        if problems:
            apply_violation(form, RuleViolation(problems))
        else:
            months = whole_number(form.period_months.data, max_digits=3)
            done = attempt(form, setup.agree_terms, outcome, current_user, agreed, period_months=months,
                           now=clock.utcnow())
            if done.ok:
                flash("The payment terms are saved.", "success")
                return redirect(url_for("outcomes.contract", procurement_id=procurement.id))
    return render_template("outcomes/terms.html", form=form, contract=contract, outcome=outcome,
                           open=not setup.has_returns(contract), **procurement_context(procurement))
