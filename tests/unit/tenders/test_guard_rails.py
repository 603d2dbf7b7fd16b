"""The minimum response window: the law's where it binds, the platform's configured minimum otherwise."""
from datetime import datetime, timedelta
from types import SimpleNamespace

from tenders.guard_rails import (
    PA23_MIN_BASIS,
    minimum_response_window,
    response_window_caution,
)


def _regime(code: str, framework: str = "pa23"):
    return SimpleNamespace(regime=SimpleNamespace(code=code, framework=framework))


def test_above_threshold_open_procedure_under_pa23_cites_section_54(app):
    with app.app_context():
        app.config["TENDERS_MIN_RESPONSE_DAYS"] = 10
        assert minimum_response_window(_regime("public_contract")) == (25, PA23_MIN_BASIS)
        assert minimum_response_window(_regime("light_touch")) == (10, "platform policy")
        assert minimum_response_window(_regime("public_contract", "pcr2015")) == (10, "platform policy")
        app.config["TENDERS_MIN_RESPONSE_DAYS"] = 30
        assert minimum_response_window(_regime("public_contract")) == (30, "platform policy")


def test_window_is_counted_in_uk_calendar_days(app):
    with app.app_context():
        app.config["TENDERS_MIN_RESPONSE_DAYS"] = 25
        now = datetime(2026, 3, 2, 9, 0)
        assert response_window_caution(_regime("light_touch"), now + timedelta(days=25), now) is None
        caution = response_window_caution(_regime("light_touch"), now + timedelta(minutes=5), now)
        assert caution is not None and "0 days after publication" in caution.message
