"""Benchmark pages. Every route of the package, in one place:

GET       /benchmarks                          published benchmarks: funnels, caterpillars, trends, tables, filters
GET       /benchmarks/providers/<org_id>       one provider's published results with its replies
GET       /benchmarks/councils/<council_id>    the providers a council contracts with, against expected
GET, POST /benchmarks/reply                    a provider's own result against anonymised peers, and its note
POST      /benchmarks/runs                     an administrator starts a run
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from accounts.models import Organisation
from benchmarking import policy, presenters, queries, services
from benchmarking.forms import FilterForm, ReplyForm
from benchmarking.method import REPLY_WORKING_DAYS
from benchmarking.publication import peer_label
from benchmarking.report import Filters, report_of
from benchmarking.runs import published, reply_open
from core.clock import utcnow
from core.extensions import db
from core.forms import attempt
from core.guards import require
from tenders.models import CATEGORIES
from tenders.workingdays import uk_date

bp = Blueprint("benchmarks", __name__, url_prefix="/benchmarks")


def _provider_href(org_id: int) -> str:
    return url_for("benchmarks.provider", org_id=org_id)


def _today():
    return uk_date(utcnow())


@bp.get("")
def index():
    today = _today()
    run = queries.latest_published_run(today)
    form = FilterForm(request.args)
    if run is None:
        return render_template("benchmarks/index.html", run=None, form=form, can_start=policy.can_start_run(
            current_user), can_reply=policy.can_see_own_result(current_user), pending=queries.latest_run(today))
    report = report_of(run)
    form.choose([(c, CATEGORIES.get(c, c)) for c in report.categories], list(report.regions), list(report.periods))
    filters = Filters(category=form.category.data or None, region=form.region.data or None,
                      period=form.period.data or None)
    replies = queries.replies_to(run)
    sections = []
    for table, rows in report.tables(filters):
        selected = {row.provider_org_id for row in rows if row.provider_org_id is not None}
        sections.append({
            "table": table,
            "funnel": presenters.funnel_chart(table, rows),
            "caterpillar": presenters.caterpillar_chart(table, rows),
            "trend": presenters.trend_chart(table.indicator, report.periods,
                                            report.trend(table.indicator, selected)),
            "rows": presenters.table_rows(list(rows) + list(table.others), replies, _provider_href),
            "types": presenters.table_rows(list(table.by_type) + [table.total], {}, _provider_href),
        })
    period = filters.period or report.latest_period
    return render_template(
        "benchmarks/index.html", run=run, form=form, sections=sections, period=period,
        costs=presenters.cost_rows(report.costs(period), _provider_href), headers=presenters.TABLE_HEADERS,
        cost_headers=presenters.COST_HEADERS, can_start=policy.can_start_run(current_user),
        can_reply=policy.can_see_own_result(current_user), pending=queries.latest_run(today),
        councils=sorted(report.councils.items(), key=lambda c: c[1].casefold()))


def _organisation(org_id: int, kind: str) -> Organisation:
    """The provider (or commissioning) organisation with this id, or a 404."""
    organisation = db.get_or_404(Organisation, org_id)
    if not (organisation.is_provider if kind == "provider" else organisation.is_commissioning):
        abort(404)
    return organisation


@bp.get("/providers/<int:org_id>")
def provider(org_id: int):
    organisation = _organisation(org_id, "provider")
    run = queries.latest_published_run(_today())
    rows, trend, replies = [], [], {}
    if run is not None:
        report = report_of(run)
        replies = queries.replies_to(run)
        for table, row in report.provider_rows(org_id):
            rows.append({"indicator": table.indicator, "period": table.period,
                         "row": presenters.table_rows([row], replies, _provider_href)[0]})
        for indicator in report.indicators:
            series = report.trend(indicator, {org_id})
            if series:
                trend.append(presenters.trend_chart(indicator, report.periods, series))
    reply = replies.get(org_id) if run is not None else None
    return render_template("benchmarks/provider.html", organisation=organisation, run=run, rows=rows, trend=trend,
                           reply=reply, headers=presenters.TABLE_HEADERS)


@bp.get("/councils/<int:council_id>")
def council(council_id: int):
    organisation = _organisation(council_id, "council")
    run = queries.latest_published_run(_today())
    rows, unnamed = [], 0
    if run is not None:
        report = report_of(run)
        replies = queries.replies_to(run)
        theirs = report.providers_of_council(council_id)
        for table, _ in report.tables(Filters()):
            named = [r for r in table.named if r.provider_org_id in theirs]
            unnamed += len(theirs) - len(named)
            if named:
                rows.append({"table": table, "rows": presenters.table_rows(named, replies, _provider_href)})
    return render_template("benchmarks/council.html", organisation=organisation, run=run, sections=rows,
                           unnamed=unnamed, headers=presenters.TABLE_HEADERS)


@bp.route("/reply", methods=["GET", "POST"])
@login_required
def reply():
    require(policy.can_see_own_result(current_user), "benchmark.reply")
    today = _today()
    run = queries.latest_run(today)
    if run is None:
        return render_template("benchmarks/reply.html", run=None, form=None)
    report = report_of(run)
    if not policy.can_reply_for(current_user, set(report.provider_names())):
        return render_template("benchmarks/reply.html", run=run, form=None, not_in_run=True)
    org_id = current_user.organisation_id
    existing = queries.replies_to(run).get(org_id)
    form = ReplyForm(data={"note": existing.note} if existing and request.method == "GET" else None)
    window_open = reply_open(run.reply_opens_on, run.reply_closes_on, today)
    if request.method == "POST" and form.validate() and attempt(
            form, services.save_reply, run, current_user, form.note.data,
            confirmed_not_child_data=bool(form.confirm_no_child_data.data)).ok:
        return redirect(url_for("benchmarks.reply", saved=1))
    own, peers = [], []
    for key in sorted(report.units):
        unit = report.units[key]
        table = report.published[key]
        mine = next((p for p in unit.providers if p.provider_org_id == org_id), None)
        if mine is None:
            continue
        result = mine.result
        own.append({"indicator": unit.indicator, "period": unit.period, "n": result.cohort,
                    "achieved": result.observed, "expected": presenters.expected_text(result.expected),
                    "ratio": presenters.ratio_text(result.ratio), "inner": presenters.interval_text(result.inner),
                    "outer": presenters.interval_text(result.outer), "standing": str(result.standing).capitalize(),
                    "named": table.row_for(org_id) is not None})
        peers.append({"indicator": unit.indicator, "period": unit.period, "rows": sorted(
            [(peer_label(run.id, r.provider_org_id or 0), presenters.ratio_text(r.ratio),
              presenters.interval_text(r.outer), presenters.standing_text(r))
             for r in table.named if r.provider_org_id != org_id])})
    return render_template("benchmarks/reply.html", run=run, form=form, own=own, peers=peers, existing=existing,
                           window_open=window_open, is_published=published(run.reply_closes_on, today),
                           saved=request.args.get("saved") == "1", working_days=REPLY_WORKING_DAYS)


@bp.post("/runs")
@login_required
def start_run():
    """A refusal (no verified returns yet) comes back as a banner on the benchmarks page; the new run opens its
    right of reply, so its figures appear there only once the window is over."""
    if attempt(None, services.start_run, current_user).ok:
        flash("Benchmark run recorded. Providers can now see their results and reply; the figures are published "
              "when the right of reply is over.", "success")
    return redirect(url_for("benchmarks.index"))
