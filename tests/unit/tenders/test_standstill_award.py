"""The award service, contract entry and the scheduled command all use the one standstill count."""
from datetime import date, datetime

import pytest

from core.errors import RuleViolation
from tenders.services import evaluation
from tests.unit.tenders.builders import awarded, evaluated, standstill_end


def _under_psr(p, process: str) -> None:
    """A health care service under the Provider Selection Regime (the regime page's effect, set directly)."""
    p.cpv_code, p.psr_process = "85121270", process  # psychiatrist or psychologist services


def test_award_published_saturday_28_november_2026_stands_still_until_thursday_10_december(db, world):
    p = awarded(world, now=datetime(2026, 11, 28, 10, 0))
    assert standstill_end(p) == date(2026, 12, 10)  # St Andrew's Day, Monday 30 November, is not a working day
    with pytest.raises(RuleViolation):
        evaluation.enter_contract(p, world.c1, starts_on=None, now=datetime(2026, 12, 10, 16, 0))
    assert evaluation.contracts_due(datetime(2026, 12, 10, 23, 59)) == []
    assert evaluation.contracts_due(datetime(2026, 12, 11, 0, 0)) == [p]


def test_contract_may_be_entered_at_uk_midnight_after_standstill_even_while_utc_is_a_day_behind(db, world):
    p = awarded(world, now=datetime(2027, 6, 1, 23, 30))  # 00:30 BST on Wednesday 2 June 2027
    assert standstill_end(p) == date(2027, 6, 11)  # 2, 3, 4, 7, 8, 9, 10, 11 June
    contract = evaluation.enter_contract(p, world.c1, starts_on=date(2027, 6, 12),
                                         now=datetime(2027, 6, 11, 23, 30))  # 00:30 BST on Saturday 12 June
    assert contract.starts_on == date(2027, 6, 12)


def test_psr_standstill_is_counted_from_the_day_after_the_notice(db, world):
    p = evaluated(world)
    _under_psr(p, "competitive")
    top = evaluation.ranking(p)[0].response
    award = evaluation.decide_award(p, world.c1, top, reasons_md="Best", standstill_applies=True,
                                    now=datetime(2026, 4, 7, 10, 0))
    assert award.standstill_ends_on == date(2026, 4, 17)  # 8 to 17 April; PA23 would end on 16 April


@pytest.mark.parametrize(("process", "may_skip"), [("direct_award_a", True), ("direct_award_b", True),
                                                   ("direct_award_c", False), ("competitive", False)])
def test_psr_standstill_may_be_skipped_only_after_direct_awards_a_and_b(db, world, process, may_skip):
    p = evaluated(world)
    _under_psr(p, process)
    top = evaluation.ranking(p)[0].response
    if may_skip:
        assert evaluation.decide_award(p, world.c1, top, reasons_md="Best", standstill_applies=False,
                                       now=datetime(2026, 4, 7, 10, 0)).standstill_ends_on is None
    else:
        with pytest.raises(RuleViolation) as refused:
            evaluation.decide_award(p, world.c1, top, reasons_md="Best", standstill_applies=False,
                                    now=datetime(2026, 4, 7, 10, 0))
        assert "standstill" in refused.value.reasons
