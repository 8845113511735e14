# syntax=docker/dockerfile:1
# Multi-stage build: Swift toolchain on Debian 12 → slim Debian 12 runtime with both daemons.
# ai-worker is the entrypoint; run backend-worker with `--entrypoint backend-worker`.
# Same Debian package names as scripts/install-deps.sh.

# The toolchain the project is built and tested with (Swift 6.3.1).
FROM swift:6.3.1-bookworm AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      pkg-config librdkafka-dev libhiredis-dev libcurl4-openssl-dev libopenblas-pthread-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Resolve dependencies first so that source edits reuse this layer.
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product ai-worker --static-swift-stdlib \
 && swift build -c release --product backend-worker --static-swift-stdlib \
 && install -D "$(swift build -c release --show-bin-path)/ai-worker" /out/ai-worker \
 && install -D "$(swift build -c release --show-bin-path)/backend-worker" /out/backend-worker

# The ml tier's sentence encoder, fetched and checked by the same script as on a developer's machine.
FROM debian:bookworm-slim AS model
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3-pip ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY scripts/install-model.sh /src/scripts/install-model.sh
RUN ML_MODEL_DIR=/opt/ai-worker/models/all-MiniLM-L6-v2 /src/scripts/install-model.sh

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      librdkafka1 libhiredis0.14 libcurl4 libopenblas0-pthread ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin aiworker
COPY --from=build /out/ai-worker /out/backend-worker /usr/local/bin/
COPY Fixtures /app/Fixtures
COPY --from=model /opt/ai-worker/models /opt/ai-worker/models
WORKDIR /app
USER 10001
# No embedded broker in production: without KAFKA_BROKERS ai-worker exits 2 naming it
# (KAFKA_EMBEDDED=on starts the mock cluster, for a demo of the image alone).
ENV KAFKA_EMBEDDED=off LOG_FORMAT=json HTTP_PORT=9464 ML_MODEL_DIR=/opt/ai-worker/models/all-MiniLM-L6-v2
EXPOSE 9464
# SIGTERM drains, commits and leaves the group; give it time (SHUTDOWN_TIMEOUT_MS + margin).
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/ai-worker"]
