"""The staff console: conversations, transcripts (and, to come, follow-ups and review).

`create_app()` builds the Flask app; `python -m console` runs it and manages staff accounts.
"""

from console.app import create_app

__all__ = ["create_app"]
