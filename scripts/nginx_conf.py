"""Write a runnable nginx configuration from deploy/nginx/clinic.conf.template and the environment.

    python scripts/nginx_conf.py PREFIX    # then: nginx -p PREFIX -c PREFIX/nginx.conf

The template's ${VAR}s (LISTEN, RASA_UPSTREAM_SERVERS, WIDGET_SERVER, CONSOLE_LISTEN,
CONSOLE_SERVER) are filled from the environment, as the official nginx image does; nginx's own
$variables stay. PREFIX/nginx.conf runs nginx in the foreground with its pid, logs and temporary
files under PREFIX; its access log names the Rasa replica that answered each request.
Used by `PROFILE=prod scripts/run.sh` and harness/prod_stack.py.
"""

import os
import re
import sys
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parents[1] / "deploy" / "nginx" / "clinic.conf.template"
TEMPLATE_VARIABLES = ("LISTEN", "RASA_UPSTREAM_SERVERS", "WIDGET_SERVER", "CONSOLE_LISTEN", "CONSOLE_SERVER")

MAIN = """daemon off;
worker_processes auto;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    log_format upstream '$time_iso8601 $remote_addr $request_method $uri $status $upstream_addr $request_time';
    access_log {prefix}/access.log upstream;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/site.conf;
}}
"""


def fill(template: str, env: dict) -> str:
    """The template with its variables filled; a variable missing from `env` is an error."""
    missing = [name for name in TEMPLATE_VARIABLES if not env.get(name)]
    if missing:
        raise SystemExit(f"nginx template: set {', '.join(missing)}")
    return re.sub(r"\$\{([A-Z_]+)\}", lambda m: env[m.group(1)] if m.group(1) in TEMPLATE_VARIABLES else m.group(0),
                  template)


def write(prefix: Path, env: dict) -> Path:
    """Write PREFIX/site.conf and PREFIX/nginx.conf; the latter's path."""
    prefix.mkdir(parents=True, exist_ok=True)
    (prefix / "site.conf").write_text(fill(TEMPLATE.read_text(), env))
    main = prefix / "nginx.conf"
    main.write_text(MAIN.format(prefix=prefix.resolve()))
    return main


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    print(write(Path(sys.argv[1]), dict(os.environ)))
