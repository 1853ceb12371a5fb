"""The notifier: send staff notifications that have not been delivered yet.

    python -m clinic.followups            # everything undelivered, now (make retry-notifications)
    python -m clinic.followups --watch 30 # keep going: every 30 s, whatever is due

`make run` starts the --watch form beside the action server; run the plain form any time. Both may
run at once (and beside the action server's own first attempt): each row is claimed before it is sent.
A database error does not stop the watcher: it is logged and the next round tries again.
"""

import argparse
import logging
import time
from typing import Callable, Optional

from clinic.followups.delivery import deliver_undelivered, describe, notifier_for, store_for
from clinic.followups.notifier import Notifier
from clinic.followups.store import FollowupStore
from clinic.logs import configure

logger = logging.getLogger(__name__)


def watch(store: FollowupStore, notifier: Notifier, seconds: float, rounds: Optional[int] = None,
          sleep: Callable[[float], None] = time.sleep) -> None:
    """Every `seconds`, send what is due (forever, or `rounds` times); survives any error in a round."""
    done = 0
    while rounds is None or done < rounds:
        done += 1
        try:
            counts = deliver_undelivered(store, notifier, due_only=True)
        except Exception as error:  # noqa: BLE001 (a database outage must not end the watcher)
            logger.warning("Notification round failed (%s); trying again in %s s", describe(error), seconds)
        else:
            if counts:
                logger.info("sent: %s", counts)
        if rounds is None or done < rounds:
            sleep(seconds)


def main(argv=None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m clinic.followups", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--watch", type=float, metavar="SECONDS", help="repeat, sending what is due")
    args = parser.parse_args(argv)
    configure("notifier")
    store, notifier = store_for(), notifier_for()
    if args.watch is None:
        counts = deliver_undelivered(store, notifier)
        print("Notifications:", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "nothing to send")
        return
    watch(store, notifier, args.watch)


if __name__ == "__main__":
    main()
