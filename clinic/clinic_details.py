"""The clinic details that responses fill in ({clinic_name}, {clinic_phone}, ...)."""

from typing import Dict, Optional

from clinic.settings import Settings, get_settings


def clinic_details(settings: Optional[Settings] = None) -> Dict[str, str]:
    """Template values for the domain's responses, from clinic.yml."""
    settings = settings or get_settings()
    clinic = settings.clinic
    return {
        "clinic_name": clinic.name,
        "clinic_phone": clinic.phone,
        "emergency_number": clinic.emergency_number,
        "welcome_text": settings.widget.welcome_text,
    }
