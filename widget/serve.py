"""Serves the widget and the clinic demo page: `python -m widget.serve` (127.0.0.1:8080 unless --host, --port).

Only the files listed here are served: the demo page, the loader and its styles, the avatar,
rasa-webchat's bundle from node_modules (never a CDN), and widget-config.json made from clinic.yml.
"""

import argparse
import json
import logging
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from clinic.logs import configure
from clinic.settings import Settings, get_settings
from clinic.templates import fill

WIDGET_DIR = Path(__file__).resolve().parent
PUBLIC = WIDGET_DIR / "public"
DEMO_PAGE = PUBLIC / "index.html"
STATIC_FILES = {
    "/clinic-chat.js": (PUBLIC / "clinic-chat.js", "text/javascript; charset=utf-8"),
    "/clinic-chat.css": (PUBLIC / "clinic-chat.css", "text/css; charset=utf-8"),
    "/vendor/webchat.js": (WIDGET_DIR / "node_modules" / "rasa-webchat" / "lib" / "index.js",
                           "text/javascript; charset=utf-8"),
}

OFFLINE_TEXT = ("The assistant can't be reached right now. Please try again shortly, "
                "or call {clinic_name} on {clinic_phone}.")


def widget_config(settings: Settings, rasa_url: str) -> dict:
    """What the loader needs to know about the clinic (public details only)."""
    widget, clinic = settings.widget, settings.clinic
    return {
        "server": rasa_url,
        "title": widget.title,
        "subtitle": widget.subtitle,
        "primaryColor": widget.primary_color,
        "avatar": widget.avatar,
        "welcomeText": widget.welcome_text,
        "maxMessageLength": widget.max_message_length,
        "tooLongText": widget.too_long_message,
        "offlineText": fill(OFFLINE_TEXT, clinic_name=clinic.name, clinic_phone=clinic.phone),
    }


class WidgetHandler(BaseHTTPRequestHandler):
    """GET only, fixed routes; anything else is 404."""

    def __init__(self, *args, config: dict, widget_url: str, **kwargs):
        self.config = config
        self.widget_url = widget_url
        super().__init__(*args, **kwargs)

    def do_GET(self):  # noqa: N802 (http.server's naming)
        """Serve one of the known files."""
        path = self.path.split("?", 1)[0]
        if path in ("/", "/index.html"):
            # The demo page shows (and uses) the snippet with this server's real addresses.
            page = DEMO_PAGE.read_text(encoding="utf-8")
            page = page.replace("{{RASA_URL}}", self.config["server"]).replace("{{WIDGET_URL}}", self.widget_url)
            return self._send(page.encode(), "text/html; charset=utf-8")
        if path == "/widget-config.json":
            return self._send(json.dumps(self.config).encode(), "application/json")
        if path == f"/{self.config['avatar']}" and (PUBLIC / self.config["avatar"]).is_file():
            return self._send((PUBLIC / self.config["avatar"]).read_bytes(), "image/svg+xml")
        if path not in STATIC_FILES or not STATIC_FILES[path][0].is_file():
            return self.send_error(404)
        file, content_type = STATIC_FILES[path]
        self._send(file.read_bytes(), content_type)

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002 (http.server's signature)
        """Quiet: one line per request to stderr only when asked (see --verbose)."""
        if self.server.verbose:
            logging.getLogger("widget").info("%s %s", self.address_string(), format % args)


def main(argv=None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m widget.serve", description=__doc__)
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
    parser.add_argument("--rasa-url", default="http://127.0.0.1:5005", help="where browsers reach the chat channels")
    parser.add_argument("--widget-url", help="where browsers reach this server (default http://127.0.0.1:PORT)")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    configure("widget")
    handler = partial(WidgetHandler, config=widget_config(get_settings(), args.rasa_url),
                      widget_url=args.widget_url or f"http://127.0.0.1:{args.port}")
    server = ThreadingHTTPServer((args.host, args.port), handler)
    server.verbose = args.verbose
    print(f"Widget demo page on http://{args.host}:{args.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
