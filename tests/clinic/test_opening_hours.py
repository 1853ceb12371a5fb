from datetime import datetime, timezone

import pytest

from clinic.opening_hours import describe_availability, parse_span

HOURS = {
    "monday": "09:00-18:00", "tuesday": "09:00-18:00", "wednesday": "09:00-18:00",
    "thursday": "09:00-20:00", "friday": "09:00-18:00", "saturday": "10:00-16:00", "sunday": "closed",
}


@pytest.mark.parametrize(
    "utc, expected",
    [
        ("2026-11-23T12:00", "Our team is in now, until 6pm."),  # Monday noon in London
        ("2026-11-23T19:00", "Our team is next in tomorrow from 9am (Europe/London time)."),
        ("2026-11-28T17:00", "Our team is next in on Monday from 9am (Europe/London time)."),  # Saturday evening
        ("2026-11-24T07:00", "Our team is next in today from 9am (Europe/London time)."),
    ],
)
def test_visitors_are_told_when_staff_are_in(utc, expected):
    now = datetime.fromisoformat(utc).replace(tzinfo=timezone.utc)
    assert describe_availability(HOURS, "Europe/London", now) == expected


def test_hours_are_read_in_the_clinic_timezone():
    # 14:30 UTC is 09:30 in New York (EST): open there, though not yet in London terms.
    now = datetime(2026, 11, 23, 14, 30, tzinfo=timezone.utc)
    assert describe_availability(HOURS, "America/New_York", now) == "Our team is in now, until 6pm."


def test_unreadable_or_closed_hours_are_closed():
    assert parse_span("closed") is None and parse_span("18:00-09:00") is None and parse_span("nonsense") is None
    assert "aren't set up" in describe_availability({}, "UTC", datetime.now(timezone.utc))
