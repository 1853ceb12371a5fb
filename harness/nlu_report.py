"""`make test-nlu`: the model's understanding on every held-out file, checked against floors.

Usage: python -m harness.nlu_report --model models/clinic-assistant.tar.gz [--json results/nlu.json]

The files: tests/nlu_test.yml (written beside the training data), tests/nlu_independent.yml (written by
another author from a style brief, never trained or tuned on) and tests/nlu_out_of_domain.yml (everyday
requests of other domains and near-misses, all of which should fall back). A floor is the lowest
figure a release may have; it sits a little under the measured figure, so that a real regression
fails while a retrain's wobble does not.
"""

import argparse
import json
import sys
from pathlib import Path
from typing import Dict, List

from harness.nlu_yardstick import evaluate

TESTS = Path(__file__).resolve().parent.parent / "tests"
FILES = [TESTS / "nlu_test.yml", TESTS / "nlu_independent.yml", TESTS / "nlu_out_of_domain.yml"]
# (file, figure, lowest allowed). The goals are higher (README "How it understands visitors"): every
# report caught and no false alert on any file; these floors are what the model reaches today.
FLOORS = [
    ("nlu_test.yml", "intent_accuracy", 0.95),
    ("nlu_test.yml", "treatment_f1", 0.95),
    ("nlu_test.yml", "adverse_recall", 1.0),
    ("nlu_independent.yml", "intent_accuracy", 0.94),
    ("nlu_independent.yml", "treatment_f1", 0.95),
    ("nlu_independent.yml", "adverse_recall", 0.9),
    ("nlu_out_of_domain.yml", "out_of_scope_recall", 0.96),
]
# Most alerts raised on messages that are not reports, per file.
MOST_FALSE_ALERTS = {"nlu_test.yml": 0, "nlu_independent.yml": 0, "nlu_out_of_domain.yml": 2}
COLUMNS = ["intent_accuracy", "macro_f1", "treatment_f1", "in_scope_fell_back", "out_of_scope_recall",
           "out_of_scope_acted_on", "adverse_recall", "false_alerts"]


def table(results: Dict[str, Dict]) -> str:
    """The figures as a Markdown table, one row per file."""
    lines = ["| file | n | " + " | ".join(COLUMNS) + " |", "|---" * (len(COLUMNS) + 2) + "|"]
    for name, figures in results.items():
        if not name.endswith(".yml"):  # parse latency and memory, printed apart
            continue
        cells = [_cell(figures.get(column)) for column in COLUMNS]
        lines.append(f"| {name} | {figures['examples']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def failures(results: Dict[str, Dict]) -> List[str]:
    """Every floor not met, and every file with more false alerts than allowed."""
    failed = [
        f"{file} {figure} {results[file][figure]:.3f} < {floor}"
        for file, figure, floor in FLOORS
        if (results[file][figure] or 0.0) < floor
    ]
    failed += [
        f"{file} raised {results[file]['false_alerts']} false alerts (at most {most})"
        for file, most in MOST_FALSE_ALERTS.items()
        if results[file]["false_alerts"] > most
    ]
    return failed


def _cell(value) -> str:
    if value is None:
        return "–"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def main() -> int:
    """Print the table; exit 1 when a floor is not met."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results = evaluate(args.model, FILES)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2))
    print(table(results))
    latency = results["parse_ms"]
    print(f"parse latency over all files: p50 {latency['p50']:.1f} ms, p95 {latency['p95']:.1f} ms")
    problems = failures(results)
    for problem in problems:
        print("FAILED:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
