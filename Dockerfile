# Mesoclinic container image: web (gunicorn) by default, `mesoclinic worker` with another
# command. Multi-stage: the build stage compiles wheels; the runtime stage has no compiler,
# runs as a non-root user, and has its static files collected.
FROM python:3.12-slim-bookworm AS build
WORKDIR /src
RUN apt-get update && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md ./
COPY requirements ./requirements
COPY mesoclinic ./mesoclinic
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir -c requirements/constraints.txt .

FROM python:3.12-slim-bookworm AS runtime
# libGL/glib for OpenCV; postgresql-client for `mesoclinic backup` (pg_dump);
# pango, harfbuzz-subset and DejaVu fonts for WeasyPrint's PDF documents (issue 16)
RUN apt-get update && apt-get install -y --no-install-recommends \
        libgl1 libglib2.0-0 postgresql-client curl \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /var/lib/mesoclinic --create-home mesoclinic
COPY --from=build /opt/venv /opt/venv
COPY deploy/gunicorn.conf.py /etc/mesoclinic/gunicorn.conf.py
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    DEBUG=False \
    BIND=0.0.0.0:8000 \
    MESOCLINIC_VAR_DIR=/var/lib/mesoclinic \
    STATIC_ROOT=/opt/static
# collectstatic needs a settings module that loads: a throw-away key for this step only
RUN SECRET_KEY=collectstatic-only mesoclinic collectstatic --noinput \
    && chmod -R a+rX /opt/static
USER mesoclinic
WORKDIR /var/lib/mesoclinic
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8000/healthz || exit 1
CMD ["gunicorn", "-c", "/etc/mesoclinic/gunicorn.conf.py"]
