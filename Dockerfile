# Production-style image: gunicorn serving config.wsgi on :8000.
# Database comes from DATABASE_URL (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings

RUN apt-get update \
 && apt-get install -y --no-install-recommends gdal-bin libgdal32 libgeos-c1v5 libproj25 gettext \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt gunicorn==23.0.0

COPY . .

# Build-time only values: collectstatic/compilemessages need importable settings, not a database.
# collectstatic runs in production mode so WhiteNoise gets its hashed, compressed files and manifest.
RUN if find . -name '*.po' -not -path './.venv/*' | grep -q .; then \
      SECRET_KEY=build-only DATABASE_URL=postgresql://build@localhost/build \
      python manage.py compilemessages --ignore=.venv; \
    fi \
 && DONGNE_ENV=production SECRET_KEY=build-only-not-a-secret-0123456789abcdef \
    ALLOWED_HOSTS=build.invalid SITE_URL=https://build.invalid DATABASE_URL=postgresql://build@localhost/build \
    python manage.py collectstatic --noinput \
 && useradd --system --uid 10001 --home-dir /app dongne \
 && mkdir -p /app/media \
 && chown dongne:dongne /app/media

USER dongne
EXPOSE 8000

CMD ["sh", "-c", "python manage.py migrate --noinput && exec gunicorn config.wsgi:application --bind 0.0.0.0:8000 --workers ${GUNICORN_WORKERS:-3} --access-logfile -"]
