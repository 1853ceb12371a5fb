# One image for the parts that need neither Rasa nor rasa_sdk: the staff console, the widget server, the
# notifier and the daily purge (each deployment chooses its command). The widget's npm packages come from
# the lock file (npm ci), as `make install` does.
#
# Build from the repository root:
#   docker build -f deploy/docker/web.Dockerfile -t clinic-assistant/web:0.1.0 .
FROM node:20.18.1-bookworm-slim AS widget-packages
WORKDIR /build
COPY widget/package.json widget/package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts --loglevel=error

FROM python:3.10.16-slim-bookworm
RUN useradd --system --uid 1001 --gid 0 --home-dir /srv/clinic/var --no-create-home clinic
WORKDIR /srv/clinic
COPY deploy/docker/requirements-web.txt constraints.txt ./
RUN pip install --no-cache-dir --disable-pip-version-check -r requirements-web.txt -c constraints.txt
COPY clinic/ clinic/
COPY console/ console/
COPY widget/ widget/
COPY --from=widget-packages /build/node_modules widget/node_modules
COPY knowledge/ knowledge/
COPY domain/ domain/
COPY scripts/check_health.py scripts/
COPY config.yml clinic.yml ./
RUN mkdir -p var && chown 1001:0 var && chmod 0770 var
ENV HOME=/srv/clinic/var SQLALCHEMY_SILENCE_UBER_WARNING=1 PYTHONUNBUFFERED=1
USER 1001
EXPOSE 8001 8080
# The console by default; the compose file and the Kubernetes manifests give each part its command.
CMD ["python", "-m", "console", "run", "--host", "0.0.0.0", "--port", "8001"]
