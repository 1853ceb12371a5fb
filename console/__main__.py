"""Staff console commands.

Usage:
  python -m console create-user NAME [--role admin|staff]   (password prompted, or read from
                                       standard input; the first account is an admin)
  python -m console run [--port 8001]  (serve on 127.0.0.1)
"""

import argparse
import getpass
import sys

import waitress

from clinic.logs import configure
from console.app import create_app
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


def main(argv=None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m console", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-user", help="create a staff account (the first one is an admin)")
    create.add_argument("name")
    create.add_argument("--role", choices=("admin", "staff"))
    run = commands.add_parser("run", help="serve the console on 127.0.0.1")
    run.add_argument("--port", type=int, default=8001)
    args = parser.parse_args(argv)
    configure("console")
    if args.command == "create-user":
        return create_user(args.name, args.role)
    # waitress: a production WSGI server (Flask's own server is for development only).
    waitress.serve(create_app(), host="127.0.0.1", port=args.port, threads=8)
    return 0


if __name__ == "__main__":
    sys.exit(main())
