"""Reading settings from the environment, failing fast on what production cannot do without."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_url(base_dir: Path) -> str:
    """DATABASE_URL, or the project-local cluster that `make run` started (scripts/pg_local.sh)."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    local = base_dir / ".local" / "database_url"
    if local.exists():
        return local.read_text().strip()
    raise ImproperlyConfigured(
        "DATABASE_URL is not set and no project-local database was found: "
        "run `make run` (or `bash scripts/pg_local.sh start`) first, or set DATABASE_URL."
    )
