"""The audit actions of sufficiency: areas, capacity, forecasts and statements (registered by the app factory)."""

DOMAIN = "Sufficiency"
ACTIONS = {
    "sufficiency.areas_loaded": "The council areas were loaded",
    "sufficiency.neighbours_set": "A council's neighbouring areas were set",
    "sufficiency.register_imported": "The register of registered settings was imported",
    "sufficiency.setting_declared": "A provider declared a setting and its capacity",
    "sufficiency.setting_updated": "A provider updated a setting's details",
    "sufficiency.vacancies_confirmed": "A provider confirmed a setting's vacancies",
    "sufficiency.vacancies_capped": "A setting's vacancies were cut to the places Ofsted's list gives it",
    "sufficiency.forecast_uploaded": "A council uploaded a forecast of need",
    "sufficiency.forecast_corrected": "A council corrected a forecast of need",
    "sufficiency.analysis_run": "The sufficiency gap analysis was run",
    "sufficiency.statement_published": "A sufficiency statement was published",
    "sufficiency.statement_attached": "A market position statement was attached to a procurement it informs",
}
