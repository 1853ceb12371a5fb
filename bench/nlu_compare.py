"""`make bench-nlu`: the project's pipeline beside the landed one and Rasa's default, on the same data.

For each pipeline: train on data/nlu (NLU only), then score the three held-out files (harness.nlu_report),
parse latency and the evaluating process's peak RSS; for the project's pipeline also a 5-fold
cross-validation of the training data (`--folds-all` runs it for every pipeline: slow, DIET trains
for minutes per fold). Writes results/bench/nlu.json and prints Markdown tables.

Each pipeline's figures and cross-validation are kept (results/bench/nlu/cache/) under a hash of what
they were computed from (config, training data, the add-ons' and the yardstick's code, the pins,
the held-out files): a later run reuses them while those are unchanged; `--fresh` recomputes all.
"""

import argparse
import json
import shutil
import subprocess
import sys
import time
from functools import partial
from pathlib import Path
from typing import Dict, List, Optional

from bench.cache import ResultCache, digest
from clinic.settings import PROJECT_ROOT

OUT = PROJECT_ROOT / "results" / "bench" / "nlu"
CACHE = ResultCache(OUT / "cache")
PIPELINES = {
    "project": PROJECT_ROOT / "config.yml",
    "landed": PROJECT_ROOT / "bench" / "configs" / "landed.yml",
    "rasa_default": PROJECT_ROOT / "bench" / "configs" / "rasa_default.yml",
    "project_no_encoder": PROJECT_ROOT / "bench" / "configs" / "no_encoder.yml",
}
RASA = str(Path(sys.executable).parent / "rasa")


def train(name: str, config: Path, nlu: Path, out: Path) -> Dict:
    """Train one NLU model; its path, training time and size."""
    # Rasa writes the defaults it filled in back into a config without a pipeline: train on a copy.
    copy = out / f"{name}.config.yml"
    shutil.copy(config, copy)
    start = time.monotonic()
    subprocess.run(
        [RASA, "train", "nlu", "--config", str(copy), "--nlu", str(nlu), "--out", str(out), "--fixed-model-name", name],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=PROJECT_ROOT,
    )
    model = out / f"{name}.tar.gz"
    return {"model": str(model), "train_s": round(time.monotonic() - start, 1), "size_mb": model.stat().st_size / 1e6}


def evaluate(model: str, files: List[Path]) -> Dict:
    """Figures per file from a fresh process, with that process's peak RSS."""
    code = (
        "import json, resource, sys; from pathlib import Path; from harness.nlu_yardstick import evaluate; "
        "r = evaluate(Path(sys.argv[1]), [Path(p) for p in sys.argv[2:]]); "
        "r['peak_rss_mb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024; print(json.dumps(r))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, model, *map(str, files)],
        check=True, capture_output=True, text=True, cwd=PROJECT_ROOT,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def cross_validate(name: str, config: Path, folds: int, out: Path) -> Dict:
    """Mean intent accuracy and treatment F1 over `folds` stratified splits of the training data."""
    from harness.folds import write_folds

    scores = []
    for index, (train_file, test_file) in enumerate(write_folds(PROJECT_ROOT / "data" / "nlu", folds, out / "folds")):
        trained = train(f"{name}_fold{index}", config, train_file, out)
        figures = evaluate(trained["model"], [test_file])[test_file.name]
        scores.append(figures)
        Path(trained["model"]).unlink()
    return {
        "folds": folds,
        "intent_accuracy": sum(s["intent_accuracy"] for s in scores) / folds,
        "macro_f1": sum(s["macro_f1"] for s in scores) / folds,
        "treatment_f1": sum(s["treatment_f1"] or 0 for s in scores) / folds,
    }


SUMMARY = [
    ("nlu_test.yml", "intent_accuracy", "our held-out file: intent accuracy"),
    ("nlu_test.yml", "treatment_f1", "our held-out file: treatment F1"),
    ("nlu_independent.yml", "intent_accuracy", "independent file: intent accuracy"),
    ("nlu_independent.yml", "macro_f1", "independent file: macro-F1"),
    ("nlu_independent.yml", "treatment_f1", "independent file: treatment F1"),
    ("nlu_independent.yml", "in_scope_fell_back", "independent file: questions that fell back"),
    ("nlu_independent.yml", "adverse_recall", "independent file: complications caught"),
    ("nlu_independent.yml", "false_alerts", "independent file: false alerts"),
    ("nlu_out_of_domain.yml", "out_of_scope_recall", "out-of-domain: fell back"),
    ("nlu_out_of_domain.yml", "out_of_scope_answered_as_faq", "out-of-domain: answered as a treatment question"),
    ("nlu_out_of_domain.yml", "out_of_scope_acted_on", "out-of-domain: booking, handoff or alert"),
    ("nlu_out_of_domain.yml", "false_alerts", "out-of-domain: alerts raised"),
]


def summary(report: Dict[str, Dict]) -> str:
    """One Markdown table: a row per figure, a column per pipeline."""
    names = list(report)
    lines = ["| | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    for file, figure, label in SUMMARY:
        cells = [report[n]["results"][file][figure] for n in names]
        lines.append(f"| {label} | " + " | ".join(_format(c) for c in cells) + " |")
    extras = [
        ("5-fold cross-validation: intent accuracy", _cross_validated),
        ("parse p50 / p95 (ms)", lambda e: "{p50:.0f} / {p95:.0f}".format(**e["results"]["parse_ms"])),
        ("peak RSS of the evaluating process (MB)", lambda e: f"{e['results']['peak_rss_mb']:.0f}"),
        ("training time (s)", lambda e: e["train_s"]),
        ("model size (MB)", lambda e: f"{e['size_mb']:.1f}"),
    ]
    for label, value in extras:
        lines.append(f"| {label} | " + " | ".join(_format(value(report[n])) for n in names) + " |")
    return "\n".join(lines)


def _cross_validated(entry: Dict) -> Optional[float]:
    return (entry.get("cross_validation") or {}).get("intent_accuracy")


def _format(value) -> str:
    if value is None:
        return "–"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def training_key(config: Path) -> str:
    """What an NLU model trained with `config` depends on: the config, the NLU data, our components' code, pins."""
    inputs = [config, *(PROJECT_ROOT / "data" / "nlu").rglob("*.yml"), *(PROJECT_ROOT / "addons").glob("*.py"),
              PROJECT_ROOT / "clinic" / "treatments.py", *PROJECT_ROOT.glob("requirements*.txt"),
              PROJECT_ROOT / "constraints.txt"]
    return digest(inputs)


def yardstick_key(files: List[Path]) -> str:
    """What the scores depend on besides the model: the held-out files and the code that scores them."""
    return digest([*files, *(PROJECT_ROOT / "harness" / name for name in ("nlu_yardstick.py", "nlu_metrics.py",
                                                                          "nlu_report.py", "folds.py"))])


def measure(name: str, config: Path, files: List[Path]) -> Dict:
    """Train one pipeline on data/nlu and score it on the held-out files."""
    print(f"== {name}: training...", flush=True)
    entry = train(name, config, PROJECT_ROOT / "data" / "nlu", OUT)
    entry["results"] = evaluate(entry["model"], files)
    return entry


def pipeline_entry(name: str, config: Path, files: List[Path], args) -> Dict:
    """One pipeline's figures (and cross-validation), from the cache while their inputs are unchanged."""
    key = digest([], training_key(config), yardstick_key(files))
    entry = CACHE.get_or_compute(name, key, partial(measure, name, config, files), fresh=args.fresh)
    if args.folds and (name == "project" or args.folds_all):
        print(f"== {name}: {args.folds}-fold cross-validation...", flush=True)
        entry["cross_validation"] = CACHE.get_or_compute(
            f"cv-{name}", digest([], key, str(args.folds)), partial(cross_validate, name, config, args.folds, OUT),
            fresh=args.fresh)
    return entry


def main() -> None:
    """Train, evaluate, print."""
    from harness.nlu_report import FILES, table

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--folds-all", action="store_true", help="cross-validate every pipeline, not only ours")
    parser.add_argument("--only", nargs="*", choices=list(PIPELINES), help="a subset of the pipelines")
    parser.add_argument("--report", action="store_true", help="print the summary of the last run only")
    parser.add_argument("--fresh", action="store_true", help="recompute everything, ignoring the cache")
    args = parser.parse_args()
    if args.report:
        print(summary(json.loads((OUT / "nlu.json").read_text())))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    report: Dict[str, Dict] = {}
    for name in args.only or PIPELINES:
        entry = pipeline_entry(name, PIPELINES[name], FILES, args)
        report[name] = entry
        print(table(entry["results"]))
        print(
            f"train {entry['train_s']} s, model {entry['size_mb']:.1f} MB, parse p50 "
            f"{entry['results']['parse_ms']['p50']:.1f} ms / p95 {entry['results']['parse_ms']['p95']:.1f} ms, "
            f"peak RSS {entry['results']['peak_rss_mb']:.0f} MB, cross-validation {entry.get('cross_validation')}",
            flush=True,
        )
    (OUT / "nlu.json").write_text(json.dumps(report, indent=2))
    print(summary(report))
    print(f"Written {OUT / 'nlu.json'}")


if __name__ == "__main__":
    main()
