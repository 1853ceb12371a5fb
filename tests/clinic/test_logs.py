"""Logs carry no visitor's phone number, e-mail address or words; database errors carry no values."""

import logging
import subprocess
import sys

import pytest
import sqlalchemy as sa

from clinic.database import engine_for
from clinic.logs import install_redaction, redact

PHONE, EMAIL, WORDS = "07911 123456", "nina.patel@example.com", "my lip has gone white"


@pytest.mark.parametrize("line", [
    f"Could not store lead for conversation abc: phone={PHONE!r}",
    f"call +44 20 7946 0321 or {EMAIL}",
    f"{{'text': '{WORDS}', 'intent': {{'name': 'report_adverse'}}}}",
    f'{{"event": "user", "text": "{WORDS}", "timestamp": 1700000000.5}}',
    f"Received user message '{WORDS}' with intent",
])
def test_phones_emails_and_message_texts_are_redacted(line):
    out = redact(line)
    assert PHONE not in out and EMAIL not in out and WORDS not in out and "7946 0321" not in out
    assert "[redacted]" in out


def test_ordinary_log_lines_are_kept():
    line = "Starting Rasa server on http://127.0.0.1:5005 at 2026-12-01 10:15:02, 1700000000.5 s, port 5055"
    assert redact(line) == line


def test_every_record_of_the_process_is_redacted_tracebacks_included(caplog):
    install_redaction()
    logger = logging.getLogger("some.library")
    try:
        raise ValueError(f"bad value {EMAIL}")
    except ValueError:
        logger.exception("failed for %s", PHONE)
    text = caplog.text
    assert PHONE not in text and EMAIL not in text and "ValueError: bad value [redacted]" in text


def test_database_errors_do_not_show_the_values_that_were_bound(tmp_path):
    engine = engine_for(f"sqlite:///{tmp_path / 'x.db'}")
    table = sa.Table("people", sa.MetaData(), sa.Column("phone", sa.String, unique=True))
    table.create(engine)
    with engine.begin() as conn:
        conn.execute(table.insert().values(phone=PHONE))
    with pytest.raises(sa.exc.IntegrityError) as error:
        with engine.begin() as conn:
            conn.execute(table.insert().values(phone=PHONE))
    assert PHONE not in str(error.value)


def test_the_log_writer_redacts_each_line_into_a_rotating_file(tmp_path):
    log = tmp_path / "server.log"
    lines = f"started\nlead from {EMAIL} on {PHONE}\n"
    subprocess.run([sys.executable, "-m", "clinic.logs", str(log)], input=lines, text=True, check=True, timeout=60)
    assert log.read_text().splitlines() == ["started", "lead from [redacted] on [redacted]"]


def test_the_rasa_server_gets_the_redaction_when_it_loads_our_add_ons():
    # Rasa imports addons/ for the tracker store and the channels; nothing else is needed in it.
    code = ("import logging, addons; logging.basicConfig(format='%(message)s'); "
            f"logging.getLogger('rasa.core').warning(\"Received user message '{WORDS}' from {EMAIL}\")")
    err = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120).stderr
    assert "Received user message" in err and WORDS not in err and EMAIL not in err
