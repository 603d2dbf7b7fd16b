"""The soak's mail worker: trail.outbox.deliver_outbox() every few seconds until told to stop.

    python bench/soak_deliver.py SECONDS STOP_FILE

One process for the whole run (starting `flask outbox deliver` afresh each time costs seconds of
CPU on a busy machine). It stops only between delivery runs, once STOP_FILE exists, so it never
abandons a message between the SMTP server's answer and the commit that marks it sent. Prints its
tally as JSON on exit.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    every, stop = float(sys.argv[1]), Path(sys.argv[2])
    from commons import create_app
    from core.extensions import db
    from trail.outbox import deliver_outbox

    app = create_app()
    tally = {"runs": 0, "sent": 0, "failed": 0, "runs_with_failures": 0}
    with app.app_context():
        while not stop.exists():
            sent, failed = deliver_outbox()
            db.session.remove()
            tally["runs"] += 1
            tally["sent"] += sent
            tally["failed"] += failed
            tally["runs_with_failures"] += bool(failed)
            waited = 0.0
            while waited < every and not stop.exists():
                time.sleep(0.25)
                waited += 0.25
    print(json.dumps(tally), flush=True)


if __name__ == "__main__":
    main()
