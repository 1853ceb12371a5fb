"""Logs without visitors' personal data, kept for a limited time.

Every process this project starts calls `install_redaction()` once: from then on every log record
made in the process, by our code or a library's (Rasa, rasa_sdk, SQLAlchemy, Sanic), has phone
numbers, e-mail addresses and message texts replaced before any handler sees it, tracebacks included.

`python -m clinic.logs FILE` is the other half, for `scripts/run.sh`: it reads a server's output
from standard input, redacts each line again (for whatever a library prints without logging), and
writes it to FILE, rotated at midnight and kept for `log_retention_days` (clinic.yml).
"""

import argparse
import logging
import logging.handlers
import re
import sys
import traceback
from typing import Callable, Optional

REDACTED = "[redacted]"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# International (+44 20 7946 0321), national with a trunk 0 (07911 123456), North American (555-123-4567);
# not dates, times or timestamps.
PHONE = re.compile(
    r"(?<![\w.+])(?:\+\d(?:[\s().-]{0,2}\d){6,14}|0\d(?:[\s.-]?\d){8,10}|\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4})(?![\w.])"
)
# A message text in a dict, JSON or keyword form: "text": "...", 'message': '...', text='...'.
TEXT_FIELD = re.compile(
    r"""(?P<key>["']?\b(?:text|message|user_message|name|email|phone|preferred_time)\b["']?\s*[:=]\s*)"""
    r"""(?P<quote>["'])(?P<value>(?:\\.|(?!(?P=quote)).)*)(?P=quote)""",
    re.IGNORECASE | re.DOTALL,
)
# Rasa's debug lines quote the visitor's words: Received user message 'hello' with intent ...
QUOTED_MESSAGE = re.compile(r"(user message |Received message |message: )(['\"]).*?\2", re.IGNORECASE | re.DOTALL)

_installed = False


def redact(text: str) -> str:
    """`text` with message texts, e-mail addresses and phone numbers replaced by [redacted]."""
    text = TEXT_FIELD.sub(lambda m: f"{m.group('key')}{m.group('quote')}{REDACTED}{m.group('quote')}", text)
    text = QUOTED_MESSAGE.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}{m.group(2)}", text)
    text = EMAIL.sub(REDACTED, text)
    return PHONE.sub(REDACTED, text)


def _redacting(factory: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    def make_record(*args, **kwargs) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a library's bad format string: keep its template, drop the arguments
            message = str(record.msg)
        record.msg, record.args = redact(message), ()
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = redact("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return record

    make_record.redacting = True  # type: ignore[attr-defined]
    return make_record


def install_redaction() -> None:
    """Redact every log record this process makes from now on (idempotent)."""
    global _installed
    factory = logging.getLogRecordFactory()
    if _installed or getattr(factory, "redacting", False):
        return
    logging.setLogRecordFactory(_redacting(factory))
    _installed = True


def configure(process: str, level: int = logging.INFO) -> None:
    """Plain logging to standard error for one of our processes, with redaction installed."""
    install_redaction()
    logging.basicConfig(level=level, format=f"%(asctime)s {process} %(levelname)s %(name)s: %(message)s")


def rotating_file(path: str, retention_days: int) -> logging.Handler:
    """A handler writing to `path`, a new file each midnight (UTC), the last `retention_days` kept."""
    handler = logging.handlers.TimedRotatingFileHandler(path, when="midnight", utc=True,
                                                        backupCount=max(1, retention_days), encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(message)s"))
    return handler


def copy_lines(source, handler: logging.Handler) -> None:
    """Write each line of `source` through `handler`, redacted, until `source` ends."""
    for line in iter(source.readline, ""):
        record = logging.LogRecord("output", logging.INFO, "", 0, redact(line.rstrip("\n")), (), None)
        handler.handle(record)
    handler.close()


def main(argv: Optional[list] = None) -> None:
    """Command-line entry point: `server 2>&1 | python -m clinic.logs var/logs/server.log`."""
    from clinic.settings import get_settings

    parser = argparse.ArgumentParser(prog="python -m clinic.logs", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file")
    args = parser.parse_args(argv)
    source = open(sys.stdin.fileno(), encoding="utf-8", errors="replace", closefd=False)
    copy_lines(source, rotating_file(args.file, get_settings().retention_days))


if __name__ == "__main__":
    main()
