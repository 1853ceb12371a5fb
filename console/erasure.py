"""Erasing everything about one visitor (GDPR Art. 17): their conversations, follow-ups and review labels.

Used by `python -m console erase` (make erase) and by the admin's erase page in the console.
"""

from typing import Dict

from clinic import retention
from console.reviews import ReviewStore
from console.settings import ConsoleSettings


def erase_visitor(console: ConsoleSettings, conversation: str = "", phone: str = "", email: str = "",
                  phone_region: str = "GB", dry_run: bool = False) -> Dict[str, object]:
    """What was removed (with `dry_run`: what would be), per kind, and the visitor's conversation ids.

    Raises ValueError when no conversation id, phone number or e-mail address is given.
    """
    counts = retention.erase(console.tracker_db_url, console.followup_db_url, conversation, phone, email,
                             phone_region, dry_run=dry_run)
    reviews = ReviewStore(console.console_db_url)
    ids = counts["conversation ids"]
    counts["review labels"] = reviews.count_for(ids) if dry_run else reviews.forget(ids)
    return counts
