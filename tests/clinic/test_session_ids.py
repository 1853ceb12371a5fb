"""Signed socket.io session ids: only this server's key makes one it accepts."""

import re
import stat

from clinic.session_ids import CONVERSATION_PREFIX, SessionIds, conversation_id, signing_key

SENDER_RULE = re.compile(r"^[A-Za-z0-9_-]{1,128}$")  # the REST channel's rule (addons/channel_guard.py)


def test_issued_ids_are_unique_verifiable_and_fit_the_sender_rule():
    ids = SessionIds("key")
    issued = {ids.issue() for _ in range(50)}
    assert len(issued) == 50
    for session_id in issued:
        assert SENDER_RULE.match(session_id) and ids.verify(session_id) == session_id


def test_a_signature_spelt_another_way_is_not_accepted():
    # The last base64 character carries two spare bits: B, C and D decode like A.
    ids = SessionIds("key")
    for _ in range(200):
        real = ids.issue()
        value, signature = real.split("-", 1)
        spare = "ABCD"[("ABCD".index(signature[-1]) + 1) % 4] if signature[-1] in "ABCD" else None
        if spare:
            assert ids.verify(f"{value}-{signature[:-1]}{spare}") is None
            return
    raise AssertionError("no signature ending in A-D in 200 tries")


def test_forged_unsigned_and_other_keys_ids_are_not_accepted():
    ids = SessionIds("key")
    real = ids.issue()
    value, signature = real.split("-", 1)
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    for bad in (value, f"{value}-{flipped}", SessionIds("other").issue(), conversation_id(real), "", None, 42,
                f"{value}.{signature}", real + "x", "../" + real):
        assert ids.verify(bad) is None, bad


def test_the_conversation_id_does_not_carry_the_signature():
    real = SessionIds("key").issue()
    known = conversation_id(real)
    assert known.startswith(CONVERSATION_PREFIX) and real.split("-", 1)[1] not in known


def test_the_key_comes_from_the_environment_else_a_private_file_made_once(tmp_path):
    assert signing_key({"SESSION_SIGNING_KEY": "from-env"}, tmp_path / "k") == "from-env"
    assert not (tmp_path / "k").exists()
    made = signing_key({}, tmp_path / "k")
    assert len(made) >= 32 and signing_key({}, tmp_path / "k") == made
    assert stat.S_IMODE((tmp_path / "k").stat().st_mode) == 0o600
