"""Forum journeys in a real browser: the public reads and subscribes; a provider joins, posts and registers."""
from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar
from lxml import etree
from playwright.sync_api import Page, expect

from tests.browser.conftest import check_accessibility

PASSWORD = "maple-orbit-lantern-47"


def _forum_with_history(live_server, suffix: str) -> dict:
    """A council's forum with a thread, a past meeting with minutes and a future meeting."""

    def build():
        from accounts import services as accounts
        from core.clock import utcnow
        from core.extensions import db
        from forum import services as forum

        def person(email, role, org):
            user = accounts.register(full_name="Alex Example", email=email, password=PASSWORD, organisation=org)
            user.email_confirmed_at = utcnow()
            user.role = role
            db.session.flush()
            return user

        council = accounts.create_organisation(accounts.NewOrganisation(
            name=f"Browser Council {suffix}", kind="commissioning_unit"))
        provider_org = accounts.create_organisation(accounts.NewOrganisation(
            name=f"Browser Homes {suffix}", kind="provider", provider_type="independent"))
        owner = person(f"owner-{suffix}@council.example", "commissioner", council)
        owner.totp_secret, owner.totp_enabled_at = "JBSWY3DPEHPK3PXPBROWSERAAAAAAAAA", utcnow()
        author = person(f"author-{suffix}@homes.example", "provider", provider_org)
        newcomer = person(f"newcomer-{suffix}@homes.example", "provider", accounts.create_organisation(
            accounts.NewOrganisation(name=f"Newcomer Care {suffix}", kind="provider", provider_type="voluntary")))
        place = forum.create_forum(owner, forum.ForumDetails(
            title=f"Fostering in the north {suffix}", remit_md="Open to every fostering provider.",
            region="North West", categories=["fostering"]))
        forum.join_forum(place, author)
        forum.start_thread(place, author, f"Sibling groups {suffix}", "How many sibling groups are waiting?")
        starts = utcnow() + timedelta(days=7)
        past = forum.schedule_meeting(place, owner, forum.MeetingDetails(
            title=f"Engagement session {suffix}", starts_at=starts, ends_at=starts + timedelta(hours=2),
            mode="in_person", location="Town Hall, Room 2", online_link="", agenda_md="1. Need", capacity=20))
        past.starts_at, past.ends_at = utcnow() - timedelta(days=3), utcnow() - timedelta(days=3, hours=-2)
        db.session.flush()
        forum.publish_minutes(past, owner, f"Providers asked for referral volumes ({suffix}).")
        later = utcnow() + timedelta(days=14)
        forum.schedule_meeting(place, owner, forum.MeetingDetails(
            title=f"Online Q&A {suffix}", starts_at=later, ends_at=later + timedelta(hours=1), mode="online",
            location="", online_link="https://meet.example.org/qa", agenda_md="Questions", capacity=1))
        return {"forum": place.title, "slug": place.slug, "thread": f"Sibling groups {suffix}",
                "past": past.title, "later": f"Online Q&A {suffix}", "newcomer": newcomer.email}

    return live_server.do(build)


def test_public_visitor_finds_a_forum_reads_a_thread_and_minutes_and_subscribes(page: Page, live_server):
    world = _forum_with_history(live_server, "public")
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Forums").click()
    check_accessibility(page)
    page.get_by_role("link", name=world["forum"]).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(world["forum"])
    check_accessibility(page)
    page.get_by_role("link", name=world["thread"]).click()
    expect(page.locator("main")).to_contain_text("How many sibling groups are waiting?")
    check_accessibility(page)
    page.go_back()
    page.get_by_role("link", name=world["past"]).click()
    expect(page.locator("#minutes")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Providers asked for referral volumes (public).")
    check_accessibility(page)
    page.go_back()

    atom = page.request.get(live_server.url + page.get_by_role("link", name="Atom feed").get_attribute("href"))
    assert atom.ok and "atom+xml" in atom.headers["content-type"]
    feed = etree.fromstring(atom.body())
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    ics = page.request.get(live_server.url + page.get_by_role("link", name="Meetings calendar (iCal)")
                           .get_attribute("href"))
    assert ics.ok and "text/calendar" in ics.headers["content-type"]
    summaries = {str(event["SUMMARY"]) for event in Calendar.from_ical(ics.body()).walk("VEVENT")}
    assert world["past"] in summaries and world["later"] in summaries


def test_provider_joins_a_forum_posts_and_registers_for_a_meeting(page: Page, live_server):
    world = _forum_with_history(live_server, "provider")
    page.goto(live_server.url + "/sign-in")
    page.get_by_label("Email address").fill(world["newcomer"])
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server.url + f"/forums/{world['slug']}")
    page.get_by_role("button", name="Join this forum").click()
    expect(page.get_by_role("button", name="Leave this forum")).to_be_visible()
    page.get_by_role("button", name="Start a thread").click()
    check_accessibility(page)
    page.get_by_label("Title").fill("Respite for carers")
    page.get_by_label("Message").fill("We can offer **weekend** respite for foster carers.")
    page.get_by_role("button", name="Post").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Respite for carers")
    expect(page.locator("main strong")).to_have_text("weekend")
    check_accessibility(page)
    page.goto(live_server.url + f"/forums/{world['slug']}")
    page.get_by_role("link", name=world["later"]).click()
    expect(page.locator("main")).not_to_contain_text("https://meet.example.org/qa")  # link only for attendees
    page.get_by_role("button", name="Register").click()
    expect(page.locator("main")).to_contain_text("https://meet.example.org/qa")
    check_accessibility(page)
