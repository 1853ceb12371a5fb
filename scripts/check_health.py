"""Exit 0 when every URL given answers 2xx within the timeout, else 1: `python scripts/check_health.py URL...`.

The health check of the containers (deploy/compose) and of the systemd watchdog (deploy/systemd): plain
standard library, so it runs in every image of the project, Rasa's and rasa-sdk's included.
"""

import argparse
import sys
import urllib.error
import urllib.request


def answers(url: str, timeout: float) -> bool:
    """True when `url` answers a GET with a 2xx status within `timeout` seconds."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as reply:
            return 200 <= reply.status < 300
    except (urllib.error.URLError, OSError, ValueError):
        return False


def main(argv=None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="check_health.py", description=__doc__)
    parser.add_argument("urls", nargs="+", metavar="URL")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds per URL (default 5)")
    args = parser.parse_args(argv)
    silent = [url for url in args.urls if not answers(url, args.timeout)]
    for url in silent:
        print(f"no healthy answer from {url}", file=sys.stderr)
    return 1 if silent else 0


if __name__ == "__main__":
    sys.exit(main())
