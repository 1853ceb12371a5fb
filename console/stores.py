"""The stores the console's pages use, built once per app by create_app."""

from dataclasses import dataclass

from flask import current_app

from clinic.conversations import ConversationReader
from clinic.followups.store import FollowupStore
from console.reviews import ReviewStore
from console.settings import ConsoleSettings
from console.users import UserStore

EXTENSION = "clinic_console"


@dataclass(frozen=True)
class Stores:
    """Staff accounts, conversations (read only), follow-ups and review labels; the settings they came from."""

    users: UserStore
    conversations: ConversationReader
    followups: FollowupStore
    reviews: ReviewStore
    settings: ConsoleSettings

    @classmethod
    def from_settings(cls, settings: ConsoleSettings) -> "Stores":
        """Each store on its database (connections are made on first use)."""
        return cls(
            users=UserStore(settings.console_db_url),
            conversations=ConversationReader(settings.tracker_db_url),
            followups=FollowupStore(settings.followup_db_url),
            reviews=ReviewStore(settings.console_db_url),
            settings=settings,
        )


def stores() -> Stores:
    """The current app's stores."""
    return current_app.extensions[EXTENSION]
