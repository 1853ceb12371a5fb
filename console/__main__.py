"""Staff console commands.

Usage:
  python -m console create-user NAME [--role admin|staff]   (password prompted, or read from
                                       standard input; the first account is an admin)
  python -m console run [--port 8001] [--host 127.0.0.1]   (serve; 127.0.0.1 unless --host says otherwise)
  python -m console purge              (delete what is older than clinic.yml's retention_days)
  python -m console erase [--conversation ID] [--phone N] [--email A]   (everything about one visitor)
"""

import argparse
import getpass
import sys

import waitress

from clinic.logs import configure
from clinic import retention
from clinic.settings import get_settings
from console.app import create_app
from console.erasure import erase_visitor
from console.settings import load_console_settings
from console.users import UserStore


def create_user(name: str, role=None) -> int:
    """Create (or reset the password of) a staff account."""
    if sys.stdin.isatty():
        password = getpass.getpass(f"Password for {name}: ")
        if getpass.getpass("Again: ") != password:
            print("The passwords differ.", file=sys.stderr)
            return 1
    else:
        password = sys.stdin.readline().rstrip("\n")
    try:
        role = UserStore(load_console_settings().console_db_url).create(name, password, role)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"Staff account '{name}' ({role}) is ready.")
    return 0


def _report(what: str, counts: dict) -> None:
    print(what + ": " + ", ".join(f"{v} {k}" for k, v in counts.items() if not isinstance(v, list)))


def purge() -> int:
    """Delete conversations, follow-ups, login failures, access records and logs past retention."""
    settings, console = get_settings(), load_console_settings()
    before = retention.cutoff(settings.retention_days)
    counts = retention.purge(console.tracker_db_url, console.followup_db_url, before)
    counts.update(UserStore(console.console_db_url).purge(before))
    _report(f"Deleted what is older than {settings.retention_days} days", counts)
    return 0


def erase(conversation: str, phone: str, email: str) -> int:
    """Remove everything about one visitor and say what was removed."""
    try:
        counts = erase_visitor(load_console_settings(), conversation, phone, email, get_settings().clinic.phone_region)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    _report("Erased", counts)
    print("Conversation ids:", " ".join(counts["conversation ids"]) or "none")
    return 0


def main(argv=None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m console", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-user", help="create a staff account (the first one is an admin)")
    create.add_argument("name")
    create.add_argument("--role", choices=("admin", "staff"))
    commands.add_parser("purge", help="delete what is older than clinic.yml's retention_days")
    erase_parser = commands.add_parser("erase", help="remove everything about one visitor")
    erase_parser.add_argument("--conversation", default="")
    erase_parser.add_argument("--phone", default="")
    erase_parser.add_argument("--email", default="")
    run = commands.add_parser("run", help="serve the console (127.0.0.1 unless --host)")
    run.add_argument("--port", type=int, default=8001)
    run.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
    args = parser.parse_args(argv)
    configure("console")
    if args.command == "create-user":
        return create_user(args.name, args.role)
    if args.command == "purge":
        return purge()
    if args.command == "erase":
        return erase(args.conversation, args.phone, args.email)
    # waitress: a production WSGI server (Flask's own server is for development only).
    waitress.serve(create_app(), host=args.host, port=args.port, threads=8)
    return 0


if __name__ == "__main__":
    sys.exit(main())
