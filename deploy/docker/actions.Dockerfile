# The action server: rasa_sdk's official image, the core's pins (exactly those of requirements.txt), our
# actions and core. It answers /health without a token and everything else only with ACTION_SERVER_TOKEN.
#
# Build from the repository root:
#   docker build -f deploy/docker/actions.Dockerfile -t clinic-assistant/actions:0.1.0 .
FROM rasa/rasa-sdk:3.6.2
USER root
WORKDIR /srv/clinic
COPY deploy/docker/requirements-actions.txt constraints.txt ./
RUN pip install --no-cache-dir --disable-pip-version-check -r requirements-actions.txt -c constraints.txt
COPY clinic/ clinic/
COPY actions/ actions/
COPY knowledge/ knowledge/
COPY scripts/check_health.py scripts/
COPY clinic.yml ./
RUN mkdir -p var && chown 1001:0 var && chmod 0770 var
ENV HOME=/srv/clinic/var SQLALCHEMY_SILENCE_UBER_WARNING=1
USER 1001
EXPOSE 5055
ENTRYPOINT ["python", "-m", "actions.server", "--host", "0.0.0.0", "--port", "5055"]
