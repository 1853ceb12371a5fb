"""How many visitors one or two Rasa replicas hold: the production profile under rising load.

    .venv/bin/python -m bench.prod_load [--replicas 1] [--levels 10 25 50 100] [--pause 0]

Starts the production profile for real (harness/prod_stack.py: PostgreSQL, Redis, the replicas
behind nginx, on this machine), then for each level runs that many simulated visitors at once,
each a 10-turn conversation (harness/load_client.py), and prints p50/p95/p99 latency per message and
messages per second. Visitors send each message as soon as the reply comes, or `--pause` seconds after it
(time to read and type; their first messages then spread over one pause). Written to
results/prod/sweep-N.json (sweep-N-pause-P.json with a pause).
"""

import argparse
import asyncio
import json
import os
import tempfile
import time
from pathlib import Path

from harness.load_client import latency_figures, make_visitors, run_visitors
from harness.prod_stack import running_stack
from harness.servers import ROOT


async def sweep(url: str, levels, pause: float) -> list:
    """One load per level, one after the other; their figures."""
    rows = []
    for level in levels:
        visitors = make_visitors(level, f"sweep{level}-{int(time.time())}")
        started = time.monotonic()
        await run_visitors(url, visitors, retries=0, pause=pause, timeout=300)
        rows.append({**latency_figures(visitors, time.monotonic() - started), "load_average": os.getloadavg()})
        print(format_row(rows[-1]), flush=True)
    return rows


def format_row(row: dict) -> str:
    """One level's figures as a table row."""
    return (f"{row['visitors']:>9}{row['messages']:>9}{row['errors']:>7}{row['p50_s']:>8}{row['p95_s']:>8}"
            f"{row['p99_s']:>8}{row['messages_per_s']:>8}   {row['load_average'][0]:.1f}")


def main() -> None:
    """Start the stack, sweep the levels, print and write the figures."""
    parser = argparse.ArgumentParser(prog="python -m bench.prod_load", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replicas", type=int, default=1)
    parser.add_argument("--levels", type=int, nargs="+", default=[10, 25, 50, 100])
    parser.add_argument("--pause", type=float, default=0.0, help="seconds between a reply and the next message")
    args = parser.parse_args()
    stack_runner = running_stack(Path(tempfile.mkdtemp(prefix="clinic-bench-")), replicas=args.replicas)
    stack = next(stack_runner)
    try:
        print(f"{args.replicas} replica(s), {args.pause:g} s between messages; "
              f"load average at start {os.getloadavg()[0]:.1f}")
        print(f"{'visitors':>9}{'messages':>9}{'errors':>7}{'p50 s':>8}{'p95 s':>8}{'p99 s':>8}{'msg/s':>8}   load")
        rows = asyncio.run(sweep(stack.url, args.levels, args.pause))
    finally:
        stack_runner.close()
    suffix = f"-pause-{args.pause:g}" if args.pause else ""
    out = ROOT / "results" / "prod" / f"sweep-{args.replicas}{suffix}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"replicas": args.replicas, "pause_s": args.pause, "levels": rows}, indent=2) + "\n")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
