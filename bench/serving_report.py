"""The serving benchmark's report: a Markdown table (each side, and each side ÷ the baseline) and a chart."""

from typing import Dict, List, Optional

from bench import breakdown
from clinic.settings import PROJECT_ROOT

TABLE = PROJECT_ROOT / "results" / "bench" / "serving.md"
CHART = PROJECT_ROOT / "docs" / "bench-serving.png"
CHANNEL_NAMES = {"rest": "REST", "socketio": "socket.io"}
NOT_ANSWERED = ("fallback", "cannot_answer", "empty", "error", "timeout")


def _level(side: Dict, channel: str, concurrency: int) -> Optional[Dict]:
    for level in side.get("channels", {}).get(channel, []):
        if level["concurrency"] == concurrency:
            return level
    return None


def _ratio(value, base) -> str:
    if value is None or not base:
        return "–"
    return f"{value / base:.2f}"


def _rows(results: Dict) -> List[tuple]:
    """(label, figure per side) for every row of the table; figures are numbers or tuples of numbers."""
    sides = results["sides"]
    any_side = next(iter(sides.values()))
    rows = []
    for channel in any_side.get("channels", {}):
        for level in any_side["channels"][channel]:
            c = level["concurrency"]
            levels = {name: _level(side, channel, c) or {} for name, side in sides.items()}
            prefix = f"{CHANNEL_NAMES[channel]}, {c} visitor{'s' if c > 1 else ''}"
            rows.append((f"{prefix}: latency p50 / p95 / p99 (ms)",
                         {n: (lv.get("p50_ms"), lv.get("p95_ms"), lv.get("p99_ms")) for n, lv in levels.items()}))
            rows.append((f"{prefix}: messages/s", {n: lv.get("messages_per_s") for n, lv in levels.items()}))
            rows.append((f"{prefix}: turns not answered (fallback / can't answer now / empty / error / timeout) of all",
                         {n: _not_answered(lv) for n, lv in levels.items()}))
    rows.append(("peak RSS, Rasa server (MB)", {n: s.get("peak_rss_mb", {}).get("rasa") for n, s in sides.items()}))
    rows.append(("peak RSS, action server (MB)",
                 {n: s.get("peak_rss_mb", {}).get("actions") for n, s in sides.items()}))
    rows.append(("cold start to first answer (s)", {n: s.get("cold_start_s") for n, s in sides.items()}))
    rows.append(("training time (s)", {n: s.get("train_s") for n, s in sides.items()}))
    rows.append(("model size (MB)", {n: s.get("model_mb") for n, s in sides.items()}))
    return rows


def _not_answered(level: Dict):
    if not level:
        return None
    outcomes = level["outcomes"]
    return " / ".join(str(outcomes.get(k, 0)) for k in NOT_ANSWERED) + f" of {sum(outcomes.values())}"


def _cell(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, tuple):
        return " / ".join(_cell(v) for v in value)
    if isinstance(value, float):
        return f"{value:.1f}" if value < 100 else f"{value:.0f}"
    return str(value)


def _ratio_cell(value, base) -> str:
    if isinstance(value, tuple) and isinstance(base, tuple):
        return " / ".join(_ratio(v, b) for v, b in zip(value, base, strict=True))
    if isinstance(value, (int, float)) and isinstance(base, (int, float)):
        return _ratio(value, base)
    return ""


def markdown(results: Dict) -> str:
    """The table: a column per side, then each other side ÷ the baseline."""
    names = list(results["sides"])
    baseline = results["baseline"] if results["baseline"] in names else None
    others = [n for n in names if n != baseline] if baseline else []
    header = ["", *names, *(f"{n} ÷ {baseline}" for n in others)]
    lines = ["| " + " | ".join(header) + " |", "|---" + "|---:" * (len(header) - 1) + "|"]
    for label, figures in _rows(results):
        cells = [_cell(figures.get(n)) for n in names]
        cells += [_ratio_cell(figures.get(n), figures.get(baseline)) for n in others]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def goals(results: Dict) -> str:
    """Issue 11's goals for each side against the baseline, as figures: what was reached, and whether it is enough."""
    names = list(results["sides"])
    baseline = results["baseline"]
    if baseline not in names:
        return ""
    base = results["sides"][baseline]
    lines = ["| goal | " + " | ".join(n for n in names if n != baseline) + " |",
             "|---" + "|---" * (len(names) - 1) + "|"]
    checks = []
    for channel in base.get("channels", {}):
        label = CHANNEL_NAMES[channel]
        checks.append((f"{label}: messages/s at 10 visitors ≥ 3 × {baseline}'s", 3.0, ">=",
                       lambda s, c=channel: _quotient(s, base, c, 10, "messages_per_s")))
        checks.append((f"{label}: p95 at 10 visitors ≤ 0.33 × {baseline}'s", 0.33, "<=",
                       lambda s, c=channel: _quotient(s, base, c, 10, "p95_ms")))
        checks.append((f"{label}: p50 with one visitor ≤ 25 ms", 25.0, "<=",
                       lambda s, c=channel: (_level(s, c, 1) or {}).get("p50_ms")))
    checks.append((f"peak RSS of the Rasa server ≤ {baseline}'s (ratio ≤ 1)", 1.0, "<=",
                   lambda s: _divide(s.get("peak_rss_mb", {}).get("rasa"), base.get("peak_rss_mb", {}).get("rasa"))))
    checks.append(("cold start to first answer ≤ 15 s", 15.0, "<=", lambda s: s.get("cold_start_s")))
    for label, limit, sense, figure in checks:
        cells = []
        for name in names:
            if name == baseline:
                continue
            value = figure(results["sides"][name])
            met = value is not None and (value >= limit if sense == ">=" else value <= limit)
            cells.append("–" if value is None else f"{value:.2f} ({'met' if met else 'not met'})")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _divide(value, base) -> Optional[float]:
    return value / base if value is not None and base else None


def _quotient(side: Dict, base: Dict, channel: str, concurrency: int, figure: str) -> Optional[float]:
    return _divide((_level(side, channel, concurrency) or {}).get(figure),
                   (_level(base, channel, concurrency) or {}).get(figure))


def machine_note(results: Dict) -> str:
    """What the machine was doing before each side's run."""
    notes = [f"{name}: load average {', '.join(map(str, side['machine_before']['load_average']))} "
             f"on {side['machine_before']['cpus']} cores" for name, side in results["sides"].items()
             if "machine_before" in side]
    run = results["run"]
    return (f"Run {run['started']} (commit {run['commit']}), {run['conversations_per_level']} conversations of "
            f"{min(run['turns_per_conversation'])}-{max(run['turns_per_conversation'])} turns per level (at least one "
            f"per visitor), closed loop; machine load before each side: " + "; ".join(notes) + ".")


def chart(results: Dict, path=CHART) -> None:
    """p50 and p95 latency against the number of visitors, one panel per channel, a colour per side."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullFormatter, ScalarFormatter

    channels = list(next(iter(results["sides"].values())).get("channels", {}))
    figure, axes = plt.subplots(1, len(channels), figsize=(5.5 * len(channels), 4), squeeze=False)
    for axis, channel in zip(axes[0], channels, strict=True):
        for index, (name, side) in enumerate(results["sides"].items()):
            levels = side.get("channels", {}).get(channel, [])
            xs = [lv["concurrency"] for lv in levels]
            colour = f"C{index}"
            axis.plot(xs, [lv["p50_ms"] for lv in levels], "o-", color=colour, label=f"{name} p50")
            axis.plot(xs, [lv["p95_ms"] for lv in levels], "s--", color=colour, label=f"{name} p95")
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.yaxis.set_major_formatter(ScalarFormatter())
        axis.yaxis.set_minor_formatter(NullFormatter())
        axis.set_xticks(xs)
        axis.set_xticklabels([str(x) for x in xs])
        axis.set_title(f"{CHANNEL_NAMES[channel]} channel")
        axis.set_xlabel("concurrent visitors (closed loop)")
        axis.set_ylabel("latency per message (ms)")
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(fontsize=8)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100)
    plt.close(figure)


def write(results: Dict) -> None:
    """Print the report, write it to results/bench/serving.md and draw the chart."""
    parts = ["## Serving: " + " vs. ".join(results["sides"]), "", machine_note(results), "", markdown(results)]
    if goals(results):
        parts += ["", "Goals of issue 11:", "", goals(results)]
    for name, side in results["sides"].items():
        if "breakdown" in side:
            parts += ["", f"### Where a message's time goes ({name})", "", breakdown.markdown(side["breakdown"])]
    text = "\n".join(parts) + "\n"
    print(text)
    TABLE.parent.mkdir(parents=True, exist_ok=True)
    TABLE.write_text(text)
    chart(results)
    print(f"Written {TABLE} and {CHART}")
