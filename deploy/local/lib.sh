# Shared settings and helpers of the deploy/local scripts. Source it; do not run it.
# Every setting can be overridden from the environment.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export LEDGER_RUN_DIR="${LEDGER_RUN_DIR:-$ROOT/.run}"      # data, logs and pid files of the local stack
export LEDGER_DB_HOST="${LEDGER_DB_HOST:-127.0.0.1}"
export LEDGER_DB_PORT="${LEDGER_DB_PORT:-5432}"
export LEDGER_DB_USER="${LEDGER_DB_USER:-ledger}"
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

# a pid file names a live process of this checkout (its command line names $ROOT: a jar or
# the broker's configuration under it); a pid reused after a reboot is not ours to stop
pid_alive() {
  [ -f "$1" ] || return 1
  local pid; pid=$(cat "$1")
  kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$ROOT/"
}

# ensure_tool COMMAND [PACKAGE]: installs a missing tool from apt (as root, or through sudo)
ensure_tool() {
  command -v "$1" >/dev/null 2>&1 && return 0
  local pkg=${2:-$1} sudo=
  [ "$(id -u)" = 0 ] || sudo=sudo
  log "installing $pkg from apt" >&2
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null 2>&1 \
    || { $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null \
         && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null; } \
    || die "could not install $pkg (apt-get install -y $pkg)"
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

psql_super() { # runs SQL as the PostgreSQL superuser
  # -w: never prompt for a password (PGPASSWORD or ~/.pgpass supply one)
  if PGCONNECT_TIMEOUT=3 psql -w -h "$LEDGER_DB_HOST" -p "$LEDGER_DB_PORT" -U "$PG_SUPERUSER" -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
    psql -w -h "$LEDGER_DB_HOST" -p "$LEDGER_DB_PORT" -U "$PG_SUPERUSER" -d postgres -v ON_ERROR_STOP=1 -Atq "$@"
  elif pg_local && [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1; then
    (cd /tmp && runuser -u postgres -- psql -p "$LEDGER_DB_PORT" -d postgres -v ON_ERROR_STOP=1 -Atq "$@")
  else
    die "cannot reach PostgreSQL at $LEDGER_DB_HOST:$LEDGER_DB_PORT as superuser '$PG_SUPERUSER' (set PG_SUPERUSER / PGPASSWORD)"
  fi
}

pg_ready() { PGCONNECT_TIMEOUT=2 pg_isready -q -h "$LEDGER_DB_HOST" -p "$LEDGER_DB_PORT" 2>/dev/null || port_open "$LEDGER_DB_HOST" "$LEDGER_DB_PORT"; }

ensure_postgres() {
  if ! pg_ready; then
    pg_local || die "no PostgreSQL answers at $LEDGER_DB_HOST:$LEDGER_DB_PORT"
    if ! command -v pg_ctlcluster >/dev/null 2>&1; then
      [ "$(id -u)" = 0 ] || die "PostgreSQL is not installed; run as root or install the 'postgresql' package"
      log "installing PostgreSQL from apt"
      DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fi
    local version cluster
    version=$(ls /usr/lib/postgresql | sort -V | tail -1)
    # the cluster that listens on the wanted port, else a new one named "ledger"
    cluster=$(pg_lsclusters -h 2>/dev/null | awk -v p="$LEDGER_DB_PORT" '$3 == p {print $1 " " $2; exit}')
    if [ -z "$cluster" ]; then
      log "creating PostgreSQL cluster '$version ledger' on port $LEDGER_DB_PORT"
      pg_createcluster "$version" ledger --port "$LEDGER_DB_PORT" >/dev/null
      cluster="$version ledger"
    fi
    # apt may have started the cluster it installed (on a machine with systemd)
    if ! wait_for 5 postgres pg_ready; then
      log "starting PostgreSQL cluster $cluster"
      # shellcheck disable=SC2086
      pg_ctlcluster --skip-systemctl-redirect $cluster start
      mkdir -p "$LEDGER_RUN_DIR" && echo "$cluster" > "$LEDGER_RUN_DIR/postgres-started-by-up"
      wait_for 30 postgres pg_ready || die "PostgreSQL did not start"
    fi
  fi
  psql_super -c "select 1" >/dev/null
  if [ "$(psql_super -c "select 1 from pg_roles where rolname = '$LEDGER_DB_USER'")" != 1 ]; then
    psql_super -c "create role \"$LEDGER_DB_USER\" login password '$LEDGER_DB_PASSWORD'" >/dev/null
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
  port_open 127.0.0.1 "$port" && die "port $port is taken by another process; choose another (KAFKA_PORT for up, TEST_KAFKA_PORT and E2E_KAFKA_PORT for test)"
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
  echo $! > "$pidfile"
  wait_for 60 kafka port_open 127.0.0.1 "$port" || die "Kafka did not start (see $dir/logs)"
  create_topics "127.0.0.1:$port" "$dir/logs/topics.log"
}

create_topics() { # create_topics BOOTSTRAP LOGFILE: the topics the services use, those missing only
  java -cp "$(kafka_classpath)" "$ROOT/deploy/local/kafka/CreateTopics.java" "$1" "${TOPICS[@]}" >"$2" 2>&1 \
    || die "could not create topics on $1 (see $2)"
}

# --- Tokens -----------------------------------------------------------------

ensure_dev_keys() { # a development RSA key pair, made on first use, never committed
  if [ ! -f "$LEDGER_KEYS_DIR/public.pem" ]; then
    mkdir -p "$LEDGER_KEYS_DIR" && chmod 700 "$LEDGER_KEYS_DIR"
    openssl genrsa -out "$LEDGER_KEYS_DIR/private.pem" 2048 2>/dev/null
    openssl rsa -in "$LEDGER_KEYS_DIR/private.pem" -pubout -out "$LEDGER_KEYS_DIR/public.pem" 2>/dev/null
    chmod 600 "$LEDGER_KEYS_DIR/private.pem"
    log "generated a development signing key in $LEDGER_KEYS_DIR" >&2
  fi
  export LEDGER_JWT_PUBLIC_KEY="${LEDGER_JWT_PUBLIC_KEY:-file:$LEDGER_KEYS_DIR/public.pem}"
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

# build_if_needed: builds stale jars, unless a service of this checkout is running from them (a JVM whose jar
# is replaced under it fails on the next class it loads); then it says how to run the new code
build_if_needed() {
  local svc
  build_stale || return 0
  for svc in "${SERVICES[@]}"; do
    if pid_alive "$LEDGER_RUN_DIR/$svc.pid"; then
      log "the sources changed since the running services were built; not rebuilding under them:"
      log "run deploy/local/down, then deploy/local/up, to run the new code"
      return 0
    fi
  done
  log "building the services (mvn package -DskipTests)"
  (cd "$ROOT" && mvn -q -B package -DskipTests) || die "build failed"
}
