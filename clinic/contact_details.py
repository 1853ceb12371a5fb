"""Checking and tidying what a visitor types into the booking form.

Each function returns (value, None) when the input is usable, or (None, reason) when it
is not; the reason is said to the visitor before the question is asked again.
"""

import re
from typing import Iterable, Optional, Tuple

import phonenumbers
from email_validator import EmailNotValidError, validate_email

Checked = Tuple[Optional[str], Optional[str]]

MAX_NAME_LENGTH = 80
MAX_PREFERRED_TIME_LENGTH = 200
_NAME_PREFIX = re.compile(
    r"^(?:hi|hello|hey)?[\s,!.]*(?:my name is|my name's|name is|name's|i am|i'm|im|it's|its|this is|call me)\s+",
    re.IGNORECASE,
)
_NAME_CHARS = re.compile(r"^[^\W\d_]+(?:[ '\-.][^\W\d_]+)*\.?$", re.UNICODE)
_NOT_NAMES = {
    "yes", "no", "ok", "okay", "sure", "hi", "hello", "hey", "thanks", "thank you", "nope",
    "yeah", "botox", "filler", "fillers", "why", "what", "idk", "no thanks", "maybe",
}


def check_name(text: str, person_entities: Iterable[str] = ()) -> Checked:
    """A visitor's name: spaCy's PERSON entity when it found one, else the tidied text."""
    for person in person_entities:
        person = " ".join(str(person).split())
        if _NAME_CHARS.match(person) and person.lower() not in _NOT_NAMES:
            return person.title() if person.islower() else person, None
    candidate = _NAME_PREFIX.sub("", " ".join((text or "").split())).strip(" .!,")
    if not candidate:
        return None, "I didn't catch a name there."
    if len(candidate) > MAX_NAME_LENGTH:
        return None, "That's a bit long for a name."
    if candidate.lower() in _NOT_NAMES or not _NAME_CHARS.match(candidate) or len(candidate.split()) > 4:
        return None, "That doesn't look like a name."
    return (candidate.title() if candidate.islower() else candidate), None


# Tried, in order, when a number is not valid in the clinic's region: visitors from abroad type
# their number as they would at home (a US number without +1 to a UK clinic).
OTHER_REGIONS = ("US", "GB", "IE", "AU", "NZ", "ZA", "IN", "FR", "DE", "ES", "IT", "NL")


def _read_number(raw: str, region: str) -> Optional[phonenumbers.PhoneNumber]:
    match = next(iter(phonenumbers.PhoneNumberMatcher(raw, region)), None)
    if match:
        return match.number
    try:
        return phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None


def check_phone(text: str, default_region: str) -> Checked:
    """A phone number in international (E.164) form, read in the clinic's region, else another common one."""
    raw = (text or "").strip()
    if not raw or len(raw) > 64:
        return None, "I couldn't find a phone number in that."
    regions = [default_region] + [r for r in OTHER_REGIONS if r != default_region]
    numbers = [n for n in (_read_number(raw, region) for region in regions) if n is not None]
    if not numbers:
        return None, "I couldn't find a phone number in that."
    valid = next((n for n in numbers if phonenumbers.is_valid_number(n)), None)
    if valid is None:
        return None, "That number doesn't look complete or valid."
    return phonenumbers.format_number(valid, phonenumbers.PhoneNumberFormat.E164), None


def abroad_note(e164: str, default_region: str) -> Optional[str]:
    """For a number outside the clinic's region, how it was read, so the visitor can correct it."""
    number = phonenumbers.parse(e164)
    if number.country_code == phonenumbers.country_code_for_region(default_region):
        return None
    shown = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    region = phonenumbers.region_code_for_number(number)
    return f"I've noted {shown} ({region}). If that's not right, please type it with its country code."


def check_email(text: str) -> Checked:
    """An e-mail address, checked for form only (no network look-up)."""
    words = [w.strip("<>()[],;:'\"") for w in (text or "").split()]
    candidates = [w for w in words if "@" in w]
    if not candidates:
        return None, "I couldn't find an email address in that."
    try:
        valid = validate_email(candidates[0].rstrip("."), check_deliverability=False)
    except EmailNotValidError as error:
        return None, f"That email address doesn't look right ({error})."
    return valid.normalized, None


def check_preferred_time(text: str) -> Checked:
    """Free text about when suits the visitor; only emptiness and length are refused."""
    cleaned = " ".join((text or "").split())
    if not cleaned:
        return None, "Could you tell me a day or time that suits you?"
    if len(cleaned) > MAX_PREFERRED_TIME_LENGTH:
        return None, "Could you put that more briefly, e.g. 'weekday mornings'?"
    return cleaned, None
