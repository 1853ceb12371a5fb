"""The serving benchmark counts a fallback or an empty reply apart from a real answer, and reports percentiles."""

import time

from bench.load import Tally, summarise

MARKERS = {"fallback": ["not sure I understood"], "cannot_answer": ["can't answer that right now"]}


def test_fallback_failure_and_empty_replies_are_counted_as_their_own_kinds():
    tally = Tally()
    for texts in (["Botox lasts 3-4 months."], ["Sorry, I'm NOT SURE I UNDERSTOOD."], [], [""],
                  ["Sorry, I can't answer that right now. Please try again in a moment."]):
        tally.record(time.perf_counter(), texts, MARKERS)
    tally.outcomes["timeout"] += 1
    figures = summarise(tally, elapsed_s=2.0, concurrency=1, conversations=1)
    assert figures["outcomes"] == {"ok": 1, "fallback": 1, "cannot_answer": 1, "empty": 2, "error": 0, "timeout": 1}
    assert figures["messages"] == 5 and figures["messages_per_s"] == 2.5


def test_percentiles_are_of_the_answered_turns():
    tally = Tally(latencies_s=[i / 1000 for i in range(1, 101)])
    figures = summarise(tally, elapsed_s=10.0, concurrency=10, conversations=10)
    assert (figures["p50_ms"], figures["p95_ms"], figures["p99_ms"]) == (51.0, 95.0, 99.0)
