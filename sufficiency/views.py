"""The sufficiency pages: the public map of gaps, capacity, forecasts, runs and market position statements."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, TypeVar

from feedgen.feed import FeedGenerator
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
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy import select

from core.extensions import db
from core.forms import attempt
from core.guards import require
from core.request_args import id_number
from core.text import xml_safe
from core.urls import external_url
from core.vocabulary import REGIONS
from sufficiency import (
    analysis,
    capacity,
    figures,
    forecasts,
    ofsted,
    policy,
    statements,
)
from sufficiency.areas import all_areas, area_choices
from sufficiency.forms import (
    AttachForm,
    CorrectForecastForm,
    ForecastForm,
    RegisterImportForm,
    RunForm,
    SettingForm,
    StatementForm,
)
from sufficiency.models import Area, Forecast, GapRun, MarketPositionStatement, Setting
from sufficiency.publication import spare_places
from sufficiency.vocabulary import HORIZONS, INTENSITIES, NEED_CATEGORIES

bp = Blueprint("sufficiency", __name__)
T = TypeVar("T")


def _area_choices() -> list[tuple[str, str]]:
    return area_choices()


def _choice(name: str, allowed: Any) -> str | None:
    value = request.args.get(name) or None
    return value if value in allowed else None


def _actions() -> list[tuple[str, str]]:
    """What the signed-in person can do from the overview, as (text, link)."""
    found = []
    if policy.can_declare_capacity(current_user):
        found += [("Declare a setting's capacity", url_for("sufficiency.new_setting")),
                  ("Your settings", url_for("sufficiency.settings"))]
    if policy.can_see_vacancy_board(current_user):
        found.append(("Settings and vacancies", url_for("sufficiency.settings")))
    if policy.can_upload_forecast(current_user):
        found.append(("Upload a demand forecast", url_for("sufficiency.forecasts_page")))
    if policy.can_import_register(current_user):
        found.append(("Import Ofsted's list of providers", url_for("sufficiency.register_import")))
    if policy.can_run_analysis(current_user):
        found.append(("Run the gap analysis", url_for("sufficiency.new_run")))
    if policy.can_publish_statement(current_user):
        found.append(("Publish a market position statement", url_for("sufficiency.new_statement")))
    return found


@bp.route("/sufficiency")
def overview() -> ResponseReturnValue:
    """The public picture: gaps by council, need by category and intensity, where supply comes from."""
    areas = {a.code: (a.name, a.region) for a in all_areas()}
    region = _choice("region", REGIONS)
    area = _choice("council", areas)
    category = _choice("category", NEED_CATEGORIES)
    horizon = _choice("horizon", HORIZONS) or "now"
    run = analysis.latest_run()
    context: dict[str, Any] = {"run": run, "regions": REGIONS, "areas": areas, "categories": NEED_CATEGORIES,
                               "horizons": HORIZONS, "intensities": INTENSITIES, "region": region, "council": area,
                               "category": category, "horizon": horizon,
                               "statements": statements.published_statements(), "actions": _actions()}
    if run is not None:
        cube = analysis.published_cubes(run)[horizon]
        where = figures.where_node(region, area)
        inputs = analysis.run_inputs(run)
        spare = spare_places(inputs, horizon, run.method_version)
        context.update(tiles=figures.tiles(cube, areas, category, region, spare),
                       heatmap=figures.heatmap(cube, where, category),
                       split=figures.source_split(inputs, area, category, horizon))
    return render_template("sufficiency/overview.html", **context)


# ---------------------------------------------------------------- capacity


def _setting_form(form: SettingForm) -> capacity.SettingDetails:
    return capacity.SettingDetails(
        name=form.name.data or "", area_code=form.area_code.data or "", setting_type=form.setting_type.data or "",
        categories=form.categories.data or [], highest_intensity=form.highest_intensity.data or "",
        registered_places=form.registered_places.data, age_from=form.age_from.data, age_to=form.age_to.data,
        ofsted_urn=form.ofsted_urn.data or "", legal_form=form.legal_form.data or "", vacancies=form.vacancies.data,
        vacancies_confirmed_on=form.vacancies_confirmed_on.data)


@bp.route("/sufficiency/settings")
@login_required
def settings() -> ResponseReturnValue:
    """A provider's own settings; for commissioners, every setting with its vacancies."""
    require(policy.can_declare_capacity(current_user) or policy.can_see_vacancy_board(current_user),
            "sufficiency.settings")
    if policy.can_see_vacancy_board(current_user):
        rows = list(db.session.scalars(select(Setting).order_by(Setting.area_code, Setting.name)))
    else:
        rows = capacity.settings_of(current_user.organisation_id)
    return render_template("sufficiency/settings.html", settings=rows,
                           board=policy.can_see_vacancy_board(current_user))


@bp.route("/sufficiency/settings/new", methods=["GET", "POST"])
@login_required
def new_setting() -> ResponseReturnValue:
    require(policy.can_declare_capacity(current_user), "sufficiency.setting_declare")
    form = SettingForm()
    form.area_code.choices = [("", "Choose a council area")] + _area_choices()
    if form.validate_on_submit():
        done = attempt(form, capacity.declare_setting, current_user, _setting_form(form))
        if done.ok:
            flash("The setting's capacity is recorded.", "success")
            return redirect(url_for("sufficiency.setting", setting_id=done.value.id))
    return render_template("sufficiency/setting_form.html", form=form, setting=None)


def _found(model: type[T], key: int) -> T:
    """The row, or a 404 page."""
    found = db.session.get(model, key)
    if found is None:
        abort(404)
    return found


def _setting_or_404(setting_id: int) -> Setting:
    return _found(Setting, setting_id)


@bp.route("/sufficiency/settings/<int:setting_id>")
def setting(setting_id: int) -> ResponseReturnValue:
    found = _setting_or_404(setting_id)
    return render_template("sufficiency/setting.html", setting=found,
                           show_vacancies=policy.can_see_vacancies(current_user, found),
                           can_edit=policy.can_edit_setting(current_user, found))


@bp.route("/sufficiency/settings/<int:setting_id>/vacancies")
@login_required
def setting_vacancies(setting_id: int) -> ResponseReturnValue:
    """The vacancies alone, for the provider that runs the setting and for commissioners."""
    found = _setting_or_404(setting_id)
    require(policy.can_see_vacancies(current_user, found), "sufficiency.vacancies")
    return render_template("sufficiency/vacancies.html", setting=found)


@bp.route("/sufficiency/settings/<int:setting_id>/edit", methods=["GET", "POST"])
@login_required
def edit_setting(setting_id: int) -> ResponseReturnValue:
    found = _setting_or_404(setting_id)
    require(policy.can_edit_setting(current_user, found), "sufficiency.setting_update")
    if request.method == "POST":
        form = SettingForm()
    else:
        form = SettingForm(obj=found, categories=found.category_list, legal_form=found.legal_form or "")
    form.area_code.choices = [("", "Choose a council area")] + _area_choices()
    if form.validate_on_submit():
        done = attempt(form, capacity.update_setting, found, current_user, _setting_form(form))
        if done.ok:
            flash("The setting's capacity is updated.", "success")
            return redirect(url_for("sufficiency.setting", setting_id=found.id))
    return render_template("sufficiency/setting_form.html", form=form, setting=found)


@bp.route("/sufficiency/register-import", methods=["GET", "POST"])
@login_required
def register_import() -> ResponseReturnValue:
    require(policy.can_import_register(current_user), "sufficiency.register_import")
    form = RegisterImportForm()
    if form.validate_on_submit():
        upload = request.files.get("file")
        done = attempt(form, ofsted.import_register, current_user, filename=upload.filename if upload else "",
                       data=upload.read() if upload else b"")
        if done.ok:
            flash(f"Imported: {done.value['added']} settings added, {done.value['updated']} updated, "
                  f"{done.value['skipped']} rows not counted.", "success")
            return redirect(url_for("sufficiency.settings"))
    return render_template("sufficiency/upload.html", form=form, title="Import Ofsted's list of providers",
                           hint="The CSV Ofsted publishes of children's social care providers: only active "
                                "settings are loaded; a row with a problem stops the import, and nothing is loaded.")


# ---------------------------------------------------------------- forecasts


@bp.route("/sufficiency/forecasts", methods=["GET", "POST"])
@login_required
def forecasts_page() -> ResponseReturnValue:
    require(policy.can_upload_forecast(current_user), "sufficiency.forecast_upload")
    form = ForecastForm()
    if form.validate_on_submit():
        upload = request.files.get("file")
        done = attempt(form, forecasts.upload_forecast, current_user, title=form.title.data,
                       filename=upload.filename if upload else "", data=upload.read() if upload else b"",
                       confirmed_no_child_data=bool(form.confirm_no_child_data.data))
        if done.ok:
            flash("The forecast is uploaded.", "success")
            return redirect(url_for("sufficiency.forecasts_page"))
    own = list(db.session.scalars(select(Forecast).where(Forecast.organisation_id == current_user.organisation_id)
                                  .order_by(Forecast.id.desc())))
    return render_template("sufficiency/forecasts.html", form=form, forecasts=own)


@bp.route("/sufficiency/forecasts/<int:forecast_id>/correct", methods=["GET", "POST"])
@login_required
def correct_forecast(forecast_id: int) -> ResponseReturnValue:
    found = _found(Forecast, forecast_id)
    require(policy.can_manage_forecast(current_user, found.organisation_id), "sufficiency.forecast_correct")
    form = CorrectForecastForm()
    if form.validate_on_submit():
        upload = request.files.get("file")
        done = attempt(form, forecasts.correct_forecast, found, current_user,
                       filename=upload.filename if upload else "", data=upload.read() if upload else b"")
        if done.ok:
            flash(f"The forecast is corrected (version {found.version}).", "success")
            return redirect(url_for("sufficiency.forecasts_page"))
    return render_template("sufficiency/upload.html", form=form, title=f"Correct “{found.title}”",
                           hint="Every line of the forecast is replaced by the corrected file's.")


# ---------------------------------------------------------------- runs


@bp.route("/sufficiency/runs/new", methods=["GET", "POST"])
@login_required
def new_run() -> ResponseReturnValue:
    require(policy.can_run_analysis(current_user), "sufficiency.analysis_run")
    form = RunForm()
    if form.validate_on_submit():
        done = attempt(form, analysis.run_analysis, current_user, name=form.name.data)
        if done.ok:
            flash("The gap analysis has run.", "success")
            return redirect(url_for("sufficiency.run", run_id=done.value.id))
    return render_template("sufficiency/run_form.html", form=form)


@bp.route("/sufficiency/runs/<int:run_id>")
def run(run_id: int) -> ResponseReturnValue:
    found = _found(GapRun, run_id)
    return render_template("sufficiency/run.html", run=found)


# ---------------------------------------------------------------- market position statements


@bp.route("/sufficiency/statements/new", methods=["GET", "POST"])
@login_required
def new_statement() -> ResponseReturnValue:
    require(policy.can_publish_statement(current_user), "sufficiency.statement_publish")
    form = StatementForm()
    runs = list(db.session.scalars(select(GapRun).order_by(GapRun.id.desc()).limit(20)))
    form.run_id.choices = [(str(r.id), f"{r.name} (as of {r.as_of:%-d %B %Y})") for r in runs]
    if form.validate_on_submit():
        run_id = id_number(form.run_id.data)
        chosen = db.session.get(GapRun, run_id) if run_id else None
        done = attempt(form, statements.publish_statement, current_user, title=form.title.data,
                       narrative_md=form.narrative.data, run=chosen,
                       confirmed_no_child_data=bool(form.confirm_no_child_data.data))
        if done.ok:
            flash("The market position statement is published.", "success")
            return redirect(url_for("sufficiency.statement", statement_id=done.value.id))
    return render_template("sufficiency/statement_form.html", form=form)


def _statement_or_404(statement_id: int) -> MarketPositionStatement:
    return _found(MarketPositionStatement, statement_id)


def _statement_context(found: MarketPositionStatement) -> dict[str, Any]:
    cube = analysis.published_cubes(found.gap_run)
    names = {a.code: a.name for a in db.session.scalars(select(Area).where(Area.code.in_(found.area_list)))}
    sections = []
    for code in found.area_list:
        for horizon in HORIZONS:
            rows = figures.heatmap(cube[horizon], ("area", code), None)
            if rows:
                sections.append((names.get(code, code), HORIZONS[horizon], rows))
    return {"statement": found, "sections": sections, "intensities": INTENSITIES,
            "versions": statements.versions_of(found)}


@bp.route("/sufficiency/statements/<int:statement_id>")
def statement(statement_id: int) -> ResponseReturnValue:
    found = _statement_or_404(statement_id)
    form = None
    if policy.can_manage_statement(current_user, found):
        from tenders.models import DRAFTING_STAGES, Procurement

        form = AttachForm()
        form.procurement_id.choices = [(str(p.id), f"{p.reference}: {p.title}") for p in db.session.scalars(
            select(Procurement).where(Procurement.owner_org_id == current_user.organisation_id,
                                      Procurement.stage.in_(DRAFTING_STAGES)).order_by(Procurement.id))]
    return render_template("sufficiency/statement.html", attach_form=form, **_statement_context(found))


@bp.route("/sufficiency/statements/<int:statement_id>/attach", methods=["POST"])
@login_required
def attach_statement(statement_id: int) -> ResponseReturnValue:
    found = _statement_or_404(statement_id)
    require(policy.can_manage_statement(current_user, found), "sufficiency.statement_attach")
    from tenders.models import Procurement

    form = AttachForm()
    form.procurement_id.choices = [(form.procurement_id.data or "", "")]
    procurement_id = id_number(form.procurement_id.data)
    procurement = db.session.get(Procurement, procurement_id) if procurement_id else None
    if procurement is None:
        flash("Choose one of your procurements in planning or engagement.", "error")
        return redirect(url_for("sufficiency.statement", statement_id=found.id))
    done = attempt(form, statements.attach_to_procurement, found, procurement, current_user)
    if done.ok:
        flash(f"Attached to {procurement.reference}.", "success")
    else:
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors) or "Not attached.", "error")
    return redirect(url_for("sufficiency.statement", statement_id=found.id))


@bp.route("/sufficiency/statements/<int:statement_id>.pdf")
def statement_pdf(statement_id: int) -> ResponseReturnValue:
    from weasyprint import HTML

    found = _statement_or_404(statement_id)
    html = render_template("sufficiency/statement_pdf.html", **_statement_context(found))
    pdf = HTML(string=html, base_url=request.host_url).write_pdf()
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="market-position-statement-{found.id}-v{found.version}.pdf"'})


@bp.route("/sufficiency/statements.atom")
def statements_feed() -> ResponseReturnValue:
    fg = FeedGenerator()
    fg.id(external_url("sufficiency.statements_feed"))
    fg.title("Commissioning Commons: market position statements")
    fg.link(href=external_url("sufficiency.overview"), rel="alternate")
    fg.link(href=external_url("sufficiency.statements_feed"), rel="self")
    fg.author({"name": "Commissioning Commons"})
    fg.language("en-GB")
    published = list(db.session.scalars(select(MarketPositionStatement)
                                         .order_by(MarketPositionStatement.published_at.desc()).limit(50)))
    latest = published[0].published_at if published else datetime(2026, 1, 1)
    fg.updated(latest.replace(tzinfo=UTC))
    for item in reversed(published):
        entry = fg.add_entry()
        url = external_url("sufficiency.statement", statement_id=item.id)
        entry.id(url)
        entry.title(xml_safe(f"{item.organisation.name}: {item.title} (version {item.version})"))
        entry.link(href=url, rel="alternate")
        entry.content(xml_safe(item.narrative_html), type="html")
        entry.published(item.published_at.replace(tzinfo=UTC))
        entry.updated(item.published_at.replace(tzinfo=UTC))
    return Response(fg.atom_str(pretty=True), mimetype="application/atom+xml")


from sufficiency import worklist as _worklist  # noqa: E402, F401  (the sufficiency items for "My work")
