import pytest

from clinic.contact_details import abroad_note, check_email, check_name, check_phone, check_preferred_time


@pytest.mark.parametrize(
    "text, persons, expected",
    [
        ("my name is sarah jones", [], "Sarah Jones"),
        ("It's Raj", [], "Raj"),
        ("Zoë O'Neil", [], "Zoë O'Neil"),
        ("hi, I'm the one who called", ["Anna Lee"], "Anna Lee"),
    ],
)
def test_names_are_tidied(text, persons, expected):
    assert check_name(text, persons) == (expected, None)


@pytest.mark.parametrize("text", ["yes", "", "   ", "<script>alert(1)</script>", "x" * 500, "07911 123456", "🙂🙂"])
def test_non_names_are_refused_with_a_reason(text):
    value, reason = check_name(text)
    assert value is None and reason


@pytest.mark.parametrize(
    "text, region, expected",
    [
        ("07911 123456", "GB", "+447911123456"),
        ("call me on +1 907 555 0134 please", "GB", "+19075550134"),
        ("(907) 555-0134", "US", "+19075550134"),
        ("020 7946 0321", "GB", "+442079460321"),
        ("(212) 555-0134", "GB", "+12125550134"),
        ("my cell is 415-555-2671", "GB", "+14155552671"),
    ],
)
def test_phone_numbers_are_stored_in_international_form(text, region, expected):
    assert check_phone(text, region) == (expected, None)


@pytest.mark.parametrize("text", ["12", "no phone", "", "9" * 200, "\x00\x01"])
def test_bad_phone_numbers_are_refused_with_a_reason(text):
    value, reason = check_phone(text, "GB")
    assert value is None and reason


def test_emails_are_found_in_a_sentence_and_normalised():
    assert check_email("sure, it's Jane.Doe@Example.com") == ("Jane.Doe@example.com", None)


@pytest.mark.parametrize("text", ["jane@", "no email", "", "a@b"])
def test_bad_emails_are_refused_with_the_reason(text):
    value, reason = check_email(text)
    assert value is None and reason


def test_preferred_time_is_free_text_within_reason():
    assert check_preferred_time("  weekday   mornings ") == ("weekday mornings", None)
    assert check_preferred_time("")[0] is None
    assert check_preferred_time("x" * 1000)[0] is None


def test_a_number_from_abroad_is_confirmed_back_and_a_local_one_is_not():
    assert "+1 212-555-0134" in abroad_note("+12125550134", "GB")
    assert abroad_note("+447911123456", "GB") is None
