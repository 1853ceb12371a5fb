"""The notifier: send staff notifications that have not been delivered yet.

    python -m clinic.followups            # everything undelivered, now (make retry-notifications)
    python -m clinic.followups --watch 30 # keep going: every 30 s, whatever is due

`make run` starts the --watch form beside the action server; run the plain form any time.
"""

import argparse
import logging
import time

from clinic.followups.delivery import deliver_undelivered, notifier_for, store_for
from clinic.logs import configure


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
    while True:
        counts = deliver_undelivered(store, notifier, due_only=True)
        if counts:
            logging.info("sent: %s", counts)
        time.sleep(args.watch)


if __name__ == "__main__":
    main()
