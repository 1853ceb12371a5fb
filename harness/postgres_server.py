"""A throwaway PostgreSQL server on 127.0.0.1 for tests (Debian's postgresql package)."""

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import List

from harness.servers import free_port


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError("PostgreSQL is not installed: run 'scripts/install-system-packages.sh postgresql'")
    return Path(found[-1]).parent


class PostgresServer:
    """initdb + pg_ctl in a temporary folder; the URL accepts the `clinic` user without a password."""

    def __init__(self) -> None:
        self.bin = _bin_dir()
        # Its own folder directly under /tmp: the postgres user cannot enter pytest's (root-only) ones.
        self.workdir = Path(tempfile.mkdtemp(prefix="clinic-pg-"))
        self.data = self.workdir / "pgdata"
        self.port = free_port()
        self.url = f"postgresql://clinic@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str) -> None:
        # PostgreSQL refuses to run as root; run it as the package's postgres user then.
        prefix: List[str] = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        done = subprocess.run(prefix + list(command), capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise RuntimeError(f"{command[0]} failed: {done.stderr or done.stdout}")

    def start(self) -> "PostgresServer":
        """Create the database cluster (first time only) and start the server (ready when this returns)."""
        if not (self.data / "PG_VERSION").exists():
            if os.geteuid() == 0:
                shutil.chown(self.workdir, "postgres", "postgres")
            self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "clinic", "--auth=trust", "-E", "UTF8")
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.workdir}"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l",
                  str(self.workdir / "server.log"), "-w", "start")
        return self

    def create_database(self, name: str) -> str:
        """Create a database on this server; its URL."""
        self._run(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "clinic", name)
        return f"postgresql://clinic@127.0.0.1:{self.port}/{name}"

    def halt(self) -> None:
        """Stop the server, keeping its data: `start()` brings it back with everything stored."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def stop(self) -> None:
        """Stop the server and remove its files."""
        self.halt()
        shutil.rmtree(self.workdir, ignore_errors=True)
