# Shared settings and helpers of the deploy/local scripts. Source it; do not run it.
# Every setting can be overridden from the environment.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export LEDGER_RUN_DIR="${LEDGER_RUN_DIR:-$ROOT/.run}"      # data, logs, pid files and the services' jars
# absolute, because the services' and the broker's command lines name it (pid_alive) and a test run
# hands it to commands that run in another folder
case $LEDGER_RUN_DIR in /*) ;; *) LEDGER_RUN_DIR="$PWD/$LEDGER_RUN_DIR" ;; esac
export LEDGER_DB_HOST="${LEDGER_DB_HOST:-127.0.0.1}"
export LEDGER_DB_PORT="${LEDGER_DB_PORT:-5432}"
export LEDGER_DB_USER="${LEDGER_DB_USER:-ledger}"
# a password given (not the default) is set on an existing role too; exported, so that a script
# started by one that sourced this file (bench/run starts up) does not take the default as given
export LEDGER_DB_PASSWORD_GIVEN="${LEDGER_DB_PASSWORD_GIVEN-${LEDGER_DB_PASSWORD:+yes}}"
export LEDGER_DB_PASSWORD="${LEDGER_DB_PASSWORD:-ledger}"
PG_SUPERUSER="${PG_SUPERUSER:-postgres}"
export LEDGER_KEYS_DIR="${LEDGER_KEYS_DIR:-$ROOT/deploy/local/keys}"  # development signing key (git-ignored)
export LEDGER_JWT_ISSUER="${LEDGER_JWT_ISSUER:-https://terms-ledger.local}"
export LEDGER_JWT_AUDIENCE="${LEDGER_JWT_AUDIENCE:-terms-ledger}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
SERVICES=(version-service consent-service notice-service)
declare -A SERVICE_PORT=([version-service]=8081 [consent-service]=8082 [notice-service]=8083)
declare -A SERVICE_DB=([version-service]=version_service [consent-service]=consent_service [notice-service]=notice_service)
TOPICS=(agreements.versions:6 agreements.notices:6 agreements.notice-deliveries:12 consents.events:12
        usage.signals:12 agreements.notice-delivery-reports:12 ledger.clock:1)

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
  local secs=$1 what=$2; shift 2
  local end=$((SECONDS + secs))
  until "$@"; do
    [ $SECONDS -ge $end ] && return 1
    sleep 0.5
  done
}

# a pid file names a live process of this checkout or run folder (its command line names $ROOT or
# $LEDGER_RUN_DIR: a service's jar, the broker's configuration); a pid reused after a reboot is not ours to stop
pid_alive() {
  local cmd; cmd=$(pid_cmdline "$1") || return 1
  [[ $cmd == *"$ROOT/"* || $cmd == *"$LEDGER_RUN_DIR/"* ]]
}

pid_cmdline() { # pid_cmdline PIDFILE: the command line of the live process the file names
  [ -f "$1" ] || return 1
  local pid; pid=$(cat "$1")
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline"
}

# as_root COMMAND...: a command that needs root (apt-get, pg_createcluster, pg_ctlcluster), run
# directly as root, else through sudo (which may ask for the password on a terminal)
as_root() {
  if [ "$(id -u)" = 0 ]; then
    "$@"
  else
    command -v sudo >/dev/null 2>&1 || die "$1 needs root: run as root, or install sudo and allow this user to use it"
    sudo "$@"
  fi
}

apt_install() { # apt_install PACKAGE
  # checked here: as_root's own refusal would vanish in the quiet first attempt below
  [ "$(id -u)" = 0 ] || command -v sudo >/dev/null 2>&1 \
    || die "installing $1 needs root: run as root, install sudo, or install it yourself (apt-get install -y $1)"
  log "installing $1 from apt" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null 2>&1 \
    || { as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null \
         && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null; } \
    || die "could not install $1: install it yourself (apt-get install -y $1), or run 'sudo -v' first when sudo wants a password"
}

# ensure_tool COMMAND [PACKAGE]: installs a missing tool from apt (as root, or through sudo)
ensure_tool() {
  command -v "$1" >/dev/null 2>&1 || apt_install "${2:-$1}"
}

stop_pid() { # stop_pid PIDFILE NAME
  local pidfile=$1 name=$2
  if pid_alive "$pidfile"; then
    local pid; pid=$(cat "$pidfile")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    log "stopped $name (pid $pid)"
  fi
  rm -f "$pidfile"
}

# --- PostgreSQL -------------------------------------------------------------

pg_local() { [ "$LEDGER_DB_HOST" = 127.0.0.1 ] || [ "$LEDGER_DB_HOST" = localhost ]; }

# the peer-authenticated way in: the local server's socket as the 'postgres' system user
pg_peer_possible() { pg_local && id postgres >/dev/null 2>&1; }

psql_super() { # runs SQL as the PostgreSQL superuser
  # -w: never prompt for a password (PGPASSWORD or ~/.pgpass supply one)
  if PGCONNECT_TIMEOUT=3 psql -w -h "$LEDGER_DB_HOST" -p "$LEDGER_DB_PORT" -U "$PG_SUPERUSER" -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
    psql -w -h "$LEDGER_DB_HOST" -p "$LEDGER_DB_PORT" -U "$PG_SUPERUSER" -d postgres -v ON_ERROR_STOP=1 -Atq "$@"
  elif pg_peer_possible && [ "$(id -u)" = 0 ]; then
    (cd /tmp && runuser -u postgres -- psql -p "$LEDGER_DB_PORT" -d postgres -v ON_ERROR_STOP=1 -Atq "$@")
  elif pg_peer_possible && sudo -n -u postgres true >/dev/null 2>&1; then
    # sudo -n: never ask for a password, so a run without a terminal (CI, inside Maven) fails instead of hanging
    (cd /tmp && sudo -n -u postgres psql -p "$LEDGER_DB_PORT" -d postgres -v ON_ERROR_STOP=1 -Atq "$@")
  else
    die "$(psql_super_advice)"
  fi
}

psql_super_advice() { # what to do when psql_super finds no way in
  local msg="cannot reach PostgreSQL at $LEDGER_DB_HOST:$LEDGER_DB_PORT as superuser '$PG_SUPERUSER' (psql -w, no password prompt)" refusal
  if pg_peer_possible && [ "$(id -u)" != 0 ]; then
    refusal=$(sudo -n -u postgres true 2>&1) || true
    if ! command -v sudo >/dev/null 2>&1; then
      msg+=", nor as the 'postgres' system user (that needs root or sudo): run as root, or"
    elif [[ $refusal == *"password is required"* ]]; then
      msg+=", nor as the 'postgres' system user through sudo, which wants a password: run 'sudo -v' first, then this again, or"
    else
      msg+=", nor as the 'postgres' system user (sudo does not let $(id -un) run commands as postgres):"
    fi
  else
    msg+=":"
  fi
  printf "%s set PG_SUPERUSER and PGPASSWORD (or ~/.pgpass) for a role that may create roles and databases" "$msg"
}

# pg_ready: the server accepts connections. pg_isready exits 0 when it does, 1 when it rejects them
# (starting up, recovering) and 2 when nothing answers; only without pg_isready does an open port count
pg_ready() {
  if command -v pg_isready >/dev/null 2>&1; then
    PGCONNECT_TIMEOUT=2 pg_isready -q -h "$LEDGER_DB_HOST" -p "$LEDGER_DB_PORT" 2>/dev/null
  else
    port_open "$LEDGER_DB_HOST" "$LEDGER_DB_PORT"
  fi
}

ensure_postgres() {
  # the client first (psql, pg_isready): the server may be another machine's, or not from apt
  ensure_tool psql postgresql-client
  if ! pg_ready; then
    if port_open "$LEDGER_DB_HOST" "$LEDGER_DB_PORT"; then
      # a server is there but rejects connections yet: starting up, or recovering after a crash
      log "waiting for PostgreSQL at $LEDGER_DB_HOST:$LEDGER_DB_PORT to accept connections"
      wait_for 60 postgres pg_ready \
        || die "PostgreSQL at $LEDGER_DB_HOST:$LEDGER_DB_PORT answers but rejects connections (pg_isready -h $LEDGER_DB_HOST -p $LEDGER_DB_PORT)"
    else
      pg_local || die "no PostgreSQL answers at $LEDGER_DB_HOST:$LEDGER_DB_PORT"
      start_local_postgres
    fi
  fi
  psql_super -c "select 1" >/dev/null
  ensure_role
}

# start_local_postgres: installs Debian's server when missing and starts a cluster on the wanted port
# (root's commands: as root, or through sudo)
start_local_postgres() {
  command -v pg_ctlcluster >/dev/null 2>&1 || apt_install postgresql
  local version cluster
  version=$(pg_server_version)
  [ -n "$version" ] || die "no PostgreSQL server under /usr/lib/postgresql (apt-get install -y postgresql)"
  # the cluster that listens on the wanted port, else a new one named "ledger"
  cluster=$(pg_lsclusters -h 2>/dev/null | awk -v p="$LEDGER_DB_PORT" '$3 == p {print $1 " " $2; exit}')
  if [ -z "$cluster" ]; then
    log "creating PostgreSQL cluster '$version ledger' on port $LEDGER_DB_PORT"
    as_root pg_createcluster "$version" ledger --port "$LEDGER_DB_PORT" >/dev/null
    cluster="$version ledger"
  fi
  # apt may have started the cluster it installed (on a machine with systemd)
  if ! wait_for 5 postgres pg_ready; then
    log "starting PostgreSQL cluster $cluster"
    # shellcheck disable=SC2086
    as_root pg_ctlcluster --skip-systemctl-redirect $cluster start
    mkdir -p "$LEDGER_RUN_DIR" && echo "$cluster" > "$LEDGER_RUN_DIR/postgres-started-by-up"
    wait_for 30 postgres pg_ready || die "PostgreSQL did not start"
  fi
}

pg_server_version() { # the newest installed server (a client alone, as postgresql-client installs, has no bin/postgres)
  local server
  for server in /usr/lib/postgresql/*/bin/postgres; do
    if [ -x "$server" ]; then basename "${server%/bin/postgres}"; fi
  done | sort -V | tail -1
}

sql_literal() { printf "'%s'" "${1//\'/\'\'}"; } # a string as an SQL literal

ensure_role() { # the services' role; a LEDGER_DB_PASSWORD given is set on an existing one too
  if [ "$(psql_super -c "select 1 from pg_roles where rolname = '$LEDGER_DB_USER'")" != 1 ]; then
    psql_super -c "create role \"$LEDGER_DB_USER\" login password $(sql_literal "$LEDGER_DB_PASSWORD")" >/dev/null
  elif [ -n "$LEDGER_DB_PASSWORD_GIVEN" ]; then
    psql_super -c "alter role \"$LEDGER_DB_USER\" password $(sql_literal "$LEDGER_DB_PASSWORD")" >/dev/null
  fi
}

create_database() { # create_database NAME: in UTF-8 even where the server was made without a locale
  local options=
  if [ "$(psql_super -c "select pg_encoding_to_char(encoding) from pg_database where datname = 'template1'")" != UTF8 ]; then
    options=" encoding 'UTF8' lc_collate 'C' lc_ctype 'C' template template0"
  fi
  psql_super -c "create database \"$1\" owner \"$LEDGER_DB_USER\"$options" >/dev/null
}

ensure_database() { # ensure_database NAME
  if [ "$(psql_super -c "select 1 from pg_database where datname = '$1'")" != 1 ]; then
    create_database "$1"
  fi
}

recreate_database() { # recreate_database NAME
  psql_super -c "drop database if exists \"$1\" with (force)" >/dev/null
  create_database "$1"
}

# --- Kafka ------------------------------------------------------------------

kafka_classpath() { # resolves (once) the broker's runtime classpath from Maven Central
  local cp="$LEDGER_RUN_DIR/kafka-classpath.txt"
  # resolved again when the pom changed or a jar it names is gone (~/.m2 wiped, another user)
  if [ ! -s "$cp" ] || [ "$ROOT/deploy/local/kafka/pom.xml" -nt "$cp" ] || [ ! -f "$(cut -d: -f1 "$cp")" ]; then
    mkdir -p "$LEDGER_RUN_DIR"
    log "resolving the Kafka broker from Maven Central" >&2
    mvn -q -B -f "$ROOT/deploy/local/kafka/pom.xml" dependency:build-classpath \
      -Dmdep.outputFile="$cp" -Dmdep.includeScope=runtime >&2 || die "could not resolve the Kafka broker"
  fi
  cat "$cp"
}

# start_kafka DIR PORT CONTROLLER_PORT FRESH(true|false)
start_kafka() {
  local dir=$1 port=$2 cport=$3 fresh=$4
  local pidfile="$dir/kafka.pid"
  # a fresh broker is asked for: one left by a killed run, with its data, is not reused
  if [ "$fresh" = false ] && pid_alive "$pidfile" && port_open 127.0.0.1 "$port"; then
    log "Kafka already running on 127.0.0.1:$port"
    return 0
  fi
  stop_pid "$pidfile" kafka
  local choose="choose others (up: KAFKA_PORT, KAFKA_CONTROLLER_PORT; test: TEST_KAFKA_PORT, TEST_KAFKA_CONTROLLER_PORT, E2E_KAFKA_PORT, E2E_KAFKA_CONTROLLER_PORT)"
  port_open 127.0.0.1 "$port" && die "Kafka's port $port is taken by another process; $choose"
  port_open 127.0.0.1 "$cport" && die "Kafka's controller port $cport is taken by another process; $choose"
  local cp; cp=$(kafka_classpath)
  [ "$fresh" = true ] && rm -rf "$dir/data"
  mkdir -p "$dir/data" "$dir/logs"
  cat > "$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data
num.partitions=6
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=12
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.bytes=268435456
log.segment.bytes=67108864
log.retention.hours=168
PROPS
  local java_opts=(-Xmx512m -Xms128m -Dkafka.logs.dir="$dir/logs"
                   -Dlog4j2.configurationFile="$ROOT/deploy/local/kafka/log4j2.properties")
  if [ ! -f "$dir/data/meta.properties" ]; then
    local cluster_id
    cluster_id=$(java -cp "$cp" "${java_opts[@]}" kafka.tools.StorageTool random-uuid 2>"$dir/logs/format.log" | tail -1) \
      || die "could not run Kafka's storage tool (see $dir/logs/format.log)"
    java -cp "$cp" "${java_opts[@]}" kafka.tools.StorageTool format --standalone --ignore-formatted \
      -t "$cluster_id" -c "$dir/server.properties" >"$dir/logs/format.log" 2>&1 || die "could not format Kafka storage (see $dir/logs/format.log)"
  fi
  log "starting Kafka on 127.0.0.1:$port (data and logs in $dir)"
  nohup java -cp "$cp" "${java_opts[@]}" kafka.Kafka "$dir/server.properties" >"$dir/logs/stdout.log" 2>&1 &
  local pid=$!
  echo "$pid" > "$pidfile"
  wait_for 60 kafka broker_up "$pid" "$port" "$dir/logs" || die "Kafka did not start within 60 s (see $dir/logs)"
  create_topics "127.0.0.1:$port" "$dir/logs/topics.log"
}

# broker_up PID PORT LOGDIR: the broker listens, or fails at once when its process has exited
# (kill -0 on the child just started: bash reaps it when it exits)
broker_up() {
  kill -0 "$1" 2>/dev/null || die "Kafka exited while starting (see $3/stdout.log and $3/server.log)"
  port_open 127.0.0.1 "$2"
}

create_topics() { # create_topics BOOTSTRAP LOGFILE: the topics the services use, those missing only
  java -cp "$(kafka_classpath)" "$ROOT/deploy/local/kafka/CreateTopics.java" "$1" "${TOPICS[@]}" >"$2" 2>&1 \
    || die "could not create topics on $1 (see $2)"
}

# --- Tokens -----------------------------------------------------------------

ensure_dev_keys() { # a development RSA key pair, made on first use, never committed
  ensure_tool openssl   # its errors go to /dev/null below, and the tokens are signed with it
  if [ ! -f "$LEDGER_KEYS_DIR/public.pem" ]; then
    mkdir -p "$LEDGER_KEYS_DIR" && chmod 700 "$LEDGER_KEYS_DIR"
    openssl genrsa -out "$LEDGER_KEYS_DIR/private.pem" 2048 2>/dev/null
    openssl rsa -in "$LEDGER_KEYS_DIR/private.pem" -pubout -out "$LEDGER_KEYS_DIR/public.pem" 2>/dev/null
    chmod 600 "$LEDGER_KEYS_DIR/private.pem"
    log "generated a development signing key in $LEDGER_KEYS_DIR" >&2
  fi
  export LEDGER_JWT_PUBLIC_KEY="${LEDGER_JWT_PUBLIC_KEY:-file:$LEDGER_KEYS_DIR/public.pem}"
  # consent-service signs proof bundles with a key of its own (PKCS#8), kept so that bundles exported before a
  # restart still verify against the key an auditor saved
  if [ ! -f "$LEDGER_KEYS_DIR/proof-private.pem" ]; then
    mkdir -p "$LEDGER_KEYS_DIR" && chmod 700 "$LEDGER_KEYS_DIR"
    (umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$LEDGER_KEYS_DIR/proof-private.pem" 2>/dev/null) \
      || die "could not make the proof signing key with openssl"
    log "generated a development proof signing key in $LEDGER_KEYS_DIR" >&2
  fi
  export LEDGER_PROOF_SIGNING_KEY="${LEDGER_PROOF_SIGNING_KEY:-file:$LEDGER_KEYS_DIR/proof-private.pem}"
}

# --- Build ------------------------------------------------------------------

# build_stale: true when a service's jar is missing or older than its sources
build_stale() {
  local svc
  for svc in "${SERVICES[@]}"; do
    local jar="$ROOT/$svc/target/quarkus-app/quarkus-run.jar"
    if [ ! -f "$jar" ] || [ -n "$(find "$ROOT/$svc/src/main" "$ROOT/service-kit/src/main" "$ROOT/$svc/pom.xml" "$ROOT/pom.xml" -newer "$jar" -print -quit)" ]; then
      return 0
    fi
  done
  return 1
}

# build_if_needed: builds stale jars. Running services are not in the way: up starts each from its own
# copy (install_app), so the build never replaces a jar under a running JVM (which fails on the next class
# it loads); they keep the build they started from, and it says how to run the new code
build_if_needed() {
  local svc running=
  build_stale || return 0
  for svc in "${SERVICES[@]}"; do
    pid_alive "$LEDGER_RUN_DIR/$svc.pid" || continue
    running=yes
    # a service that an older up started from target/ itself: not rebuilt under it
    if [[ $(pid_cmdline "$LEDGER_RUN_DIR/$svc.pid") == *"$ROOT/$svc/target/"* ]]; then
      log "the sources changed since the running services were built; not rebuilding under them:"
      log "run deploy/local/down, then deploy/local/up, to run the new code"
      return 0
    fi
  done
  log "building the services (mvn package -DskipTests)"
  (cd "$ROOT" && mvn -q -B package -DskipTests) || die "build failed"
  if [ -n "$running" ]; then
    log "the running services keep the build they started from: run deploy/local/down, then deploy/local/up, to run the new code"
  fi
}

# install_app SERVICE: the copy of the service's build that up starts it from, in $LEDGER_RUN_DIR/app/SERVICE,
# so that a later build (deploy/local/test, bench/run, mvn) never touches the jars of a running service.
# Copied again only when the service is not running and the build is newer; a real copy, as a hard link
# would share the file that the build rewrites.
install_app() {
  local svc=$1 src="$ROOT/$1/target/quarkus-app" dst="$LEDGER_RUN_DIR/app/$1"
  [ -f "$src/quarkus-run.jar" ] || die "$svc is not built ($src/quarkus-run.jar is missing)"
  pid_alive "$LEDGER_RUN_DIR/$svc.pid" && return 0
  [ -f "$dst/quarkus-run.jar" ] && ! [ "$src/quarkus-run.jar" -nt "$dst/quarkus-run.jar" ] && return 0
  mkdir -p "$LEDGER_RUN_DIR/app"
  # made beside it and moved in, so that a copy cut short is never started
  if ! { rm -rf "$dst.new" && cp -a "$src" "$dst.new" && rm -rf "$dst" && mv "$dst.new" "$dst"; }; then
    die "could not copy $src to $dst"
  fi
}
