"""When clinic staff are available, in words, from clinic.yml's hours and timezone."""

from datetime import datetime, time, timedelta
from typing import Dict, Optional, Tuple
from zoneinfo import ZoneInfo

from clinic.settings import WEEKDAYS

Span = Tuple[time, time]


def parse_span(value: str) -> Optional[Span]:
    """'09:00-18:00' -> (09:00, 18:00); 'closed' or anything unreadable -> None."""
    try:
        start, end = (time.fromisoformat(part.strip()) for part in value.split("-"))
    except ValueError:
        return None
    return (start, end) if start < end else None


def _clock(moment: time) -> str:
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}:{moment.minute:02d}{suffix}" if moment.minute else f"{hour}{suffix}"


def describe_availability(hours: Dict[str, str], timezone: str, now: datetime) -> str:
    """When staff are next in, e.g. 'Our team is in now, until 6pm.'."""
    local = now.astimezone(ZoneInfo(timezone))
    today = parse_span(hours.get(WEEKDAYS[local.weekday()], "closed"))
    if today and today[0] <= local.time() < today[1]:
        return f"Our team is in now, until {_clock(today[1])}."
    for days_ahead in range(0, 8):
        day = local + timedelta(days=days_ahead)
        span = parse_span(hours.get(WEEKDAYS[day.weekday()], "closed"))
        if span and (days_ahead > 0 or local.time() < span[0]):
            when = {0: "today", 1: "tomorrow"}.get(days_ahead, f"on {WEEKDAYS[day.weekday()].title()}")
            return f"Our team is next in {when} from {_clock(span[0])} ({timezone} time)."
    return "Our team's opening hours aren't set up yet."
