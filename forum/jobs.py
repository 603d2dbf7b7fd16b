"""The forum's scheduled work: the daily digest emails (also `flask forum digest`)."""
from __future__ import annotations

from huey import crontab

from core.jobs import periodic_job
from core.transactions import call_service
from forum import services


@periodic_job(crontab(hour="6", minute="30"))
def send_daily_digests() -> int:
    """Once a day, early in the UK morning (06:30 UTC): one email per person who chose a daily digest."""
    return call_service(services.send_daily_digests)
