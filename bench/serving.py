"""`make bench-serving`: the project's model served beside Rasa's default, under closed-loop visitors.

For each side of bench/serving_sides.yml (model, config, endpoints, Rasa workers): train the model
if it is missing or stale, start a fresh action server and Rasa server on 127.0.0.1 with fresh
SQLite databases, time the cold start (Rasa process start to the reply to a first message), then
let 1, 10, 50 visitors play the conversations of bench/conversations.yml over REST and socket.io,
each sending its next message once the last is answered; watch the peak RSS of both servers' process
trees. For a side marked `profile`, a per-message time breakdown under py-spy (bench/breakdown.py).
Writes bench/results.json, results/bench/serving.md and docs/bench-serving.png.

Develop with small settings: `python -m bench.serving --levels 1 2 --conversations 3`.
"""

import argparse
import asyncio
import json
import os
import subprocess
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, List, Sequence

import yaml

from bench import breakdown, serving_report
from bench.load import Target, run_level
from bench.memory import PeakRss
from bench.trained_models import ensure_model
from clinic.settings import PROJECT_ROOT
from harness.servers import running_servers

SIDES_FILE = PROJECT_ROOT / "bench" / "serving_sides.yml"
CONVERSATIONS_FILE = PROJECT_ROOT / "bench" / "conversations.yml"
RESULTS = PROJECT_ROOT / "bench" / "results.json"
LOGS = PROJECT_ROOT / "var" / "logs"
# Rasa loads a model in well under a minute on an idle machine; on a shared one it may take minutes.
START_TIMEOUT_SECONDS = 600


def plan(conversations: List[Sequence[str]], concurrency: int, at_least: int) -> List[Sequence[str]]:
    """The conversations of one level: `at_least` of them, and at least one per visitor, in turn."""
    return [conversations[i % len(conversations)] for i in range(max(at_least, concurrency))]


def machine_load() -> Dict:
    """What else the machine was doing: `uptime`'s load averages and the number of cores."""
    return {"uptime": subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(),
            "load_average": [round(x, 2) for x in os.getloadavg()], "cpus": os.cpu_count()}


def measure_levels(target: Target, conversations, args) -> Dict[str, List[Dict]]:
    """Every channel at every concurrency level, after one warm-up conversation per channel."""
    figures = {}
    for channel in args.channels:
        asyncio.run(run_level(target, channel, conversations[:1], 1))
        figures[channel] = []
        for concurrency in args.levels:
            level = asyncio.run(run_level(target, channel, plan(conversations, concurrency, args.conversations),
                                          concurrency))
            print(f"   {channel:8} c={concurrency:<3} p50 {level['p50_ms']} ms, p95 {level['p95_ms']} ms, "
                  f"{level['messages_per_s']} msg/s, outcomes {level['outcomes']}", flush=True)
            figures[channel].append(level)
    return figures


def profile(servers, target: Target, conversations, count: int, name: str, folder: Path) -> Dict:
    """One visitor over REST with py-spy on the Rasa server and the action server: the breakdown.

    py-spy's raw stacks are kept in `folder` (results/bench/), to be read with any flame graph tool.
    """
    folder.mkdir(parents=True, exist_ok=True)
    rasa = breakdown.Recording(servers.started["rasa"][0].pid, folder / f"serving-{name}-rasa.pyspy.txt")
    actions = breakdown.Recording(servers.started["actions"][0].pid, folder / f"serving-{name}-actions.pyspy.txt")
    try:
        level = asyncio.run(run_level(target, "rest", plan(conversations, 1, count), 1))
    finally:
        rasa_stacks, actions_stacks = rasa.stop(), actions.stop()
    return breakdown.breakdown(rasa_stacks, actions_stacks, level["messages"], level["mean_ms"])


def measure_side(name: str, side: Dict, conversations, markers, args) -> Dict:
    """Every figure of one side, from fresh servers."""
    model = PROJECT_ROOT / side["model"]
    train_s = ensure_model(model, PROJECT_ROOT / side["config"], side.get("training_inputs"),
                           LOGS / f"bench_train_{name}.log", retrain=name in args.train)
    env = {"SANIC_WORKERS": str(side.get("rasa_workers", 1)), **{k: str(v) for k, v in (side.get("env") or {}).items()}}
    result = {"settings": side, "machine_before": machine_load(), "train_s": train_s,
              "model_mb": round(model.stat().st_size / 1e6, 1)}
    print(f"== {name}: {model.name}, {result['machine_before']['uptime']}", flush=True)
    with tempfile.TemporaryDirectory(prefix=f"bench-serving-{name}-") as workdir:
        running = running_servers(Path(workdir), model=model, endpoints=PROJECT_ROOT / side["endpoints"],
                                  extra_env=env, start_timeout_s=START_TIMEOUT_SECONDS)
        servers = next(running)
        try:
            rasa, started = servers.started["rasa"]
            target = Target(servers.rasa_url, servers.widget_url, markers)
            with PeakRss({"rasa": rasa.pid, "actions": servers.started["actions"][0].pid}) as memory:
                servers.say("bench-cold-start", conversations[0][0])
                result["cold_start_s"] = round(time.monotonic() - started, 2)
                print(f"   cold start to first answer: {result['cold_start_s']} s", flush=True)
                result["channels"] = measure_levels(target, conversations, args)
            result["peak_rss_mb"] = memory.peaks_mb
            if side.get("profile") and args.profile_conversations:
                result["breakdown"] = profile(servers, target, conversations, args.profile_conversations, name,
                                              serving_report.TABLE.parent)
                print(breakdown.markdown(result["breakdown"]), flush=True)
        finally:
            running.close()
    return result


def apply_overrides(sides: Dict, overrides: Sequence[str]) -> None:
    """`side.key=value` settings from the command line (values read as YAML: numbers, lists...)."""
    for override in overrides:
        path, _, value = override.partition("=")
        name, _, key = path.partition(".")
        if name not in sides or not key:
            raise SystemExit(f"--set {override}: expected side.key=value with a side of the sides file")
        sides[name][key] = yaml.safe_load(value)


def main() -> None:
    """Measure every side, write the results and the report."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sides-file", type=Path, default=SIDES_FILE)
    parser.add_argument("--sides", nargs="*", help="a subset of the sides file's sides (default: all)")
    parser.add_argument("--set", nargs="*", default=[], metavar="SIDE.KEY=VALUE",
                        help="change a side's setting, e.g. project.rasa_workers=2 or project.model=models/x.tar.gz")
    parser.add_argument("--train", nargs="*", default=[], metavar="SIDE",
                        help="train these sides' models even if up to date (to record a full training's time)")
    parser.add_argument("--levels", nargs="*", type=int, default=[1, 10, 50], help="numbers of concurrent visitors")
    parser.add_argument("--channels", nargs="*", choices=["rest", "socketio"], default=["rest", "socketio"])
    parser.add_argument("--conversations", type=int, default=20,
                        help="conversations per level (at least one per visitor)")
    parser.add_argument("--profile-conversations", type=int, default=10,
                        help="conversations played under the profiler (0: no breakdown)")
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--keep-others", action="store_true",
                        help="keep the figures of the sides not measured now from --results (one side at a time)")
    parser.add_argument("--report", action="store_true", help="only print and draw the report of --results")
    args = parser.parse_args()
    if not args.report:
        config = yaml.safe_load(args.sides_file.read_text())
        apply_overrides(config["sides"], args.set)
        script = yaml.safe_load(CONVERSATIONS_FILE.read_text())
        conversations = list(script["conversations"].values())
        started = time.monotonic()
        kept = json.loads(args.results.read_text())["sides"] if args.keep_others and args.results.exists() else {}
        results = {
            "run": {"started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                                             text=True, cwd=PROJECT_ROOT).stdout.strip(),
                    "levels": args.levels, "conversations_per_level": args.conversations,
                    "turns_per_conversation": [len(c) for c in conversations]},
            "baseline": config["baseline"],
            "sides": kept,
        }
        for name in args.sides or config["sides"]:
            results["sides"][name] = measure_side(name, config["sides"][name], conversations, script["markers"], args)
            results["sides"][name]["measured"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        results["run"]["seconds"] = round(time.monotonic() - started)
        args.results.write_text(json.dumps(results, indent=2) + "\n")
    results = json.loads(args.results.read_text())
    serving_report.write(results)


if __name__ == "__main__":
    main()
