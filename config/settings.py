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
    "drf_spectacular_sidecar",  # Swagger UI served from our static files: no CDN
    "corsheaders",
    "leaflet",
    # Ground
    "core",
    "geodata",
    # Domain
    "reports",
    "clients",
    "accounts",
    "residency",
    "staff",
    "alerts",
    "privacy",
    "scorecards",
    "campaigns",
    "polls",
    "ratings",
    "moderation",
    "proposals",
    "standard_models",
    "notifications",
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
    "core.request_guard.QueryStringGuard",
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
# Behind nginx, e.g. "/protected-media/" (an `internal` location aliased to MEDIA_ROOT): the media
# view checks who may see a photo and hands the sending to the proxy with X-Accel-Redirect.
MEDIA_ACCEL_REDIRECT_PREFIX = env_str("MEDIA_ACCEL_REDIRECT_PREFIX", "")

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Dongne <no-reply@dongne.localhost>")

if PRODUCTION:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)

# The basemap drawn beneath our own boundary tiles (/tiles/boundaries/, always shown, so a map
# works on a closed network): "osm", "vworld" (the national basemap, needs VWORLD_KEY) or "none".
# BASEMAP_TILE_URL, when set, overrides the URL (empty: none); tests point it at nothing.
BASEMAP = env_str("BASEMAP", "osm")
VWORLD_KEY = env_str("VWORLD_KEY", "")
BASEMAPS = {
    "osm": ("https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'),
    "vworld": (f"https://api.vworld.kr/req/wmts/1.0.0/{VWORLD_KEY}/Base/{{z}}/{{y}}/{{x}}.png",
               '&copy; <a href="https://www.vworld.kr/">VWorld</a> (국토교통부)'),
    "none": ("", ""),
}
if BASEMAP not in BASEMAPS:
    raise ImproperlyConfigured("BASEMAP must be 'osm', 'vworld' or 'none'.")
if BASEMAP == "vworld" and not VWORLD_KEY:
    raise ImproperlyConfigured("BASEMAP=vworld needs VWORLD_KEY (an API key from vworld.kr).")
BASEMAP_TILE_URL = env_str("BASEMAP_TILE_URL", BASEMAPS[BASEMAP][0])
BASEMAP_ATTRIBUTION = env_str("BASEMAP_ATTRIBUTION", BASEMAPS[BASEMAP][1])
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
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser", "rest_framework.parsers.FormParser", "rest_framework.parsers.MultiPartParser"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Dongne API",
    "DESCRIPTION": "Community mapping of living inconveniences, routed to Korea's local governments.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
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
    "loggers": {"django": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO"), "propagate": False},
                # Its task registry says "Registering task ..." at every start of every command.
                "procrastinate.periodic": {"level": "WARNING"}},
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
SITE_URL = env_str("SITE_URL", "" if PRODUCTION else "http://127.0.0.1:8000")
# Personal data of reports closed longer ago than this is anonymised (`purge_personal_data`).
PERSONAL_DATA_RETENTION_DAYS = env_int("PERSONAL_DATA_RETENTION_DAYS", 1095)

# --- Outbox, worker and database resilience (notifications, core.db, core.middleware) ---------
# SMTP under Django's own names; EMAIL_BACKEND above is what the worker delivers through.
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL are exclusive: set one.")
# A failed delivery is retried after 30 s, 1, 2, 4 ... min (at most an hour apart); then kept as dead.
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 10)
OUTBOX_RETRY_BASE_SECONDS = env_int("OUTBOX_RETRY_BASE_SECONDS", 30)
OUTBOX_RETRY_MAX_SECONDS = env_int("OUTBOX_RETRY_MAX_SECONDS", 3600)
# /healthz calls the worker dead when no worker wrote its heartbeat (every 10 s) for this long.
WORKER_HEARTBEAT_STALE_SECONDS = env_int("WORKER_HEARTBEAT_STALE_SECONDS", 30)
WORKER_DB_RETRY_SECONDS = 2
# The worker and its scheduler are procrastinate's (jobs in this database; the daily jobs are
# periodic tasks in notifications/tasks.py). Its app comes before the apps that define tasks.
INSTALLED_APPS.insert(INSTALLED_APPS.index("notifications"), "procrastinate.contrib.django")
# A persistent connection killed by a database restart is noticed before use, not by a request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Write services retry a deadlock or serialization failure this many times in all (core.db).
DB_CONFLICT_ATTEMPTS = env_int("DB_CONFLICT_ATTEMPTS", 4)
# What a 503 for an unreachable database tells clients to wait (core.middleware).
DB_UNAVAILABLE_RETRY_AFTER = env_int("DB_UNAVAILABLE_RETRY_AFTER", 5)
MIDDLEWARE.append("core.middleware.DatabaseUnavailableMiddleware")
# gunicorn serves static files through WhiteNoise (`make run` collects them; in DEBUG they are read
# from the apps' folders, so a new file shows without collectstatic).
if "whitenoise.middleware.WhiteNoiseMiddleware" not in MIDDLEWARE:
    MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "whitenoise.middleware.WhiteNoiseMiddleware")
WHITENOISE_USE_FINDERS = DEBUG
# --- Security, abuse limits and production safety ---------------------------------------------
from datetime import timedelta  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402

from csp.constants import NONCE, NONE, SELF  # noqa: E402

# SITE_URL is where emails and feeds send people: in production it must be the real, absolute address.
_site = urlsplit(SITE_URL)
if PRODUCTION and not SITE_URL:
    raise ImproperlyConfigured("Production needs SITE_URL, e.g. https://dongne.example.kr")
if _site.scheme not in {"http", "https"} or not _site.netloc:
    raise ImproperlyConfigured(f"SITE_URL must be an absolute http(s) address, not {SITE_URL!r}")
SITE_IS_HTTPS = _site.scheme == "https"

# Proxies in front of the site that append to X-Forwarded-For (0: the header is ignored, the
# client is REMOTE_ADDR). core.http.client_ip reads it for every rate limit and the login lockout.
TRUSTED_PROXY_HOPS = env_int("TRUSTED_PROXY_HOPS", 0)
if TRUSTED_PROXY_HOPS < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_HOPS must be 0 or more")
if TRUSTED_PROXY_HOPS > 0:
    # Only a proxy we trust may tell us the request came over https.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# HTTPS: on whenever the site says it lives at an https address.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SITE_IS_HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain http
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if SITE_IS_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", SITE_IS_HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SITE_IS_HTTPS)

# In production static files are served by the app itself (WhiteNoise), right after
# SecurityMiddleware, under hashed, compressed names (collectstatic builds them in the image).
# Development has runserver's static view and no collected STATIC_ROOT for WhiteNoise to read.
if PRODUCTION and "whitenoise.middleware.WhiteNoiseMiddleware" not in MIDDLEWARE:
    MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "whitenoise.middleware.WhiteNoiseMiddleware")
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(STATIC_ROOT)))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Content-Security-Policy (django-csp 4): nothing from other hosts but the basemap tiles; inline
# scripts only with the per-request nonce.
_tile_host = urlsplit(BASEMAP_TILE_URL.replace("{s}", "a"))
_tile_origin = f"{_tile_host.scheme}://{_tile_host.netloc}".replace("://a.", "://*.") if _tile_host.netloc else ""
MIDDLEWARE.append("csp.middleware.CSPMiddleware")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        # Style attributes (Leaflet's markers, a few templates) cannot carry a nonce; they cannot run code.
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:", *([_tile_origin] if _tile_origin else [])],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Login lockout (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one user name from one
# address, that pair is locked out for AXES_COOLOFF_MINUTES; the page says so (429).
INSTALLED_APPS.append("axes")
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "mapping.account_views.login_locked_out"
AXES_CLIENT_IP_CALLABLE = "core.http.client_ip"
AXES_VERBOSE = False

# Per-account limits (a signed-in account is no longer unlimited), per hour.
REPORTS_PER_ACCOUNT_PER_HOUR = env_int("REPORTS_PER_ACCOUNT_PER_HOUR", 20)
COMMENTS_PER_ACCOUNT_PER_HOUR = env_int("COMMENTS_PER_ACCOUNT_PER_HOUR", 30)
SUPPORTS_PER_ACCOUNT_PER_HOUR = env_int("SUPPORTS_PER_ACCOUNT_PER_HOUR", 60)
# Sign-ups and password resets, per client address and per email address, per hour.
SIGNUPS_PER_IP_PER_HOUR = env_int("SIGNUPS_PER_IP_PER_HOUR", 5)
SIGNUPS_PER_ADDRESS_PER_HOUR = env_int("SIGNUPS_PER_ADDRESS_PER_HOUR", 3)
PASSWORD_RESETS_PER_IP_PER_HOUR = env_int("PASSWORD_RESETS_PER_IP_PER_HOUR", 10)
PASSWORD_RESETS_PER_ADDRESS_PER_HOUR = env_int("PASSWORD_RESETS_PER_ADDRESS_PER_HOUR", 3)
# How long a sign-up's email confirmation link works.
ACCOUNT_CONFIRMATION_DAYS = env_int("ACCOUNT_CONFIRMATION_DAYS", 7)
# Scorecards: a band within the peer group needs this many closed reports; a 읍면동 counts for
# within-government equity with this many.
SCORECARD_MIN_REPORTS = env_int("SCORECARD_MIN_REPORTS", 30)
SCORECARD_MIN_EQUITY_REPORTS = env_int("SCORECARD_MIN_EQUITY_REPORTS", 20)
# The experimental relative reporting delay needs this many incidents reported again (first gaps observed).
SCORECARD_MIN_DELAY_REPEATS = env_int("SCORECARD_MIN_DELAY_REPEATS", 10)
# A government's figures over a window (before and after a standard model's adoption) need this
# many reports filed in the window; below it only the count is given.
SCORECARD_MIN_WINDOW_REPORTS = env_int("SCORECARD_MIN_WINDOW_REPORTS", 5)
# A scorecard's level and peer group share one set of values: one enum in the OpenAPI schema.
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {})["ScorecardPeerGroupEnum"] = "scorecards.models.PeerGroup"
# Campaigns: a 250 m grid may have at most this many cells (a city is ~1,000-10,000).
CAMPAIGN_MAX_GRID_UNITS = env_int("CAMPAIGN_MAX_GRID_UNITS", 20_000)

# Polls, residency and service ratings (issue 16).
# The 본인인증 adapter (residency.identity); the test adapter takes the DI from the request, so it is
# never the default in production: there, identity verification is off until an adapter is configured.
IDENTITY_PROVIDER_ADAPTER = env_str("IDENTITY_PROVIDER_ADAPTER", "" if PRODUCTION else "residency.identity.TestIdentityAdapter")
# Key of the HMACs residency and polls store (DI, roll addresses, codes, voter keys); SECRET_KEY when empty.
# Changing it orphans them: verified identities, rolls and codes must then be redone.
RESIDENCY_HASH_KEY = env_str("RESIDENCY_HASH_KEY", "")
RATING_LINK_DAYS = env_int("RATING_LINK_DAYS", 30)
# How long a resident's grant lets one app act for them (accounts.grants); POLL_APP_GRANT_DAYS is its old name.
RESIDENT_GRANT_DAYS = env_int("RESIDENT_GRANT_DAYS", env_int("POLL_APP_GRANT_DAYS", 90))

# Moderation and proposals (issue 17, part A).
# An account is blocked from posting for MODERATION_BLOCK_DAYS (0: until lifted) once this many of its
# posts were hidden by moderators within MODERATION_BLOCK_WINDOW_DAYS (0 turns blocking off).
MODERATION_BLOCK_AFTER_HIDDEN = env_int("MODERATION_BLOCK_AFTER_HIDDEN", 3)
MODERATION_BLOCK_WINDOW_DAYS = env_int("MODERATION_BLOCK_WINDOW_DAYS", 30)
MODERATION_BLOCK_DAYS = env_int("MODERATION_BLOCK_DAYS", 30)
# The duty to answer: supports that oblige a government to act, and the days it has. Each
# government's administrators may set their own on /staff/proposals/<code>/settings/.
PROPOSAL_THRESHOLDS = {
    "department": (env_int("PROPOSAL_DEPARTMENT_SUPPORTS", 50), env_int("PROPOSAL_DEPARTMENT_DAYS", 30)),
    "forum": (env_int("PROPOSAL_FORUM_SUPPORTS", 100), env_int("PROPOSAL_FORUM_DAYS", 60)),
    "head": (env_int("PROPOSAL_HEAD_SUPPORTS", 1000), env_int("PROPOSAL_HEAD_DAYS", 30)),
}
# Who may support a proposal unless its government says otherwise (residency.eligibility.Rule).
PROPOSAL_ELIGIBILITY_RULE = env_str("PROPOSAL_ELIGIBILITY_RULE", "residents")

# Opinion map: topics, statements, votes and opinion groups (issue 17, part B).
INSTALLED_APPS.insert(INSTALLED_APPS.index("notifications"), "topics")
# Proposals' status and duty levels are their own enums in the OpenAPI schema (not reports' or areas').
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update({
    "ProposalStatusEnum": "proposals.models.Proposal.Status",
    "ProposalDutyLevelEnum": "proposals.models.Level",
    # A campaign's and a poll's time window: one enum in the schema.
    "WindowStateEnum": ["upcoming", "open", "closed"],
})
