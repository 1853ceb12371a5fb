"""Two of Rasa 3.6's per-message costs, removed without changing what Rasa does.

Measured with py-spy on the Rasa server (`make bench`, "Where a message's time goes"):
- Every answer from the action server is checked with `jsonschema.validate(answer, schema)`, which first
  checks the schema itself against the JSON Schema meta-schema: about 50 times the cost of checking
  the answer. Here the schema is checked once and its validator kept; answers are checked exactly as
  before and a wrong one raises the same error.
- Every stored event read back is matched to its class by walking all subclasses of `Event`; with a
  conversation's events read on every message, that walk adds up. Here the classes are looked up in a
  table built once (an unknown name still gets Rasa's own lookup and error).

`install()` is called once by the Rasa server (addons.url_sql_tracker_store, the extension every
profile's endpoints load at start).
"""

from functools import lru_cache
from typing import Any, Dict, Optional, Text, Type

from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

_installed = False


def install() -> None:
    """Replace the two slow steps (once per process; later calls do nothing)."""
    global _installed
    if _installed:
        return
    RemoteAction._validate_action_result = _validate_action_result
    Event.resolve_by_type = staticmethod(_resolve_by_type(Event.resolve_by_type))
    _installed = True


@lru_cache(maxsize=None)
def _action_response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator = validator_for(schema)
    validator.check_schema(schema)
    return validator(schema)


def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    """RemoteAction._validate_action_result with the schema's validator built once."""
    try:
        _action_response_validator().validate(result)
        return True
    except ValidationError as e:
        e.message += (
            ". Failed to validate Action server response from API, make sure your response from the "
            f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise e


def _resolve_by_type(original):
    """Event.resolve_by_type with a table of the known event classes by type name."""
    classes: Dict[Text, Type[Event]] = {}

    def resolve_by_type(type_name: Text, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
        if not classes:
            # First match wins, as in Rasa's own walk.
            for cls in reversed(all_subclasses(Event)):
                classes[cls.type_name] = cls
        return classes.get(type_name) or original(type_name, default)

    return resolve_by_type
