"""The staff console: conversations and transcripts, follow-ups, the review inbox and insights.

`create_app()` builds the Flask app; `python -m console` runs it and manages staff accounts.
"""

from console.app import create_app

__all__ = ["create_app"]
