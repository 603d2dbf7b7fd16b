"""My work: what is waiting for the signed-in person (a route on the accounts blueprint).

  /my-work     every item the domains' providers give for this person, grouped by section

Signing in lands here. The items come from the registry in `core.worklist`,
which each domain fills from its own `worklist.py`.
"""
from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from accounts import policy
from accounts.views import bp
from core.worklist import grouped, items_for

# What will appear on an empty page, by the role the person can act in now.
WHAT_APPEARS = {
    "commissioner": ("Questions from providers to answer, openings of responses waiting for a second commissioner, "
                     "declarations of interest due, contacts to resolve, co-design proposals to decide, notices due, "
                     "standstills ending and proposals to modify contracts will appear here."),
    "provider": ("Your forums and their unread posts, meetings you are booked on, need statements and open tenders "
                 "in your categories, co-design threads you are in, your draft and submitted responses, "
                 "clarification answers and assessment summaries will appear here."),
    "auditor": "Procurements that need attention and the latest records will appear here.",
    "admin": "Organisations waiting to be verified and reported posts to moderate will appear here.",
    None: ("When your account has a role, the things waiting for you will appear here. "
           "An administrator gives you a role once your organisation is checked."),
}


@bp.route("/my-work")
@login_required
def my_work() -> ResponseReturnValue:
    sections = grouped(items_for(current_user))
    return render_template("accounts/my_work.html", sections=sections,
                           total=sum(len(section.items) for section in sections),
                           what_appears=WHAT_APPEARS[policy.effective_role(current_user)])
