"""The action server: rasa_sdk's app, locked down. `python -m actions.server [--port 5055]`.

What `rasa run actions` lacks, added here around rasa_sdk's own `create_app`:
- every call but `/health` needs ACTION_SERVER_TOKEN as the `token` query parameter (Rasa sends
  endpoints.yml's `action_endpoint: token:` that way), compared in constant time;
- bodies over MAX_BODY_BYTES are refused (413), compressed ones too, before rasa_sdk inflates them;
- unknown paths answer 404 and a failing action answers a bare 500, never the tracker
  (rasa_sdk's own error handler answers 500 to everything and echoes the request body);
- no CORS (browsers never call it), 127.0.0.1 unless --host says otherwise, redacted logs.
"""

import argparse
import json
import logging
import secrets
import sys
import zlib
from typing import Optional

from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.exceptions import SanicException

from clinic.logs import configure
from clinic.settings import get_settings

logger = logging.getLogger(__name__)
# A long conversation's tracker is a few hundred kilobytes; 2 MB leaves room and stops floods.
MAX_BODY_BYTES = 2 * 1024 * 1024
OPEN_PATHS = ("/health",)


def _refusal(status: int, error: str):
    return response.json({"error": error}, status=status)


def secure_app(token: str, action_package: str = "actions") -> Sanic:
    """rasa_sdk's app with the token check, the size limits and quiet errors."""
    if not token:
        raise ValueError("ACTION_SERVER_TOKEN is not set: the action server will not run without it.")
    app = create_app(action_package, cors_origins=None)
    app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES
    expected = token.encode()

    @app.middleware("request")
    async def require_token(request):
        if request.path in OPEN_PATHS:
            return None
        given = request.args.get("token", "").encode()
        if not secrets.compare_digest(given, expected):
            return _refusal(401, "a valid token is required")
        if request.headers.get("Content-Encoding") == "deflate":
            try:
                inflater = zlib.decompressobj()
                inflater.decompress(request.body, MAX_BODY_BYTES)
            except zlib.error:
                return _refusal(400, "the body is not valid deflate data")
            if inflater.unconsumed_tail:
                return _refusal(413, "the body is too large once decompressed")
            if not inflater.eof:
                return _refusal(400, "the body is not valid deflate data")
        return None

    async def http_error(request, exception: SanicException):
        return _refusal(exception.status_code, str(exception))

    async def not_json(request, exception: json.JSONDecodeError):
        return _refusal(400, "the body is not valid JSON")

    async def failure(request, exception: Exception):
        # The exception's type and place only: its message or the request could hold a visitor's words.
        logger.error("Action call failed: %s", type(exception).__name__, exc_info=exception)
        return _refusal(500, "the action failed")

    app.error_handler.add(SanicException, http_error)
    app.error_handler.add(json.JSONDecodeError, not_json)
    app.error_handler.add(Exception, failure)
    return app


def main(argv: Optional[list] = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m actions.server", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=5055)
    parser.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
    args = parser.parse_args(argv)
    configure("actions")
    try:
        app = secure_app(get_settings().action_server_token)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    logger.info("Action server on http://%s:%s", args.host, args.port)
    app.run(args.host, args.port, workers=1, access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
