"""Every kind of page fits a 390 px phone: the demo loaded, each page type visited in a 390 px window as the
public, a commissioner and an auditor. The harness (conftest.WIDTH_ON_EVERY_PAGE) fails the test on any page
wider than the window; fits_viewport names the page at once."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from tests.browser.conftest import LiveServer, fits_viewport, serving, sign_in

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory) -> Iterator[LiveServer]:
    """A server of its own with the demo loaded, so the journeys sharing live_server see none of it."""
    from demo.load import load_demo

    with serving(f"sqlite:///{tmp_path_factory.mktemp('narrow') / 'demo.db'}") as server:
        server.do(load_demo)
        yield server


def _urls(server: LiveServer) -> dict[str, list[str]]:
    """The pages to visit, one or two of each kind, found in the demo."""
    from core.extensions import db
    from forum.models import Forum, Meeting, NeedStatement, PostRevision, Thread
    from oversight.registers import REGISTERS
    from tenders.models import Procurement
    from tenders.models.codesign import CodesignProposal
    from tenders.models.spinoffs import ContractModification

    def find():
        forum = db.session.scalars(select(Forum).join(Thread).order_by(Forum.id)).first()
        thread = db.session.scalars(select(Thread).where(Thread.forum_id == forum.id)).first()
        need = db.session.scalars(select(NeedStatement)).first()
        meeting = db.session.scalars(select(Meeting)).first()
        revised = db.session.scalars(select(PostRevision.post_id).where(PostRevision.number == 2)).first()
        by_stage = {p.stage: p.id for p in db.session.scalars(select(Procurement).order_by(Procurement.id))}
        proposal = db.session.scalars(select(CodesignProposal)).first()
        modified = db.session.scalars(select(ContractModification.procurement_id)).first()
        public = ["/", "/tenders", "/forums", f"/forums/{forum.slug}", f"/forums/{forum.slug}/threads/{thread.id}",
                  "/needs", f"/needs/{need.id}", "/meetings", f"/meetings/{meeting.id}", "/search?q=care",
                  "/rules", "/registers", "/audit/procurements", "/sign-in", "/register"]
        public += [f"/tenders/{pid}" for stage, pid in by_stage.items() if stage != "planning"]
        if revised:
            public += [f"/posts/{revised}/revisions", f"/posts/{revised}/revisions/diff"]
        if proposal:
            public += [f"/tenders/{proposal.procurement_id}/codesign",
                       f"/tenders/{proposal.procurement_id}/codesign/proposals/{proposal.id}",
                       f"/tenders/{proposal.procurement_id}/specification/versions?a=1&b=2"]
        if modified:
            public.append(f"/tenders/{modified}/contract/modifications")
        commissioner = ["/tenders", "/messages", "/account"]
        for stage in ("planning", "engagement", "evaluation", "award", "contract"):
            if stage in by_stage:
                commissioner.append(f"/tenders/{by_stage[stage]}")
        if "evaluation" in by_stage:
            commissioner += [f"/tenders/{by_stage['evaluation']}/evaluation",
                             f"/tenders/{by_stage['evaluation']}/responses"]
        if "engagement" in by_stage:
            commissioner += [f"/tenders/{by_stage['engagement']}/publish",
                             f"/tenders/{by_stage['engagement']}/specification/versions"]
        auditor = ["/audit/", "/audit/procurements", "/attention", "/registers", "/audit/verify"]
        auditor += [f"/registers/{register.slug}" for register in REGISTERS]
        auditor += [f"/audit/procurements/{pid}" for pid in list(by_stage.values())[:2]]
        return {"public": public, "commissioner": commissioner, "auditor": auditor}

    return server.do(find)


def _visit_all(page, server: LiveServer, paths: list[str]) -> None:
    for path in paths:
        response = page.goto(server.url + path)
        assert response is not None and response.status < 500, f"{path}: {response and response.status}"
        if response.status == 404:
            continue  # a register that this demo does not have
        fits_viewport(page)


def test_every_page_type_fits_a_390_px_screen(demo_server, new_context):
    from demo.load import DEMO_PASSWORD, DEMO_TOTP_SECRETS

    urls = _urls(demo_server)
    public = new_context(viewport=PHONE).new_page()
    _visit_all(public, demo_server, urls["public"])

    for email, role in (("priya.shah@northmere.example", "commissioner"), ("sam.patel@audit.example", "auditor")):
        page = new_context().new_page()  # signed in on a wide screen, where the menu shows its links
        sign_in(page, demo_server, email, DEMO_TOTP_SECRETS[email], password=DEMO_PASSWORD)
        page.set_viewport_size(PHONE)
        _visit_all(page, demo_server, urls[role])
