"""Widget latency as a visitor sees it, in Debian's Chromium against the real servers.

Prints: time from clicking the launcher to the greeting on screen, and from pressing Enter on a
question to its answer on screen (median and 90th percentile of 20 questions).
Run with `make bench` (needs a trained model: `make train`).
"""

import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from clinic.settings import get_settings
from harness.browser import CHROMIUM, CHROMIUM_ARGS
from harness.servers import running_servers

QUESTIONS = [
    "how long does botox last", "and fillers?", "does it hurt?", "what are fillers made of",
    "can botox be reversed", "what areas can you treat with filler", "is there any downtime",
    "when will I see results from botox", "can I have botox and filler together",
    "what's the difference between botox and fillers", "who does the injections",
    "can botox help with sweating", "is preventative botox worth it", "dynamic vs static wrinkles",
    "how much does lip filler cost", "can I have botox while breastfeeding",
    "how does botox work", "what are the side effects of fillers", "how long do cheek fillers last",
    "is juvederm safe",
]
BOT = ".rw-response .rw-message-text"


def percentile(values, fraction):
    """The value at `fraction` (0..1) of the sorted values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(page, servers):
    """Seconds to the greeting, and to each answer."""
    page.goto(servers.widget_url)
    started = time.perf_counter()
    page.get_by_role("button", name="Open chat with the clinic assistant").click()
    expect(page.locator(BOT).filter(has_text=get_settings().widget.welcome_text)).to_be_visible(timeout=30_000)
    to_greeting = time.perf_counter() - started
    box = page.get_by_role("textbox", name="Type your message")
    answers = []
    for question in QUESTIONS:
        count = page.locator(BOT).count()
        box.fill(question)
        started = time.perf_counter()
        box.press("Enter")
        expect(page.locator(BOT)).not_to_have_count(count, timeout=30_000)
        answers.append(time.perf_counter() - started)
    return to_greeting, answers


def warm_up(servers) -> float:
    """The first message a fresh server handles also builds the model's graph; time it apart."""
    started = time.perf_counter()
    servers.say("bench-warm-up", "hello")
    return time.perf_counter() - started


def main():
    """Start the servers, measure, print."""
    with tempfile.TemporaryDirectory() as workdir:
        servers_running = running_servers(Path(workdir), widget=True)
        servers = next(servers_running)
        try:
            first_message = warm_up(servers)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page()
                to_greeting, answers = measure(page, servers)
                browser.close()
        finally:
            servers_running.close()
    print("Widget latency (Chromium, servers on 127.0.0.1, includes the widget's 120 ms display delay)")
    print(f"  first message to a freshly started server (REST): {first_message * 1000:.0f} ms")
    print(f"  open widget -> greeting on screen:  {to_greeting * 1000:.0f} ms")
    print(f"  question -> answer on screen (n={len(answers)}): median {statistics.median(answers) * 1000:.0f} ms, "
          f"p90 {percentile(answers, 0.9) * 1000:.0f} ms, max {max(answers) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
