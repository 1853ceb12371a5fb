"""Where a message's time goes in the Rasa server (and the action server), from py-spy samples.

py-spy samples the running processes' Python stacks without changing them; each sample is put in
one category by the functions on its stack: the graph component being run (NLU components and
policies, by class), the tracker store's reads and writes, the call to the action server, the lock
store, the responses, the channel and web server, the rest of Rasa. Only stacks that are running are
sampled (a thread waiting on I/O is not), so the time a message spends waiting, e.g. for the action
server's answer, is the difference between its latency and the sampled time.
"""

import ast
import re
import signal
import subprocess
import sys
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from clinic.settings import PROJECT_ROOT

PY_SPY = str(Path(sys.executable).parent / "py-spy")
RATE_PER_SECOND = 250
FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^()]*):(?P<line>\d+)\)$")
Frame = Tuple[str, str, int]
ACTIONS_DIR = str(PROJECT_ROOT / "actions") + "/"
ACTION_SERVER_MAIN = str(PROJECT_ROOT / "actions" / "server.py")


class Recording:
    """py-spy recording one process (its raw stacks to `output`) until stopped."""

    def __init__(self, pid: int, output: Path):
        self.output = output
        self.process = subprocess.Popen(
            [PY_SPY, "record", "--pid", str(pid), "--rate", str(RATE_PER_SECOND), "--format", "raw",
             "--full-filenames", "--output", str(output)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )

    def stop(self) -> Counter:
        """Stop sampling (py-spy writes its file on Ctrl-C); the sampled stacks and their counts."""
        self.process.send_signal(signal.SIGINT)
        _, errors = self.process.communicate(timeout=60)
        if not self.output.exists():
            raise RuntimeError(f"py-spy wrote nothing: {errors[-2000:]}")
        return read_raw(self.output)


def read_raw(path: Path) -> Counter:
    """py-spy's raw format: one line per distinct stack, `frame;frame;... count`, outermost first."""
    stacks: Counter = Counter()
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if stack:
            stacks[tuple(parse_frame(f) for f in stack.split(";"))] += int(count)
    return stacks


def parse_frame(text: str) -> Frame:
    """`function (file:line)` as (function, file, line)."""
    match = FRAME.match(text)
    if not match:
        return text, "", 0
    return match["function"], match["file"], int(match["line"])


@lru_cache(maxsize=None)
def _classes(file: str) -> List[Tuple[int, int, str]]:
    """(first line, last line, name) of every class in a source file."""
    try:
        tree = ast.parse(Path(file).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return []
    return [(n.lineno, n.end_lineno or n.lineno, n.name) for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]


def class_at(file: str, line: int) -> Optional[str]:
    """The innermost class whose body holds this line of this file."""
    holding = [(first, name) for first, last, name in _classes(file) if first <= line <= last]
    return max(holding)[1] if holding else None


def called_by(stack: Sequence[Frame], file_suffix: str, function: str) -> Optional[Frame]:
    """The frame the innermost `function` of a file ending in `file_suffix` called, if any."""
    for index in range(len(stack) - 2, -1, -1):
        name, file, _ = stack[index]
        if name == function and file.endswith(file_suffix):
            return stack[index + 1]
    return None


def _in(stack: Sequence[Frame], *fragments: str) -> bool:
    return any(fragment in file for _, file, _ in stack for fragment in fragments)


def rasa_category(stack: Sequence[Frame]) -> str:
    """The category of one sampled stack of the Rasa server."""
    component = called_by(stack, "rasa/engine/graph.py", "__call__")
    if component:
        _, file, line = component
        name = class_at(file, line) or Path(file).stem
        if "/rasa/core/policies/" in file:
            return f"policy: {name}"
        if "/rasa/nlu/" in file or "/addons/" in file:
            return f"NLU: {name}"
        return f"graph, other: {name}"
    tracker_store = [name for name, file, _ in stack if file.endswith(("rasa/core/tracker_store.py",
                                                                       "url_sql_tracker_store.py"))]
    if tracker_store:
        writes = any(name.startswith(("save", "_additional_events", "stream")) for name in tracker_store)
        return "tracker store: write" if writes else "tracker store: read"
    if _in(stack, "rasa/utils/endpoints.py") or any(
            file.endswith("rasa/core/actions/action.py") and class_at(file, line) == "RemoteAction"
            for _, file, line in stack):
        if _in(stack, "/jsonschema/"):
            return "action server call: checking its answer against Rasa's JSON schema"
        return "action server call: the request and its answer"
    if _in(stack, "rasa/core/lock_store.py"):
        return "lock store"
    if _in(stack, "rasa/core/nlg/", "addons/clinic_responses.py"):
        return "responses (NLG)"
    if _in(stack, "rasa/core/processor.py", "rasa/core/agent.py", "rasa/core/actions/", "rasa/shared/core/"):
        return "Rasa dialogue (processor, actions, events)"
    return "channel, web server, event loop"


def actions_category(stack: Sequence[Frame]) -> str:
    """The category of one sampled stack of the action server: the project's action class running, if any."""
    for _, file, line in stack:
        if file.startswith(ACTIONS_DIR) and file != ACTION_SERVER_MAIN:
            return f"action: {class_at(file, line) or Path(file).stem}"
    if stack and stack[-1][0] == "_worker" and stack[-1][1].endswith("concurrent/futures/thread.py"):
        return "thread pool waiting for work (py-spy counts it as running)"
    return "rasa_sdk and web server"


def table_rows(stacks: Counter, categorise, messages: int) -> List[Dict]:
    """Milliseconds per message and share of the sampled time, per category, largest first."""
    totals: Counter = Counter()
    for stack, count in stacks.items():
        totals[categorise(stack)] += count
    sampled = sum(totals.values()) or 1
    return [{"category": name, "ms_per_message": round(count / RATE_PER_SECOND * 1000 / messages, 2),
             "percent": round(100 * count / sampled, 1)} for name, count in totals.most_common()]


def breakdown(rasa_stacks: Counter, actions_stacks: Counter, messages: int, mean_latency_ms: float) -> Dict:
    """The breakdown of one profiled run."""
    rasa_rows = table_rows(rasa_stacks, rasa_category, messages)
    sampled = sum(row["ms_per_message"] for row in rasa_rows)
    return {
        "messages": messages,
        "rate_per_second": RATE_PER_SECOND,
        "mean_latency_ms": mean_latency_ms,
        "rasa": rasa_rows,
        "rasa_sampled_ms_per_message": round(sampled, 2),
        "not_sampled_ms_per_message": round(mean_latency_ms - sampled, 2),
        "actions": table_rows(actions_stacks, actions_category, messages),
    }


def markdown(result: Dict) -> str:
    """The breakdown as a Markdown table."""
    lines = [f"Per-message time in the Rasa server ({result['messages']} messages over REST, one visitor, "
             f"mean latency {result['mean_latency_ms']:.1f} ms; py-spy at {result['rate_per_second']} Hz)", "",
             "| where | ms per message | % of Rasa's sampled time |", "|---|---:|---:|"]
    lines += [f"| {row['category']} | {row['ms_per_message']:.2f} | {row['percent']:.1f} |" for row in result["rasa"]]
    lines.append(f"| **Rasa, sampled in total** | **{result['rasa_sampled_ms_per_message']:.2f}** | 100 |")
    lines.append(f"| waiting, not on a Rasa stack (action server's answer, I/O, the visitor's client) | "
                 f"{result['not_sampled_ms_per_message']:.2f} | |")
    lines += ["", "| action server | ms per message | % |", "|---|---:|---:|"]
    lines += [f"| {row['category']} | {row['ms_per_message']:.2f} | {row['percent']:.1f} |"
              for row in result["actions"]]
    return "\n".join(lines)
