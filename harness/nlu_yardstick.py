"""Evaluate a trained model on labelled NLU files and print the figures.

Usage: python -m harness.nlu_yardstick --model models/x.tar.gz tests/nlu_test.yml [more files]
"""

import argparse
import asyncio
import json
import logging
import statistics
import time
from pathlib import Path
from typing import TYPE_CHECKING, Dict, List, Sequence, Tuple

from harness.nlu_metrics import Example, Parse, score
from clinic.red_flags import describes_own_complication

if TYPE_CHECKING:
    from rasa.core.agent import Agent


def load_examples(path: Path) -> List[Example]:
    """The labelled messages of one Rasa NLU file."""
    from rasa.shared.nlu.training_data.loading import load_data

    examples = []
    for message in load_data(str(path)).intent_examples:
        treatments = tuple(
            sorted({e["value"] for e in message.get("entities") or [] if e.get("entity") == "treatment"})
        )
        examples.append(Example(message.get("text"), message.get("intent"), treatments))
    return examples


def parse_all(agent: "Agent", texts: Sequence[str]) -> Tuple[List[Parse], List[float]]:
    """The model's parse of each text, and how long each took (ms)."""

    async def run() -> Tuple[List[Parse], List[float]]:
        parses, times = [], []
        for text in texts:
            start = time.perf_counter()
            result = await agent.parse_message(text)
            times.append((time.perf_counter() - start) * 1000)
            treatments = tuple(
                sorted({e["value"] for e in result.get("entities") or [] if e.get("entity") == "treatment"})
            )
            intent = result.get("intent") or {}
            parses.append(Parse(intent.get("name") or "", float(intent.get("confidence") or 0.0), treatments))
        return parses, times

    return asyncio.run(run())


def evaluate(model: Path, files: Sequence[Path]) -> Dict[str, Dict]:
    """Figures per file, plus parse latency over all of them."""
    from rasa.core.agent import Agent
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)
    agent = Agent.load(str(model))
    results: Dict[str, Dict] = {}
    all_times: List[float] = []
    for path in files:
        examples = load_examples(path)
        parses, times = parse_all(agent, [e.text for e in examples])
        all_times.extend(times)
        results[path.name] = score(examples, parses, describes_own_complication)
    all_times.sort()
    results["parse_ms"] = {
        "p50": statistics.median(all_times),
        "p95": all_times[int(0.95 * (len(all_times) - 1))],
    }
    return results


def main() -> None:
    """Print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("files", type=Path, nargs="+")
    args = parser.parse_args()
    print(json.dumps(evaluate(args.model, args.files), indent=2))


if __name__ == "__main__":
    main()
