"""The one template filler for what the assistant says: `{placeholder}`s filled from values.

Used for the actions' messages (knowledge/messages.yml), the FAQ answers (knowledge/answers.yml)
and the widget's too-long notice (clinic.yml).
"""

from typing import Any


def fill(template: str, **values: Any) -> str:
    """`template` with each `{name}` replaced by `values[name]` (a missing value is an error)."""
    return template.format(**values)
