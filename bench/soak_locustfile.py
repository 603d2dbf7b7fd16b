"""The soak test's simulated people (locust), driven by bench/soak.py.

Four kinds of visitor, in roughly the proportions of a real engagement week:
  * anonymous readers (most of the traffic): the home page, forums, threads,
    tenders and procurement pages, Atom feeds, the public audit trail, search;
  * providers who sign in (the demo accounts, password from README) and join a
    forum, reply in threads, start the odd thread, register for meetings, and on
    the demo tender (SOAK_TENDER) ask clarification questions and submit sealed
    responses (each replacing their organisation's earlier one);
  * two Northmere commissioners who sign in with TOTP (the demo secrets README
    publishes), do the same from the council side and answer the tender's
    clarification questions (which emails every participant);
  * one newcomer registering a new provider account every half minute or so
    (a confirmation email each).
Every page is fetched as a browser would, forms carry their CSRF token, and
each response's status is tallied per page; soak.py reads the tally
(SOAK_TALLY) and fails the run on any 5xx. Every write the server acknowledged
(a redirect after the POST) is appended to SOAK_WRITES with what identifies it
(the id in the redirect or receipt, a unique marker in the text): soak_check.py
then looks for each one in the database.
"""
from __future__ import annotations

import json
import os
import random
import re
import threading
import time
import uuid
from collections import Counter, defaultdict
from itertools import count
from pathlib import Path

import pyotp
from locust import HttpUser, between, events, task

PASSWORD = "Open-Commissioning-2026"
PROVIDERS = [
    "daniel.brooks@meadowbank.example", "fatima.rahman@harbourlights.example",
    "joanne.fisher@calderbrook-homes.example", "chris.walsh@northernoak.example",
    "ruth.adeyemi@steppingstones.example", "mark.lindqvist@bridgeway.example", "aisha.karim@willowcare.example",
    "sian.morgan@cartrefteulu.example", "olu.bankole@brightpath.example", "jess.thornton@riverside.example",
    "graham.pike@fellside.example",
]
COMMISSIONERS = {  # README's demo TOTP keys; each account is used by one simulated person at a time.
    # The first two are used: both Northmere commissioners, who own the demo tender and answer its questions.
    "priya.shah@northmere.example": "JBSWY3DPEHPK3PXPNORTHMEREAAAAAAA",
    "tom.hughes@northmere.example": "JBSWY3DPEHPK3PXPNORTHMEREBBBBBBB",
    "amara.okafor@calderbrook.example": "JBSWY3DPEHPK3PXPCALDERBROOKAAAAA",
    "helen.ward@consortium.example": "JBSWY3DPEHPK3PXPCONSORTIUMAAAAAA",
    "gareth.evans@glanafon.example": "JBSWY3DPEHPK3PXPGLANAFONAAAAAAAA",
}
REPLIES = [
    "We can offer two placements from the spring term and would like to talk about step-down support.",
    "Our registered manager can join the next session. Could the need statement say more about transport?",
    "Agreed on the outcome measures; we would add stability of school placement as a second measure.",
    "We have capacity for short breaks at weekends from April, staffed by our own nursing team.",
]
SEARCH_TERMS = ["placements", "fostering", "short breaks", "outcomes", "therapeutic", "transport", "sibling"]

TENDER = os.environ.get("SOAK_TENDER")  # the demo procurement in the tender stage
QUESTIONS = [
    "Would the council accept a staged opening of the second home?",
    "Can education provision be subcontracted to a registered independent school?",
    "Is the monthly operational meeting attended by the child's social worker?",
]
MANIFEST = (json.loads(Path(os.environ["SOAK_MANIFEST"]).read_text()) if os.environ.get("SOAK_MANIFEST")
            else {"pages": {}})
TALLY: dict[str, dict] = defaultdict(lambda: {"status": Counter(), "ms": [], "failures": 0})
SERVER_ERRORS: list[str] = []
FAILURES: Counter = Counter()
_lock = threading.Lock()
_commissioner_slots = count()
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


@events.request.add_listener
def _tally(request_type, name, response_time, response_length, response=None, exception=None, **_):
    """Every response's status and time, per page: soak.py computes the percentiles from these."""
    status = getattr(response, "status_code", None) or 0
    page = f"{request_type} {name}"
    with _lock:
        TALLY[page]["status"][str(status)] += 1
        TALLY[page]["ms"].append(round(response_time, 1))
        if exception is not None:
            TALLY[page]["failures"] += 1
            FAILURES[f"{page}: {exception}"] += 1
        if status >= 500 and len(SERVER_ERRORS) < 50:
            SERVER_ERRORS.append(f"{page} -> {status}")


@events.quitting.add_listener
def _write_tally(environment, **_):
    path = os.environ.get("SOAK_TALLY")
    if path:
        with open(path, "w") as out:
            json.dump({"pages": TALLY, "server_errors": SERVER_ERRORS,
                       "failures": [f"{what} (x{n})" for what, n in FAILURES.most_common()]}, out)


def _marker() -> str:
    """Letters only: a run of digits in a marker could look like an NHS number to the child-data check."""
    return "soak" + "".join(chr(ord("a") + int(c, 16)) for c in uuid.uuid4().hex[:16])


def _why(response) -> str:
    """The status, and the error summary a refused form shows, for the failure report."""
    text = getattr(response, "text", "") or ""
    summary = re.search(r'govuk-error-summary__list">(.*?)</ul>', text, re.S)
    reasons = re.findall(r">([^<>]+)</a>", summary.group(1)) if summary else []
    return f"{response.status_code}" + (f" ({'; '.join(r.strip() for r in reasons)})" if reasons else "")


def acknowledged(kind: str, **fields) -> None:
    """One line per write the server acknowledged; soak_check.py looks for each afterwards."""
    path = os.environ.get("SOAK_WRITES")
    if path:
        with _lock, open(path, "a") as out:
            out.write(json.dumps({"kind": kind, "at": time.time(), **fields}) + "\n")


def _redirected_to(response, pattern: str) -> re.Match | None:
    if response is None or response.status_code not in (302, 303):
        return None
    return re.search(pattern, response.headers.get("Location", ""))


def _csrf(html: str) -> str | None:
    match = CSRF.search(html)
    return (match.group(1) or match.group(2)) if match else None


class Visitor(HttpUser):
    abstract = True
    wait_time = between(1, 5)  # people read between clicks

    def _get(self, path: str, name: str | None = None):
        with self.client.get(path, name=name or path, catch_response=True) as response:
            if response.status_code >= 400:
                response.failure(_why(response))
            return response

    def _links(self, html: str, pattern: str) -> list[str]:
        return sorted(set(re.findall(pattern, html)))

    def _a_forum(self) -> str | None:
        forums = self._links(self._get("/forums").text, r'href="(/forums/[\w-]+)"')
        forums = [f for f in forums if not f.endswith(("/new", ".atom"))]
        return random.choice(forums) if forums else None

    def _a_thread(self, forum: str) -> str | None:
        threads = self._links(self._get(forum, name="/forums/[slug]").text, r'href="(/forums/[\w-]+/threads/\d+)"')
        return random.choice(threads) if threads else None


class AnonymousReader(Visitor):
    weight = 12

    @task(3)
    def home_and_forums(self) -> None:
        self._get("/")
        forum = self._a_forum()
        if forum:
            thread = self._a_thread(forum)
            if thread:
                self._get(thread, name="/forums/[slug]/threads/[id]")

    @task(2)
    def tenders(self) -> None:
        html = self._get("/tenders").text
        pages = self._links(html, r'href="(/tenders/\d+)"')
        if pages:
            self._get(random.choice(pages), name="/tenders/[id]")

    @task(2)
    def search(self) -> None:
        self._get(f"/search?q={random.choice(SEARCH_TERMS)}", name="/search?q=[term]")

    @task(1)
    def feeds_and_trail(self) -> None:
        self._get("/forums.atom")
        forum = self._a_forum()
        if forum:
            self._get(f"{forum}/feed.atom", name="/forums/[slug]/feed.atom")
        self._get("/audit/", name="/audit/")
        self._get("/needs")

    @task(1)
    def bench_pages(self) -> None:
        """The pages the benchmark names, over the bench-data set (a 50-post thread, a large forum)."""
        pages = MANIFEST.get("pages") or {}
        if pages:
            label, path = random.choice(sorted(pages.items()))
            self._get(path, name=f"bench: {label}")


class SignedInMember(Visitor):
    abstract = True
    email = ""

    def on_start(self) -> None:
        self.signed_in = self._sign_in()

    def _sign_in(self) -> bool:
        for _ in range(5):
            page = self._get("/sign-in")
            response = self.client.post(
                "/sign-in",
                name="/sign-in [POST]",
                allow_redirects=False,
                data={"email": self.email, "password": PASSWORD, "csrf_token": _csrf(page.text)},
            )
            if response.status_code == 302 and "/two-factor" in response.headers.get("Location", ""):
                response = self._two_factor()
            if response.status_code == 302:
                return True
            time.sleep(2)
        return False

    def _two_factor(self):
        return self.client.post("/sign-in/two-factor", name="/sign-in/two-factor [POST]", allow_redirects=False)

    def _post_form(self, page_path: str, action: str | None, data: dict, name: str, page_name: str):
        """GET the page, POST its form (action None: the form posts back to the page); the response, or None."""
        page = self._get(page_path, name=page_name)
        token = _csrf(page.text)
        if token is None or (action is not None and f'action="{action}"' not in page.text):
            return None  # no such form for this person here (a closed forum, say): a person would not post it
        with self.client.post(action or page_path, data={**data, "csrf_token": token}, name=name,
                              allow_redirects=False, catch_response=True) as response:
            if response.status_code not in (200, 302, 303):
                response.failure(_why(response))
            return response

    def _member_forum(self) -> str | None:
        forum = self._a_forum()
        if forum is None:
            return None
        html = self._get(forum, name="/forums/[slug]").text
        if f'action="{forum}/join"' in html:
            self._post_form(forum, f"{forum}/join", {}, "/forums/[slug]/join [POST]", "/forums/[slug]")
        return forum

    @task(4)
    def read_and_reply(self) -> None:
        if not self.signed_in:
            return
        forum = self._member_forum()
        thread = forum and self._a_thread(forum)
        if thread:
            marker = _marker()
            response = self._post_form(thread, f"{thread}/reply", {"body": f"{random.choice(REPLIES)} ({marker})"},
                                       "/forums/[slug]/threads/[id]/reply [POST]", "/forums/[slug]/threads/[id]")
            posted = _redirected_to(response, r"/posts/(\d+)")
            if posted:
                acknowledged("reply", post_id=int(posted.group(1)), marker=marker, by=self.email)

    @task(1)
    def start_thread(self) -> None:
        if not self.signed_in:
            return
        forum = self._member_forum()
        if forum:
            marker = _marker()
            response = self._post_form(f"{forum}/threads/new", f"{forum}/threads/new",
                                       {"title": f"Capacity question {marker}", "body": random.choice(REPLIES)},
                                       "/forums/[slug]/threads/new [POST]", "/forums/[slug]/threads/new")
            started = _redirected_to(response, r"/threads/(\d+)")
            if started:
                acknowledged("thread", thread_id=int(started.group(1)), marker=marker, by=self.email)

    @task(1)
    def register_for_a_meeting(self) -> None:
        if not self.signed_in:
            return
        forum = self._member_forum()
        if not forum:
            return
        meetings = self._links(self._get(forum, name="/forums/[slug]").text, r'href="(/meetings/\d+)"')
        if meetings:
            meeting = random.choice(meetings)
            html = self._get(meeting, name="/meetings/[id]").text
            if f'action="{meeting}/register"' in html:
                self._post_form(meeting, f"{meeting}/register", {}, "/meetings/[id]/register [POST]",
                                "/meetings/[id]")

    @task(2)
    def notifications_and_account(self) -> None:
        if self.signed_in:
            self._get("/account")
            self._get("/notifications")


class Provider(SignedInMember):
    weight = 6

    def on_start(self) -> None:
        self.email = random.choice(PROVIDERS)
        super().on_start()

    @task(1)
    def ask_clarification(self) -> None:
        """A private question on the demo tender (clarifications are open for its first days)."""
        if not (self.signed_in and TENDER):
            return
        self._get(f"/tenders/{TENDER}", name="/tenders/[id]")
        marker = _marker()
        page = f"/tenders/{TENDER}/clarifications"
        response = self._post_form(page, None, {"question": f"{random.choice(QUESTIONS)} ({marker})"},
                                   "/tenders/[id]/clarifications [POST]", "/tenders/[id]/clarifications")
        if _redirected_to(response, r"/clarifications$"):
            acknowledged("clarification", marker=marker, by=self.email)

    @task(1)
    def submit_response(self) -> None:
        """Seal a response (replacing the organisation's earlier one) and keep the receipt."""
        if not (self.signed_in and TENDER):
            return
        page_path = f"/tenders/{TENDER}/respond"
        page = self._get(page_path, name="/tenders/[id]/respond")
        token = _csrf(page.text)
        outcomes = sorted(set(re.findall(r'name="((?:commitment|answer)-\d+)"', page.text)))
        if token is None or not outcomes:
            return
        marker = _marker()
        data = {
            "csrf_token": token,
            "price": f"{random.randrange(2_500_000, 3_200_000):,}",
            "method_statement": f"Small homes, a consistent team and therapeutic matching. ({marker})",
            **{name: "We commit to the target, reported quarterly." for name in outcomes},
        }  # and answer each criterion
        with self.client.post(page_path, data=data, name="/tenders/[id]/respond [POST]", allow_redirects=False,
                              catch_response=True) as response:
            if response.status_code not in (200, 302, 303):
                response.failure(_why(response))
        sealed = _redirected_to(response, r"/responses/(\d+)/receipt")
        if sealed:
            receipt = self._get(response.headers["Location"], name="/tenders/[id]/responses/[id]/receipt")
            digest = re.search(r"<code>([0-9a-f]{64})</code>", receipt.text)
            acknowledged("response", response_id=int(sealed.group(1)), sha256=digest.group(1) if digest else "",
                         marker=marker, by=self.email)


class Commissioner(SignedInMember):
    fixed_count = 2  # TOTP codes are single-use, so each commissioner account has one simulated person

    def on_start(self) -> None:
        self.email, self.secret = list(COMMISSIONERS.items())[next(_commissioner_slots) % len(COMMISSIONERS)]
        super().on_start()

    @task(2)
    def answer_clarification(self) -> None:
        """Publish an answer to a waiting question: every participant gets an email."""
        if not (self.signed_in and TENDER):
            return
        html = self._get(f"/tenders/{TENDER}/clarifications", name="/tenders/[id]/clarifications").text
        waiting = self._links(html, r'href="(/tenders/\d+/clarifications/\d+/answer)"')
        if not waiting:
            return
        path = random.choice(waiting)
        marker = _marker()
        response = self._post_form(path, None, {"answer": f"Yes, within the specification's limits. ({marker})"},
                                   "/tenders/[id]/clarifications/[id]/answer [POST]",
                                   "/tenders/[id]/clarifications/[id]/answer")
        if _redirected_to(response, r"/clarifications$"):
            acknowledged("answer", clarification_id=int(path.split("/")[-2]), marker=marker, by=self.email)

    def _two_factor(self):
        for _ in range(3):
            page = self._get("/sign-in/two-factor")
            response = self.client.post("/sign-in/two-factor", name="/sign-in/two-factor [POST]",
                                        allow_redirects=False,
                                        data={"code": pyotp.TOTP(self.secret).now(), "csrf_token": _csrf(page.text)})
            if response.status_code == 302:
                return response
            time.sleep(31 - time.time() % 30)  # that step's code was used: wait for the next one
        return response


class Newcomer(Visitor):
    """Registers a new provider organisation now and then: each registration queues a confirmation email."""

    fixed_count = 1
    wait_time = between(20, 40)

    @task
    def register(self) -> None:
        marker = _marker()
        email = f"{marker}@newcomer.example"
        page = self._get("/register")
        token = _csrf(page.text)
        if token is None:
            return
        password = "maple-orbit-lantern-47"
        with self.client.post("/register", name="/register [POST]", allow_redirects=False, catch_response=True,
                              data={"csrf_token": token, "full_name": "Soak Newcomer", "email": email,
                                    "password": password, "password_confirm": password, "organisation": "new",
                                    "org_name": f"Newcomer Care {marker}", "org_kind": "provider",
                                    "provider_type": "voluntary", "council": "", "region": "North West"}) as response:
            if response.status_code not in (200, 302, 303):
                response.failure(_why(response))
        if _redirected_to(response, r"/register/check-email"):
            acknowledged("registration", email=email, marker=marker)
