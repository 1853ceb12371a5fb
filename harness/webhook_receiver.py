"""A real HTTP endpoint on 127.0.0.1 that records staff notifications (or refuses them)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import List


class WebhookReceiver:
    """Collects JSON POSTs; answers 500 while `failing` is set."""

    def __init__(self) -> None:
        self.received: List[dict] = []
        self.authorizations: List[str] = []
        self.idempotency_keys: List[str] = []  # of every POST, refused ones too
        self.attempts = 0
        self.failing = False
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.attempts += 1
                receiver.idempotency_keys.append(self.headers.get("Idempotency-Key", ""))
                if receiver.failing:
                    self.send_response(500)
                else:
                    receiver.received.append(json.loads(body))
                    receiver.authorizations.append(self.headers.get("Authorization", ""))
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/notify"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "WebhookReceiver":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
