"""Custom actions run inside the Rasa server, without a round trip to the action server.

Rasa Open Source 3.6 sends every custom action to the action server over HTTP with the whole
conversation as JSON, and checks the answer against a JSON schema. For the actions that only read the
conversation and the clinic's knowledge (answering a question, not understanding, a new session),
that round trip was most of a message's time (`make bench`, "Where a message's time goes").

endpoints.yml's `action_endpoint: in_process:` names them, and `in_process_package:` the package
that holds them (default `actions`). They run through rasa_sdk's own executor: the same classes,
given the same conversation and domain, answering with the same events and messages as on the
action server. Every other action still goes to the action server, which stays the only process
that records follow-ups (bookings, handoffs, alerts) and sends their notifications.
A failure is reported as Rasa reports an action server's failure, so the never-silent reply follows.
"""

import logging
from functools import lru_cache
from typing import Any, Callable, FrozenSet, List, Optional, Text

import rasa.core.actions.action as rasa_actions
import rasa.core.actions.forms as rasa_forms
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.shared.core.events import Event, deserialise_events
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig
from rasa_sdk.executor import ActionExecutor
from rasa_sdk.interfaces import ActionExecutionRejection as SdkActionExecutionRejection

logger = logging.getLogger(__name__)

NAMES_KEY = "in_process"
PACKAGE_KEY = "in_process_package"
DEFAULT_PACKAGE = "actions"

_installed = False


def in_process_names(endpoint: Optional[EndpointConfig]) -> FrozenSet[Text]:
    """The actions the action endpoint's configuration has run in the Rasa server."""
    if endpoint is None:
        return frozenset()
    return frozenset(endpoint.kwargs.get(NAMES_KEY) or ())


@lru_cache(maxsize=None)
def executor_for(package: Text) -> ActionExecutor:
    """rasa_sdk's executor with the package's actions (loaded once per process)."""
    executor = ActionExecutor()
    executor.register_package(package)
    return executor


class InProcessAction(RemoteAction):
    """A custom action run by rasa_sdk's executor in this process instead of over HTTP."""

    async def run(self, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> List[Event]:
        """Run the action and turn its answer into events, as RemoteAction does with the server's."""
        package = self.action_endpoint.kwargs.get(PACKAGE_KEY) or DEFAULT_PACKAGE
        try:
            answer = await executor_for(package).run(self._action_call_format(tracker, domain)) or {}
        except SdkActionExecutionRejection as e:
            raise ActionExecutionRejection(e.action_name, e.message) from e
        except Exception as e:
            logger.exception(f"Custom action '{self.name()}' failed in the Rasa server.")
            raise RasaException(f"Failed to execute custom action '{self.name()}'") from e
        messages = await self._utter_responses(answer.get("responses") or [], output_channel, nlg, tracker)
        return [*messages, *deserialise_events(answer.get("events") or [])]


def _choosing_in_process(original: Callable) -> Callable:
    def action_for_name_or_text(name: Text, domain: Any, action_endpoint: Optional[EndpointConfig]) -> Any:
        if name in in_process_names(action_endpoint) and name in domain.user_actions:
            return InProcessAction(name, action_endpoint)
        return original(name, domain, action_endpoint)

    return action_for_name_or_text


def _form_validation_action(name: Text, action_endpoint: Optional[EndpointConfig]) -> RemoteAction:
    """What Rasa's forms build to run `validate_<form>`: in process when configured so."""
    if name in in_process_names(action_endpoint):
        return InProcessAction(name, action_endpoint)
    return RemoteAction(name, action_endpoint)


def install() -> None:
    """Have Rasa look up actions through this module (once per process; later calls do nothing)."""
    global _installed
    if _installed:
        return
    rasa_actions.action_for_name_or_text = _choosing_in_process(rasa_actions.action_for_name_or_text)
    # Forms build their validation action themselves, with the class they imported.
    rasa_forms.RemoteAction = _form_validation_action
    _installed = True
