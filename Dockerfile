# syntax=docker/dockerfile:1
#
# One image for all five services of the LMS enrollment backbone.
#
#   docker build -t lms-enrollment .                          # image with all five binaries
#   docker build --build-arg SERVICE=rules-worker -t lms-rules-worker .
#   docker run --rm -e LMS_DATABASE_URL=... -e LMS_KAFKA_BROKERS=... -e LMS_JWT_SECRET=... lms-enrollment
#
# Every image holds all five binaries (they share one build); the build argument SERVICE only sets
# the default one the entrypoint starts (environment variable LMS_SERVICE, overridable at run time).
# Kubernetes runs a binary directly (`command: ["/app/<service>"]`), so one image tag serves all five.
# See docs/deployment.md.

# The Swift version the project is developed and tested with (6.3); Package.swift needs >= 6.1.
# Debian 12 (bookworm) on both stages, so the librdkafka the build links against (librdkafka-dev
# 2.0.2) is the very version the runtime stage installs (librdkafka1 2.0.2), as on the dev machines.
ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

# ------------------------------------------------------------------------------------------------
# Build stage
# ------------------------------------------------------------------------------------------------
FROM ${SWIFT_IMAGE} AS build

RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get update -q \
    && apt-get install -y -q --no-install-recommends librdkafka-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /build

# Resolve dependencies first, so that a source change does not fetch them again. .build is a
# BuildKit cache mount (checkouts and incremental build products survive between image builds).
# Package.resolved is not in the repository, and .dockerignore keeps a local one out: a developer
# machine's Package.resolved may pin commits of a local package mirror.
COPY Package.swift ./
RUN --mount=type=cache,target=/build/.build swift package resolve

COPY . .

# The five service products of Package.swift (products, not the dev broker or the benchmarks).
ARG PRODUCTS="user-service enrollment-service rules-worker progress-service report-service"

# Runtime libraries, the standard approach of the Swift server templates (Vapor, Hummingbird):
# `--static-swift-stdlib` links the Swift runtime and Foundation into each binary, so the runtime
# stage needs no /usr/lib/swift/linux/*.so copied from the toolchain and no swift-slim base image,
# only the C libraries the binaries link dynamically (glibc, libstdc++, librdkafka). The services
# import neither FoundationNetworking nor FoundationXML, so libcurl and libxml2 are not needed by
# Swift (curl is installed below for the compose health checks only).
#
# SwiftPM resources: code in Contracts (JSON Schemas) and in each service (OpenAPI documents) reads
# `Bundle.module`, which on Linux looks for `<package>_<target>.resources` next to the executable,
# so those folders are staged beside the binaries.
RUN --mount=type=cache,target=/build/.build \
    set -eu; \
    for product in ${PRODUCTS}; do \
        swift build -c release --static-swift-stdlib --product "$product"; \
    done; \
    bin="$(swift build -c release --static-swift-stdlib --show-bin-path)"; \
    mkdir -p /staging; \
    for product in ${PRODUCTS}; do cp "$bin/$product" /staging/; done; \
    find -L "$bin" -maxdepth 1 -type d -name '*.resources' -exec cp -R {} /staging/ \; ; \
    cp /usr/libexec/swift/linux/swift-backtrace-static /staging/; \
    chmod -R a+rX /staging; \
    ls -la /staging

# ------------------------------------------------------------------------------------------------
# Runtime stage
# ------------------------------------------------------------------------------------------------
FROM ${RUNTIME_IMAGE} AS runtime

# librdkafka1: the Kafka client; ca-certificates and tzdata: TLS and time zones;
# curl: the health checks of docker-compose.yml (Kubernetes probes need nothing in the image).
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get update -q \
    && apt-get install -y -q --no-install-recommends librdkafka1 ca-certificates tzdata curl \
    && rm -rf /var/lib/apt/lists/*

# A fixed, non-root uid/gid (10001) so Kubernetes' runAsNonRoot can check it numerically.
RUN groupadd --system --gid 10001 lms \
    && useradd --system --uid 10001 --gid lms --home-dir /app --no-create-home --shell /usr/sbin/nologin lms

WORKDIR /app
# Owned by root and read-only for the service user: the services write nothing to disk.
COPY --from=build /staging /app

# Crash reports with symbolicated backtraces on stderr, without a debugger in the image.
ENV SWIFT_BACKTRACE=enable=yes,sanitize=yes,threads=all,images=all,interactive=no,swift-backtrace=/app/swift-backtrace-static

# The service the entrypoint starts unless LMS_SERVICE says otherwise at run time.
ARG SERVICE=user-service
ENV LMS_SERVICE=${SERVICE}
# Listen on every interface inside the container (the services' default too).
ENV LMS_HTTP_HOST=0.0.0.0
# glibc's default of up to eight malloc arenas per core let resident memory double under load
# (threads of NIO, Swift concurrency and librdkafka); two cost no measurable throughput.
ENV MALLOC_ARENA_MAX=2

USER 10001:10001
EXPOSE 8081 8082 8083 8084 8085

# Ready = PostgreSQL and Kafka answer. LMS_HTTP_PORT is set by compose/Kubernetes; without it the
# check falls back to the service's default port.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
    CMD port="${LMS_HTTP_PORT:-}"; \
        if [ -z "$port" ]; then case "$LMS_SERVICE" in \
            user-service) port=8081;; enrollment-service) port=8082;; rules-worker) port=8083;; \
            progress-service) port=8084;; report-service) port=8085;; esac; fi; \
        curl -fsS -o /dev/null "http://127.0.0.1:${port}/health/ready" || exit 1

# `exec` replaces the shell, so the service is PID 1 and receives SIGTERM itself (graceful shutdown:
# stop intake, finish the batch, commit offsets, flush the producer).
ENTRYPOINT ["/bin/sh", "-c", "exec \"/app/${LMS_SERVICE}\" \"$@\"", "lms-service"]
