#!/usr/bin/env bash
# Project-local PostgreSQL 15 + PostGIS cluster, used when DATABASE_URL is unset.
#
#   scripts/pg_local.sh start    init (first time) and start the cluster; create
#                                database "dongne" with PostGIS; write the URL file.
#                                A no-op (quick) when it is already running.
#   scripts/pg_local.sh stop     stop it (fast mode)
#   scripts/pg_local.sh url      print postgresql://postgres@127.0.0.1:<port>/dongne
#   scripts/pg_local.sh status   print state; exit 0 if running, 3 if not
#
# Where things are:
#   cluster   <checkout>/.local/pgdata, or /var/lib/dongne/<sha1(checkout path)[:12]>
#             when the postgres user cannot reach the checkout (e.g. under /root)
#   port      first free TCP port from 5433 up, chosen once and remembered in
#             <cluster>/dongne.port (a new one is picked if it is taken later)
#   URL file  <checkout>/.local/database_url (read by the Django settings)
#   log       <cluster>/server.log
#
# Environment:
#   PGPORT_LOCAL  use exactly this port; error (exit 1) if it is busy
#   PG_BINDIR     PostgreSQL binaries (default /usr/lib/postgresql/15/bin)
#
# DEV ONLY: "trust" authentication (no password), listening on 127.0.0.1 only,
# superuser "postgres" (the tests need CREATE DATABASE).
#
# As root, initdb/postgres run as the "postgres" user (they refuse root);
# otherwise they run as the calling user.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
BINDIR="${PG_BINDIR:-/usr/lib/postgresql/15/bin}"
LOCAL_DIR="$ROOT/.local"
URL_FILE="$LOCAL_DIR/database_url"
IN_TREE="$LOCAL_DIR/pgdata"
HASH="$(printf '%s' "$ROOT" | sha1sum | cut -c1-12)"
FALLBACK_BASE="/var/lib/dongne"
FALLBACK="$FALLBACK_BASE/$HASH"
DB_NAME="dongne"
PORT_BASE=5433
PORT_LAST=5633

log() { echo "pg_local: $*" >&2; }
die() { echo "pg_local: error: $*" >&2; exit 1; }

[ -x "$BINDIR/pg_ctl" ] || die "PostgreSQL 15 not found in $BINDIR; run 'make system' (scripts/system_packages.sh)"

if [ "$(id -u)" -eq 0 ]; then
  IS_ROOT=1
  id postgres >/dev/null 2>&1 || die "no 'postgres' user; run 'make system' first"
  as_pg() { (cd / && runuser -u postgres -- "$@"); }
else
  IS_ROOT=0
  as_pg() { (cd / && "$@"); }
fi

# --- locating the cluster -------------------------------------------------

PGDATA_DIR=""

# An existing cluster wins; prints nothing if none exists yet.
find_cluster() {
  if [ -f "$IN_TREE/PG_VERSION" ]; then
    PGDATA_DIR="$IN_TREE"
  elif [ -f "$FALLBACK/PG_VERSION" ]; then
    PGDATA_DIR="$FALLBACK"
  else
    PGDATA_DIR=""
  fi
}

# Pick (and create) the directory for a new cluster.
choose_cluster_dir() {
  mkdir -p "$LOCAL_DIR"
  if [ "$IS_ROOT" -eq 0 ]; then
    mkdir -p "$IN_TREE"
    chmod 700 "$IN_TREE"
    PGDATA_DIR="$IN_TREE"
    return
  fi
  if as_pg test -x "$LOCAL_DIR" 2>/dev/null; then
    mkdir -p "$IN_TREE"
    chown postgres:postgres "$IN_TREE"
    chmod 700 "$IN_TREE"
    if as_pg test -w "$IN_TREE" 2>/dev/null; then
      PGDATA_DIR="$IN_TREE"
      return
    fi
    rmdir "$IN_TREE" 2>/dev/null || true
  fi
  log "the postgres user cannot reach $LOCAL_DIR; using $FALLBACK"
  mkdir -p "$FALLBACK_BASE"
  chmod 755 "$FALLBACK_BASE"
  mkdir -p "$FALLBACK"
  chown postgres:postgres "$FALLBACK"
  chmod 700 "$FALLBACK"
  printf '%s\n' "$ROOT" >"$FALLBACK_BASE/$HASH.checkout"  # which checkout owns it
  PGDATA_DIR="$FALLBACK"
}

# Write a file inside the cluster dir, owned by the cluster's owner.
write_cluster_file() {  # name content
  local f="$PGDATA_DIR/$1"
  printf '%s\n' "$2" >"$f.tmp"
  [ "$IS_ROOT" -eq 1 ] && chown postgres:postgres "$f.tmp"
  mv -f "$f.tmp" "$f"
}

# --- process state ----------------------------------------------------------

# The postmaster's pid if the cluster is really running, else nothing.
running_pid() {
  local pidfile="$PGDATA_DIR/postmaster.pid" pid cwd comm state
  [ -n "$PGDATA_DIR" ] && [ -f "$pidfile" ] || return 1
  pid="$(head -n1 "$pidfile" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] && [ -r "/proc/$pid/stat" ] || return 1
  # A killed postmaster can linger as a zombie until it is reaped.
  state="$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)"
  case "$state" in "" | Z | X) return 1 ;; esac
  # The pid may have been reused after a crash / machine restart: the
  # postmaster's working directory is its data directory.
  if cwd="$(readlink "/proc/$pid/cwd" 2>/dev/null)"; then
    [ "$cwd" = "$(cd "$PGDATA_DIR" && pwd -P)" ] || return 1
  else
    comm="$(cat "/proc/$pid/comm" 2>/dev/null || true)"
    [ "$comm" = postgres ] || return 1
  fi
  echo "$pid"
}

running_port() { sed -n 4p "$PGDATA_DIR/postmaster.pid"; }

# Remove what a killed postmaster left behind.
clear_stale() {
  if [ -f "$PGDATA_DIR/postmaster.pid" ] && ! running_pid >/dev/null; then
    log "removing stale postmaster.pid in $PGDATA_DIR"
    rm -f "$PGDATA_DIR/postmaster.pid" "$PGDATA_DIR"/.s.PGSQL.*
  fi
}

# --- ports -------------------------------------------------------------------

port_free() {  # port
  python3 - "$1" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()
EOF
}

first_free_port() {
  python3 - "$PORT_BASE" "$PORT_LAST" <<'EOF'
import socket, sys
for port in range(int(sys.argv[1]), int(sys.argv[2]) + 1):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    print(port)
    sys.exit(0)
sys.exit(1)
EOF
}

decide_port() {
  local saved=""
  [ -f "$PGDATA_DIR/dongne.port" ] && saved="$(tr -dc 0-9 <"$PGDATA_DIR/dongne.port")"
  if [ -n "${PGPORT_LOCAL:-}" ]; then
    [[ "$PGPORT_LOCAL" =~ ^[0-9]+$ ]] && [ "$PGPORT_LOCAL" -ge 1 ] && [ "$PGPORT_LOCAL" -le 65535 ] \
      || die "PGPORT_LOCAL='$PGPORT_LOCAL' is not a port number"
    port_free "$PGPORT_LOCAL" || die "PGPORT_LOCAL=$PGPORT_LOCAL is already in use on 127.0.0.1; free it or choose another port"
    PORT="$PGPORT_LOCAL"
  elif [ -n "$saved" ] && port_free "$saved"; then
    PORT="$saved"
  else
    [ -n "$saved" ] && log "remembered port $saved is taken by something else; picking a new one"
    PORT="$(first_free_port)" || die "no free port in $PORT_BASE-$PORT_LAST"
  fi
}

url_for() { echo "postgresql://postgres@127.0.0.1:$1/$DB_NAME"; }

write_url_file() {  # port
  local url
  url="$(url_for "$1")"
  mkdir -p "$LOCAL_DIR"
  if [ ! -f "$URL_FILE" ] || [ "$(cat "$URL_FILE")" != "$url" ]; then
    printf '%s\n' "$url" >"$URL_FILE.tmp"
    mv -f "$URL_FILE.tmp" "$URL_FILE"
  fi
}

# --- commands -----------------------------------------------------------------

init_cluster() {
  local out
  if [ -n "$(ls -A "$PGDATA_DIR")" ]; then
    die "$PGDATA_DIR is not empty but holds no cluster; remove it and retry"
  fi
  log "initdb $PGDATA_DIR"
  if ! out="$(as_pg "$BINDIR/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust \
               -E UTF8 --locale=C.UTF-8 2>&1)"; then
    echo "$out" >&2
    die "initdb failed"
  fi
  # Our settings live in dongne.conf, rewritten at each start.
  printf "\n# Dongne dev cluster settings (scripts/pg_local.sh)\ninclude_if_exists = 'dongne.conf'\n" \
    >>"$PGDATA_DIR/postgresql.conf"
}

write_conf() {  # port
  local sockdir="$PGDATA_DIR"
  # Unix socket paths are limited to ~107 bytes; go TCP-only if too long.
  if [ "${#PGDATA_DIR}" -gt $((100 - ${#1} - 10)) ]; then
    sockdir=""
  fi
  write_cluster_file dongne.conf "# Written by scripts/pg_local.sh at each start; edits are overwritten.
# DEV-ONLY cluster: trust authentication, loopback only.
listen_addresses = '127.0.0.1'
port = $1
unix_socket_directories = '$sockdir'
synchronous_commit = off
logging_collector = off
log_min_messages = warning
log_line_prefix = '%m [%p] '"
}

ensure_database() {  # port
  local psql=("$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$1" -U postgres)
  local exists
  export PGOPTIONS="-c client_min_messages=warning"
  # template1 first, so every new database (dongne, pytest's test_dongne) has PostGIS.
  "${psql[@]}" -d template1 -c 'CREATE EXTENSION IF NOT EXISTS postgis' >/dev/null
  exists="$("${psql[@]}" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")"
  if [ "$exists" != 1 ]; then
    log "creating database $DB_NAME"
    "${psql[@]}" -d postgres -c "CREATE DATABASE $DB_NAME" >/dev/null
  fi
  "${psql[@]}" -d "$DB_NAME" -c 'CREATE EXTENSION IF NOT EXISTS postgis' >/dev/null
}

lock() {
  # Serialise port choice + start across checkouts on this machine.
  command -v flock >/dev/null 2>&1 || return 0
  local lf="${TMPDIR:-/tmp}/dongne-pg_local.lock"
  if [ ! -e "$lf" ]; then
    (umask 000 && : >>"$lf") 2>/dev/null || true
  fi
  { exec 9>>"$lf"; } 2>/dev/null || { exec 9<"$lf"; } 2>/dev/null || return 0
  flock -w 120 9 || die "timed out waiting for $lf"
}

cmd_start() {
  local pid port
  find_cluster
  if [ -n "$PGDATA_DIR" ] && pid="$(running_pid)"; then
    port="$(running_port)"
    if [ -n "${PGPORT_LOCAL:-}" ] && [ "$PGPORT_LOCAL" != "$port" ]; then
      die "cluster already running on port $port (PGPORT_LOCAL=$PGPORT_LOCAL); run '$0 stop' first"
    fi
    ensure_database "$port"
    write_url_file "$port"
    log "already running (pid $pid) on port $port"
    return 0
  fi

  lock
  find_cluster
  if [ -z "$PGDATA_DIR" ]; then
    choose_cluster_dir
    init_cluster
  elif pid="$(running_pid)"; then  # started by someone else meanwhile
    port="$(running_port)"
    ensure_database "$port"
    write_url_file "$port"
    return 0
  fi
  clear_stale
  decide_port
  write_conf "$PORT"
  write_cluster_file dongne.port "$PORT"
  log "starting PostgreSQL on 127.0.0.1:$PORT ($PGDATA_DIR)"
  # 9>&-: the server must not inherit (and keep) the start lock.
  if ! as_pg "$BINDIR/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" -w -t 90 start >/dev/null 9>&-; then
    tail -n 30 "$PGDATA_DIR/server.log" >&2 || true
    die "PostgreSQL failed to start (log: $PGDATA_DIR/server.log)"
  fi
  ensure_database "$PORT"
  write_url_file "$PORT"
  log "ready: $(url_for "$PORT")"
}

cmd_stop() {
  find_cluster
  if [ -z "$PGDATA_DIR" ]; then
    log "no cluster for $ROOT"
    return 0
  fi
  if running_pid >/dev/null; then
    as_pg "$BINDIR/pg_ctl" -D "$PGDATA_DIR" -m fast -w -t 60 stop >/dev/null
    log "stopped ($PGDATA_DIR)"
  else
    clear_stale
    log "not running ($PGDATA_DIR)"
  fi
}

cmd_url() {
  local port=""
  find_cluster
  [ -n "$PGDATA_DIR" ] || die "no cluster yet; run '$0 start'"
  if running_pid >/dev/null; then
    port="$(running_port)"
  elif [ -f "$PGDATA_DIR/dongne.port" ]; then
    port="$(tr -dc 0-9 <"$PGDATA_DIR/dongne.port")"
  fi
  [ -n "$port" ] || die "no port chosen yet; run '$0 start'"
  url_for "$port"
}

cmd_status() {
  local pid
  find_cluster
  if [ -z "$PGDATA_DIR" ]; then
    echo "not initialized (would be $IN_TREE or $FALLBACK)"
    return 3
  fi
  if pid="$(running_pid)"; then
    echo "running: pid $pid, port $(running_port), data $PGDATA_DIR"
    echo "url: $(url_for "$(running_port)")"
    return 0
  fi
  echo "stopped: data $PGDATA_DIR"
  return 3
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  url) cmd_url ;;
  status) cmd_status ;;
  *)
    echo "usage: $0 start|stop|url|status" >&2
    exit 2
    ;;
esac
