# mockserver: a local mock of the Shoppex and Shoplazza APIs.
#
#   docker build -t mockserver .
#   docker run --rm -p 8787:8787 mockserver
#
# BASE can be any Debian-like image with python3 (>= 3.10) and the venv module;
# scripts/docker-smoke builds on a plain debootstrapped bookworm that way.
ARG BASE=python:3.12-slim

# ---- build: install the package and its dependencies into /opt/venv ----------
FROM ${BASE} AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

WORKDIR /src
# README* (long_description): a wildcard, so a checkout without it still builds.
COPY setup.cfg pyproject.toml README* ./
COPY mockserver ./mockserver
COPY fixtures ./fixtures

# Point pip at the system CA bundle when the base has one (a no-op on the
# official python images, needed where a site CA was added to that bundle).
# pip and setuptools are dropped afterwards: the server does not need them.
RUN set -eu; \
    ca=/etc/ssl/certs/ca-certificates.crt; \
    if [ -z "${PIP_CERT:-}" ] && [ -f "$ca" ]; then export PIP_CERT="$ca" REQUESTS_CA_BUNDLE="$ca"; fi; \
    python3 -m venv /opt/venv; \
    /opt/venv/bin/python3 -m pip install /src; \
    test -x /opt/venv/bin/mockserver; \
    /opt/venv/bin/python3 -c 'import mockserver.cli'; \
    /opt/venv/bin/python3 -m pip uninstall --yes --quiet pip setuptools

# ---- runtime -----------------------------------------------------------------
FROM ${BASE}

ENV VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    MOCKSERVER_HOST=0.0.0.0 \
    MOCKSERVER_PORT=8787

RUN groupadd --system --gid 10001 mockserver \
    && useradd --system --uid 10001 --gid 10001 --home-dir /home/mockserver --create-home \
        --shell /usr/sbin/nologin mockserver

COPY --from=build /opt/venv /opt/venv

USER mockserver
WORKDIR /home/mockserver
EXPOSE 8787

# urllib, not curl: slim images have no curl. Follows MOCKSERVER_PORT if overridden.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["python3", "-c", "import os, urllib.request as u; u.build_opener(u.ProxyHandler({})).open('http://127.0.0.1:%s/__admin/health' % os.environ.get('MOCKSERVER_PORT', '8787'), timeout=4)"]

CMD ["mockserver"]
