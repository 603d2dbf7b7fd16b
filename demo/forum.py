"""Demo forums, loaded through the forum services so their audit trail is real.

Four forums in the demo councils' settings (seed 001's "Provider Forums"):
threads with replies, a quote-reply, an edited post, a reported and hidden
post, need statements (seed 004's specificity), past meetings with minutes
and attendance, and future meetings with registrations and a waiting list.
Everything is fictional; no child is described, only cohorts.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from accounts.models import User
from core.clock import utcnow
from core.extensions import db
from forum import services
from forum.attachments import Upload
from forum.models import Meeting

# A one-page PDF ("Engagement session slides"), small enough to keep in the demo.
_SLIDES_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<<"
    b"/Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 58>>stream\nBT /F1 18 Tf 72 760 Td (Engagement session slides) Tj ET\nendstream endobj\n"
    b"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
_OUTCOMES_CSV = (
    b"outcome domain,indicator,baseline,target\n"
    b"Stability,Placement moves in 12 months,2.1,0.5\n"
    b"Education,School attendance,71%,92%\n"
)


def _person(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        raise LookupError(f"Demo person {email} is missing: load the core demo first")
    return user


def _in_the_past(meeting: Meeting, days_ago: int) -> None:
    """Demo only: let time pass, so a meeting scheduled through the service has now happened.

    Services refuse to schedule meetings in the past (rightly); the demo needs
    meetings that already took place, so it moves the clock on them instead.
    """
    meeting.starts_at = (utcnow() - timedelta(days=days_ago)).replace(hour=9, minute=30, second=0, microsecond=0)
    meeting.ends_at = meeting.starts_at + timedelta(hours=2, minutes=30)
    db.session.flush()


def _future(days: int, hour: int, length_hours: int = 2) -> tuple:
    start = (utcnow() + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)
    return start, start + timedelta(hours=length_hours)


def load_forum_demo(admin: User) -> None:
    """Create the demo forums; called once from demo.load.load_demo."""
    helen = _person("helen.ward@consortium.example")
    priya = _person("priya.shah@northmere.example")
    tom = _person("tom.hughes@northmere.example")
    amara = _person("amara.okafor@calderbrook.example")
    gareth = _person("gareth.evans@glanafon.example")
    daniel = _person("daniel.brooks@meadowbank.example")
    fatima = _person("fatima.rahman@harbourlights.example")
    chris = _person("chris.walsh@northernoak.example")
    ruth = _person("ruth.adeyemi@steppingstones.example")
    mark = _person("mark.lindqvist@bridgeway.example")
    aisha = _person("aisha.karim@willowcare.example")
    sian = _person("sian.morgan@cartrefteulu.example")
    olu = _person("olu.bankole@brightpath.example")
    jess = _person("jess.thornton@riverside.example")
    graham = _person("graham.pike@fellside.example")
    joanne = _person("joanne.fisher@calderbrook-homes.example")

    # ------------------------------------------------ 1. consortium residential forum
    residential = services.create_forum(helen, services.ForumDetails(
        title="Residential care for children with high level needs – Pennine and Dales",
        remit_md=(
            "A standing forum for providers of children's homes and therapeutic residential care across the "
            "three consortium councils.\n\n"
            "We use it to share **anonymised** local need, test ideas for outcome-focused specifications and "
            "hear from providers *before* any tender. Everything said here is public, so every provider has the "
            "same information."),
        region="North West", categories=["childrens_homes", "therapeutic"]))
    for provider in (daniel, aisha, graham, joanne, chris, fatima):
        services.join_forum(residential, provider)

    need = services.publish_need(residential, helen, services.NeedDetails(
        title="Local homes for young people at risk of exploitation",
        cohort_size=18, age_bands=["11-15", "16-17"],
        items=[("safety", "very_high", "continuous"), ("emotional_wellbeing", "high", "daily"),
               ("family", "medium", "weekly")],
        current_provision_md="Most of this cohort live in homes more than 20 miles away; 11 of 18 are out of area.",
        gaps_md=("- Too few two-bed homes able to manage risk of criminal and sexual exploitation\n"
                 "- No local step-down from secure welfare"),
        outcomes_md=("- Stability: fewer placement moves\n- Safety: fewer missing episodes\n"
                     "- Education: back in full-time education within a term"),
        budget_min=3_000_000, budget_max=4_200_000, timescale="New homes open from April 2027"))
    services.reply(need.thread, daniel, "We could convert one of our existing homes to a two-bed model with "
                                        "a specialist exploitation lead. Would the consortium consider a "
                                        "block contract with a review clause?")
    services.reply(need.thread, joanne, "The council's in-house homes are interested too. We would want the "
                                        "same information as independent providers about referral volumes.")

    thread = services.start_thread(residential, aisha, "Outcome measures for therapeutic placements",
                                   "Which outcome measures would the consortium accept as evidence of emotional "
                                   "wellbeing? We use the SDQ at 0, 6 and 12 months.",
                                   attachment=Upload("outcome-measures.csv", _OUTCOMES_CSV))
    first = services.reply(thread, helen, "SDQ is fine as one indicator. We also want the young person's own "
                                          "view, recorded in their words, at each review.")
    quote = services.reply(thread, graham, f"> {first.body_md}\n\nCould the young person's view be gathered by "
                                           "an independent advocate, so it is not the home marking its own work?",
                           quoted_post=first)
    services.edit_post(quote, graham, f"> {first.body_md}\n\nCould the young person's view be gathered by an "
                                      "independent advocate, so it is not the home marking its own homework? "
                                      "We would fund the advocacy from the placement fee.")
    hidden = services.reply(thread, chris, "Frankly, one of the other providers here has a terrible Ofsted "
                                           "record and everyone knows which one.")
    services.report_post(hidden, aisha, "Attacks another provider rather than discussing outcomes")
    services.hide_post(hidden, helen, "Comments about a named provider's inspection record are not for this "
                                      "forum. Raise concerns with Ofsted or the council's quality team.")
    services.reply(thread, chris, "Apologies for my earlier post. On outcomes: our school measures attendance "
                                  "and reintegration to mainstream classes each term.")

    past = services.schedule_meeting(residential, helen, services.MeetingDetails(
        title="Market engagement session: exploitation-informed homes", starts_at=_future(3, 9)[0],
        ends_at=_future(3, 9)[1], mode="in_person", location="Calderbrook Civic Centre, Room 4", online_link="",
        agenda_md="1. The need statement\n2. What providers can offer by April 2027\n3. Questions", capacity=30))
    for provider in (daniel, aisha, graham, joanne):
        services.register_for_meeting(past, provider)
    _in_the_past(past, days_ago=21)
    services.record_attendance(past, helen, [daniel.id, aisha.id, joanne.id])
    services.publish_minutes(past, helen, (
        "**Present:** consortium commissioners; Meadowbank, Willow Therapeutic Care, Calderbrook in-house homes.\n\n"
        "1. The consortium presented the need statement.\n"
        "2. Providers asked for referral volumes by council; the consortium will publish them in the forum.\n"
        "3. Providers asked for a review clause in any block contract; noted for the specification.\n\n"
        "These minutes are shared with every provider, not only those who came."))
    services.add_meeting_document(past, helen, Upload("engagement-session-slides.pdf", _SLIDES_PDF))

    start, end = _future(16, 13)
    online = services.schedule_meeting(residential, helen, services.MeetingDetails(
        title="Online Q&A: draft outcomes framework", starts_at=start, ends_at=end, mode="online", location="",
        online_link="https://meet.example.org/pennine-outcomes-qa",
        agenda_md="1. Draft outcomes framework\n2. Payment by results: what share is reasonable?\n3. Questions",
        capacity=3))
    for provider in (daniel, aisha, graham, chris):  # the fourth joins the waiting list
        services.register_for_meeting(online, provider)

    # ------------------------------------------------ 2. Calderbrook SEND and short breaks
    send = services.create_forum(amara, services.ForumDetails(
        title="SEND day provision and short breaks – Calderbrook",
        remit_md="For providers of specialist day provision and short breaks for children with SEND in "
                 "Calderbrook. We publish need statements here first.",
        region="North West", categories=["send_education", "short_breaks"]))
    for provider in (olu, ruth, jess):
        services.join_forum(send, provider)
    services.publish_need(send, amara, services.NeedDetails(
        title="Weekend short breaks for children with complex health needs",
        cohort_size=26, age_bands=["5-10", "11-15"],
        items=[("health", "high", "weekly"), ("communication", "medium", "weekly")],
        current_provision_md="One overnight unit, weekdays only.",
        gaps_md="No weekend or school-holiday provision for children who need nursing support.",
        outcomes_md="Families report they can keep caring at home; children enjoy regular time with peers.",
        budget_min=450_000, budget_max=650_000, timescale="From September 2027", status="being_addressed"))
    services.start_thread(send, ruth, "Sharing nursing staff between short-break providers",
                          "Would the council support a shared bank of nurses across providers? Our office line "
                          "for anyone interested is 0161 496 0000.", confirmed_no_child_data=True)
    start, end = _future(9, 10)
    briefing = services.schedule_meeting(send, amara, services.MeetingDetails(
        title="Short breaks provider briefing", starts_at=start, ends_at=end, mode="in_person",
        location="Calderbrook Town Hall, Council Chamber", online_link="",
        agenda_md="1. The weekend gap\n2. Nursing support",
        capacity=20))
    for provider in (olu, ruth):
        services.register_for_meeting(briefing, provider)

    # ------------------------------------------------ 3. Glanafon fostering and 16+ (Wales)
    wales = services.create_forum(gareth, services.ForumDetails(
        title="Fostering and supported accommodation 16+ – Glanafon",
        remit_md="Glanafon County Council's forum for not-for-profit fostering and supported accommodation "
                 "providers, in line with the Welsh Government's commitment to remove profit from children's care.",
        region="Wales", categories=["fostering", "supported_accommodation"]))
    services.join_forum(wales, sian)
    services.join_forum(wales, mark)
    services.start_thread(wales, sian, "Recruiting foster carers for sibling groups",
                          "We have three households approved for sibling groups and could recruit more with a "
                          "joint campaign. Is the council interested?")
    past_wales = services.schedule_meeting(wales, gareth, services.MeetingDetails(
        title="Fostering sufficiency workshop", starts_at=_future(2, 10)[0], ends_at=_future(2, 10)[1],
        mode="online", location="", online_link="https://meet.example.org/glanafon-fostering",
        agenda_md="1. Sufficiency data\n2. Recruitment campaign", capacity=15))
    services.register_for_meeting(past_wales, sian)
    _in_the_past(past_wales, days_ago=40)
    services.record_attendance(past_wales, gareth, [sian.id])
    services.publish_minutes(past_wales, gareth, "Agreed a joint recruitment campaign in the spring; the council "
                                                 "will share anonymised sufficiency data by age band.")

    # ------------------------------------------------ 4. Northmere transitions (co-owned with Ashdown), closed
    ashdown = _person("lewis.grant@ashdown.example").organisation
    transitions = services.create_forum(priya, services.ForumDetails(
        title="Transitions to adulthood – Northmere and Ashdown",
        remit_md="Joint forum of Northmere and Ashdown on services for young people moving to adult services.",
        region="North West", categories=["transitions", "supported_accommodation"], co_owner_ids=[ashdown.id]))
    services.join_forum(transitions, jess)
    services.start_thread(transitions, tom, "Closing this forum",
                          "This forum is closing while the two councils review their joint arrangements. "
                          "Everything here stays public.")
    services.set_forum_status(transitions, priya, "closed")
    _load_northmere_placements_forum(priya, tom, [daniel, fatima, graham, jess])


def _load_northmere_placements_forum(priya: User, tom: User, providers: list[User]) -> None:
    """Northmere's own open forum, so its commissioners have somewhere live to meet providers."""
    forum = services.create_forum(priya, services.ForumDetails(
        title="Children's placements – Northmere",
        remit_md=("Northmere County Council's open forum for every provider of children's homes and fostering "
                  "placements in and around Northmere. We share anonymised sufficiency data here each quarter and "
                  "ask providers what would help them open local homes."),
        region="North West", categories=["childrens_homes", "fostering"]))
    for provider in providers:
        services.join_forum(forum, provider)
    thread = services.start_thread(forum, tom, "Sufficiency data for this quarter",
                                   "This quarter 23 children were placed more than 20 miles from home. Most were "
                                   "aged 12 to 15. Tell us what would help you open a home nearer to Northmere.")
    services.reply(thread, providers[0], "Help finding properties that planning will accept would make the "
                                         "biggest difference for us.")
    start, end = _future(days=12, hour=10)
    services.schedule_meeting(forum, priya, services.MeetingDetails(
        title="Northmere placements: provider drop-in", starts_at=start, ends_at=end, mode="online", location="",
        online_link="https://meet.example.org/northmere-drop-in",
        agenda_md="1. Sufficiency this quarter\n2. Properties and planning\n3. Questions", capacity=40))
