"""Areas, demand forecasts, settings' capacity, gap-analysis runs and market position statements.

Only counts are stored about children: a forecast line says how many children
in an area need what, never who. A run keeps the exact inputs it used and their
hash, so anyone can recompute it and get the same answer.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import Organisation, User
from core.extensions import Model
from sufficiency.vocabulary import (
    HORIZONS,
    INTENSITIES,
    NEED_CATEGORIES,
    NEIGHBOUR_KINDS,
    SETTING_TYPES,
    NeighbourKind,
    SettingSource,
    StatementStatus,
)


def _one_of(column: str, values: object, name: str) -> CheckConstraint:
    listed = ", ".join(f"'{v}'" for v in values)  # type: ignore[attr-defined]
    return CheckConstraint(f"{column} IN ({listed})", name=name)


class Area(Model):
    """A council with children's services duties, by its GSS code (loaded from sufficiency/data/areas.csv)."""

    __tablename__ = "sufficiency_area"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    region: Mapped[str] = mapped_column(String(100), index=True)
    source: Mapped[str] = mapped_column(String(300))
    # Fictional areas added by the demo: never shipped in the reference list.
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)


class Neighbour(Model):
    """One council's neighbour (configurable): supply there is 'nearby' for it."""

    __tablename__ = "sufficiency_neighbour"
    __table_args__ = (
        UniqueConstraint("area_code", "neighbour_code", name="uq_sufficiency_neighbour_pair"),
        _one_of("kind", [k.value for k in NeighbourKind], "kind"),
        CheckConstraint("area_code <> neighbour_code", name="not_self"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    area_code: Mapped[str] = mapped_column(ForeignKey("sufficiency_area.code"), index=True)
    neighbour_code: Mapped[str] = mapped_column(ForeignKey("sufficiency_area.code"))
    kind: Mapped[str] = mapped_column(String(20))

    @property
    def kind_label(self) -> str:
        return NEIGHBOUR_KINDS[NeighbourKind(self.kind)]


class Forecast(Model):
    """A commissioning organisation's anonymised demand forecast: replaced whole when corrected."""

    __tablename__ = "sufficiency_forecast"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    organisation: Mapped[Organisation] = relationship()
    uploaded_by: Mapped[User] = relationship()
    lines: Mapped[list[ForecastLine]] = relationship(cascade="all, delete-orphan", order_by="ForecastLine.line_no")

    @property
    def total(self) -> int:
        return sum(line.count for line in self.lines)


class ForecastLine(Model):
    __tablename__ = "sufficiency_forecast_line"
    __table_args__ = (
        _one_of("category", NEED_CATEGORIES, "category"),
        _one_of("intensity", INTENSITIES, "intensity"),
        _one_of("horizon", HORIZONS, "horizon"),
        CheckConstraint("count >= 0", name="count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    forecast_id: Mapped[int] = mapped_column(ForeignKey("sufficiency_forecast.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    area_code: Mapped[str] = mapped_column(ForeignKey("sufficiency_area.code"))
    category: Mapped[str] = mapped_column(String(40))
    intensity: Mapped[str] = mapped_column(String(20))
    horizon: Mapped[str] = mapped_column(String(20))
    count: Mapped[int] = mapped_column(Integer)


class Setting(Model):
    """A place where care is given (a home, a school, a fostering agency), with what it can take."""

    __tablename__ = "sufficiency_setting"
    __table_args__ = (
        _one_of("setting_type", SETTING_TYPES, "type"),
        _one_of("highest_intensity", INTENSITIES, "intensity"),
        _one_of("source", [s.value for s in SettingSource], "source"),
        CheckConstraint("registered_places >= 0", name="places"),
        CheckConstraint("vacancies IS NULL OR (vacancies >= 0 AND vacancies <= registered_places)",
                        name="vacancies"),
        CheckConstraint("age_from <= age_to", name="ages"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The provider organisation on the platform that declared it; None for a setting loaded from Ofsted's
    # list whose provider has no account (its name is then in provider_name).
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    provider_name: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    ofsted_urn: Mapped[str | None] = mapped_column(String(20), unique=True)
    area_code: Mapped[str] = mapped_column(ForeignKey("sufficiency_area.code"), index=True)
    setting_type: Mapped[str] = mapped_column(String(40))
    categories: Mapped[str] = mapped_column(String(400))  # comma-separated NEED_CATEGORIES keys
    highest_intensity: Mapped[str] = mapped_column(String(20))
    registered_places: Mapped[int] = mapped_column(Integer)
    age_from: Mapped[int] = mapped_column(Integer)
    age_to: Mapped[int] = mapped_column(Integer)
    legal_form: Mapped[str | None] = mapped_column(String(40))
    vacancies: Mapped[int | None] = mapped_column(Integer)
    vacancies_confirmed_on: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(20), default=SettingSource.DECLARED)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    organisation: Mapped[Organisation | None] = relationship()
    area: Mapped[Area] = relationship()

    @property
    def category_list(self) -> list[str]:
        return [c for c in self.categories.split(",") if c]

    @property
    def category_labels(self) -> list[str]:
        return [NEED_CATEGORIES[c] for c in self.category_list if c in NEED_CATEGORIES]

    @property
    def setting_type_label(self) -> str:
        return SETTING_TYPES.get(self.setting_type, self.setting_type)

    @property
    def intensity_label(self) -> str:
        return INTENSITIES[self.highest_intensity]


class GapRun(Model):
    """One run of the gap analysis: its method, as-of date, exact inputs and their hash, and its results."""

    __tablename__ = "sufficiency_gap_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    method_version: Mapped[str] = mapped_column(String(20))
    as_of: Mapped[date] = mapped_column(Date)
    inputs_sha256: Mapped[str] = mapped_column(String(64), index=True)
    inputs_json: Mapped[str] = mapped_column(Text)     # canonical JSON: what the result was computed from
    results_json: Mapped[str] = mapped_column(Text)    # every area x category x intensity x horizon row
    published_json: Mapped[str] = mapped_column(Text)  # the same after small-number suppression
    run_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)

    run_by: Mapped[User | None] = relationship()


class MarketPositionStatement(Model):
    """A council's (or consortium's) market position statement: one row per published version."""

    __tablename__ = "sufficiency_statement"
    __table_args__ = (
        UniqueConstraint("organisation_id", "version", name="uq_sufficiency_statement_org_version"),
        _one_of("status", [s.value for s in StatementStatus], "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    narrative_md: Mapped[str] = mapped_column(Text)
    narrative_html: Mapped[str] = mapped_column(Text)
    gap_run_id: Mapped[int] = mapped_column(ForeignKey("sufficiency_gap_run.id"))
    # The areas it speaks for, comma-separated GSS codes: the council's own, or each member of a consortium.
    area_codes: Mapped[str] = mapped_column(String(2000))
    status: Mapped[str] = mapped_column(String(20), default=StatementStatus.PUBLISHED)
    published_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    published_at: Mapped[datetime] = mapped_column(DateTime, index=True)

    organisation: Mapped[Organisation] = relationship()
    gap_run: Mapped[GapRun] = relationship()
    published_by: Mapped[User] = relationship()

    @property
    def area_list(self) -> list[str]:
        return [c for c in self.area_codes.split(",") if c]


class StatementAttachment(Model):
    """A market position statement attached to a procurement's engagement notice."""

    __tablename__ = "sufficiency_statement_procurement"
    __table_args__ = (UniqueConstraint("statement_id", "procurement_id", name="uq_sufficiency_statement_procurement"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("sufficiency_statement.id"), index=True)
    procurement_id: Mapped[int] = mapped_column(ForeignKey("procurement.id"), index=True)
    attached_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    attached_at: Mapped[datetime] = mapped_column(DateTime)

    statement: Mapped[MarketPositionStatement] = relationship()
