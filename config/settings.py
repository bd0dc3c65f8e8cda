"""Dongne settings. Everything that differs between machines comes from the environment."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import database_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# "production" refuses to start without a real secret and host list; "development" is `make run`.
DONGNE_ENV = env_str("DONGNE_ENV", "development")
if DONGNE_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("DONGNE_ENV must be 'development' or 'production'")
PRODUCTION = DONGNE_ENV == "production"

DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else DEV_SECRET_KEY)
DEBUG = env_bool("DEBUG", not PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"])

if PRODUCTION:
    if not SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured("Production needs SECRET_KEY: at least 32 random characters.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Production needs ALLOWED_HOSTS (comma-separated host names).")
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off in production.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "rest_framework",
    "rest_framework_gis",
    "drf_spectacular",
    "corsheaders",
    "leaflet",
    # Ground
    "core",
    "geodata",
    # Domain
    "reports",
    "clients",
    "accounts",
    "staff",
    "alerts",
    "notifications",
    "scorecards",
    # Channels over the domain
    "mapping",
    "api",
    "open311",
    "layers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mapping.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {"default": dj_database_url.parse(database_url(BASE_DIR), conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
DATABASES["default"]["ENGINE"] = "django.contrib.gis.db.backends.postgis"
# Map and routing queries take a few ms: JIT compilation and parallel workers only add latency.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off -c max_parallel_workers_per_gather=0"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Korean first; English selectable.
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Dongne <no-reply@dongne.localhost>")

if PRODUCTION:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)

# The basemap is a setting so a deployment can use its own tiles; tests point it at nothing.
BASEMAP_TILE_URL = env_str("BASEMAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
BASEMAP_ATTRIBUTION = env_str(
    "BASEMAP_ATTRIBUTION", '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (36.4, 127.8),
    "DEFAULT_ZOOM": 7,
    "MIN_ZOOM": 5,
    "MAX_ZOOM": 19,
    "TILES": [(_("Basemap"), BASEMAP_TILE_URL, {"attribution": BASEMAP_ATTRIBUTION, "maxZoom": 19})],
    "RESET_VIEW": False,
}

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer", "rest_framework.renderers.BrowsableAPIRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Dongne API",
    "DESCRIPTION": "Community mapping of living inconveniences, routed to Korea's local governments.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}

CORS_URLS_REGEX = r"^/(api|open311|ogc|exports|tiles)/.*$"
CORS_ALLOW_ALL_ORIGINS = env_bool("CORS_ALLOW_ALL_ORIGINS", False)

# Debian 12 ships GDAL 3.6; the warning asks for 3.9+. We only open boundary files an operator chose.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Django's own console handler would print every request warning a second time.
    "loggers": {"django": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO"), "propagate": False}},
}

# Administrative geography. Provinces whose municipal units are administrative, not autonomous
# (Sejong has none; Jeju's two cities are 행정시 under the Special Self-Governing Province Act).
# Matched by name, since codes change between boundary vintages while the law does not.
PROVINCES_WITHOUT_AUTONOMOUS_MUNICIPALITIES = env_list(
    "PROVINCES_WITHOUT_AUTONOMOUS_MUNICIPALITIES", ["세종특별자치시", "제주특별자치도"]
)
# Official romanizations of the cities with non-autonomous districts (their districts' English
# names in the KOSTAT files are run together, e.g. "Suwonsijangangu").
CITY_NAMES_EN = {
    "수원시": "Suwon-si", "성남시": "Seongnam-si", "안양시": "Anyang-si", "안산시": "Ansan-si",
    "고양시": "Goyang-si", "용인시": "Yongin-si", "청주시": "Cheongju-si", "천안시": "Cheonan-si",
    "전주시": "Jeonju-si", "포항시": "Pohang-si", "창원시": "Changwon-si", "부천시": "Bucheon-si",
}
# Where `import_boundaries` looks by default, and the public copy users can fetch instead.
BOUNDARIES_PUBLIC_URLS = [
    "https://raw.githubusercontent.com/southkorea/southkorea-maps/master/kostat/2018/json/skorea-provinces-2018-topo.json",
    "https://raw.githubusercontent.com/southkorea/southkorea-maps/master/kostat/2018/json/skorea-municipalities-2018-topo.json",
    "https://raw.githubusercontent.com/southkorea/southkorea-maps/master/kostat/2018/json/skorea-submunicipalities-2018-topo.json",
]

# Reports
PHOTO_MAX_BYTES = env_int("PHOTO_MAX_BYTES", 10_000_000)
MAX_PHOTOS_PER_REPORT = 5
DUPLICATE_RADIUS_METERS = 250
# Sensitive categories are shown on a grid of this many degrees of latitude (~110 m).
COARSE_GRID_DEGREES = 0.001
DATA_UPLOAD_MAX_MEMORY_SIZE = 60_000_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 10_000_000

# Absolute links in emails and feeds.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# Personal data of reports closed longer ago than this is anonymised (`purge_personal_data`).
PERSONAL_DATA_RETENTION_DAYS = env_int("PERSONAL_DATA_RETENTION_DAYS", 1095)

# Scorecards: a band within the peer group needs this many closed reports; a 읍면동 counts for
# within-government equity with this many.
SCORECARD_MIN_REPORTS = env_int("SCORECARD_MIN_REPORTS", 30)
SCORECARD_MIN_EQUITY_REPORTS = env_int("SCORECARD_MIN_EQUITY_REPORTS", 20)
# A scorecard's level and peer group share one set of values: one enum in the OpenAPI schema.
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {})["ScorecardPeerGroupEnum"] = "scorecards.models.PeerGroup"
