#!/usr/bin/env bash
# A real single-node Slurm (Debian 12 packages, Slurm 22.05) for the Slurm executor's tests and CI.
# Recipe: ../shared/SLURM.md. Runs as root without systemd; everything lives in $FAIRSWEEP_SLURM_DIR.
#
#   scripts/slurm-fixture.sh up      install what is missing, start munged, slurmdbd, slurmctld, slurmd,
#                                    wait for an idle node, create accounts and QOS (idempotent)
#   scripts/slurm-fixture.sh down    cancel jobs, stop the daemons by their PID files, drop the database
#   scripts/slurm-fixture.sh status  daemons, node and queue
#   scripts/slurm-fixture.sh env     prints `export SLURM_CONF=...` (eval it)
#
# Settings (environment): FAIRSWEEP_SLURM_DIR (default /tmp/fairsweep-slurm), FAIRSWEEP_SLURM_DB
# (MariaDB database, default slurm_acct_db), FAIRSWEEP_SLURM_CPUS (8), FAIRSWEEP_SLURM_MEM_MB (16000),
# FAIRSWEEP_SLURM_GPUS (4, fake: symlinks to /dev/null).
set -euo pipefail

DIR="${FAIRSWEEP_SLURM_DIR:-/tmp/fairsweep-slurm}"
DB="${FAIRSWEEP_SLURM_DB:-slurm_acct_db}"
CPUS="${FAIRSWEEP_SLURM_CPUS:-8}"
MEM_MB="${FAIRSWEEP_SLURM_MEM_MB:-16000}"
GPUS="${FAIRSWEEP_SLURM_GPUS:-4}"
CLUSTER=fairsweep
HOST="$(hostname -s)"
export SLURM_CONF="$DIR/slurm.conf"
export DEBIAN_FRONTEND=noninteractive

# Accounts the tests use (tenants) and the QOS per priority class.
TENANT_ACCOUNTS=(acme globex)
LIMITED_ACCOUNT=tiny          # QOS tiny-qos, GrpTRES=cpu=1: a second job pends with QOSGrpCpuLimit;
                              # QOS tiny-deny, the same with DenyOnLimit: sbatch refuses what does not fit
PRIORITY_QOS=(fs-critical fs-standard fs-preemptible)

log() { printf '[slurm-fixture] %s\n' "$*" >&2; }
die() { printf '[slurm-fixture] ERROR: %s\n' "$*" >&2; exit 1; }

# Runs a Slurm client with a deadline: while a daemon is down each call blocks ~9 s.
client() { timeout 15 "$@"; }

pid_alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_for() { # wait_for <seconds> <what> <command...>
  local deadline=$((SECONDS + $1)) what="$2"
  shift 2
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
  log "$what: ok"
}

# ------------------------------------------------------------------------------------------------
install_packages() {
  local missing=() pkg
  for pkg in slurmctld slurmd slurm-client munge slurmdbd; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  if ! mariadb_reachable && ! command -v mariadbd >/dev/null; then missing+=(mariadb-server); fi
  ((${#missing[@]} == 0)) && return 0
  log "installing: ${missing[*]}"
  apt-get update -qq || { sleep 10; apt-get update -qq; }
  apt-get install -y -qq --no-install-recommends -o Dpkg::Use-Pty=0 "${missing[@]}" >/dev/null ||
    { sleep 10; apt-get install -y -qq --no-install-recommends -o Dpkg::Use-Pty=0 "${missing[@]}" >/dev/null; }
}

# ------------------------------------------------------------------------------------------------
write_config() {
  mkdir -p "$DIR"/{state,spool,log,run,gpu,mysql}
  local i gres_files
  for ((i = 0; i < GPUS; i++)); do ln -sfn /dev/null "$DIR/gpu/nvidia$i"; done
  gres_files="$DIR/gpu/nvidia[0-$((GPUS - 1))]"
  ((GPUS == 1)) && gres_files="$DIR/gpu/nvidia0"
  cat >"$DIR/slurm.conf.new" <<EOF
# Written by scripts/slurm-fixture.sh: a container-safe single node (see shared/SLURM.md).
ClusterName=$CLUSTER
SlurmctldHost=$HOST
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/run/slurmctld.pid
SlurmdPidFile=$DIR/run/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SlurmdParameters=config_overrides
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
EnforcePartLimits=ALL
SchedulerParameters=batch_sched_delay=0
MinJobAge=300
KillWait=5
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherParams=OverMemoryKill
ReturnToService=2
MpiDefault=none
GresTypes=gpu
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=localhost
AccountingStorageEnforce=associations,limits,qos,safe
AccountingStorageTRES=gres/gpu
NodeName=$HOST CPUs=$CPUS RealMemory=$MEM_MB Gres=gpu:$GPUS State=UNKNOWN
PartitionName=debug Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF
  mv "$DIR/slurm.conf.new" "$DIR/slurm.conf"
  cat >"$DIR/gres.conf" <<EOF
AutoDetect=off
NodeName=$HOST Name=gpu File=$gres_files
EOF
  install -m 0600 /dev/null "$DIR/slurmdbd.conf.new"
  cat >"$DIR/slurmdbd.conf.new" <<EOF
AuthType=auth/munge
DbdHost=localhost
SlurmUser=root
PidFile=$DIR/run/slurmdbd.pid
LogFile=$DIR/log/slurmdbd.log
StorageType=accounting_storage/mysql
StorageHost=$MYSQL_HOST
StoragePort=$MYSQL_PORT
StorageUser=root
StorageLoc=$DB
EOF
  mv "$DIR/slurmdbd.conf.new" "$DIR/slurmdbd.conf"
}

# ------------------------------------------------------------------------------------------------
MYSQL_HOST=127.0.0.1
MYSQL_PORT=3306
PRIVATE_MYSQL_PORT=3406

mysql_q() { mariadb --no-defaults -h "$MYSQL_HOST" -P "$MYSQL_PORT" -u root -N -e "$1"; }
mariadb_reachable() { mysql_q 'SELECT 1' >/dev/null 2>&1; }

start_mariadb() {
  if mariadb_reachable; then return 0; fi
  # The machine's server is not there (or not usable over TCP): run a private one.
  MYSQL_PORT=$PRIVATE_MYSQL_PORT
  if mariadb_reachable; then return 0; fi
  log "no MariaDB on 127.0.0.1:3306; starting a private one on port $MYSQL_PORT"
  mkdir -p "$DIR/mysql/data"
  chown -R mysql:mysql "$DIR/mysql"
  if [[ ! -d "$DIR/mysql/data/mysql" ]]; then
    mariadb-install-db --no-defaults --datadir="$DIR/mysql/data" --user=mysql \
      --auth-root-authentication-method=normal --skip-test-db >"$DIR/log/mariadb-install.log" 2>&1
  fi
  mariadbd --no-defaults --user=mysql --datadir="$DIR/mysql/data" --bind-address=127.0.0.1 \
    --port="$MYSQL_PORT" --socket="$DIR/mysql/mysqld.sock" --pid-file="$DIR/run/mariadbd.pid" \
    >>"$DIR/log/mariadbd.log" 2>&1 &
  wait_for 30 "private MariaDB" mariadb_reachable || die "MariaDB did not start; see $DIR/log/mariadbd.log"
}

start_munge() {
  if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then return 0; fi
  [[ -f /etc/munge/munge.key ]] || runuser -u munge -- /usr/sbin/mungekey --create
  mkdir -p /run/munge
  chown munge:munge /run/munge
  chmod 0755 /run/munge
  runuser -u munge -- /usr/sbin/munged
  cp /run/munge/munged.pid "$DIR/run/munged.pid" 2>/dev/null || true
  wait_for 10 "munged" sh -c 'munge -n | unmunge' || die "munged did not start"
}

# start_daemon <name> <pidfile> <command...>: a fatal error may come after it daemonizes, so the
# PID file is checked after a moment.
start_daemon() {
  local name="$1" pidfile="$2"
  shift 2
  if pid_alive "$pidfile"; then return 0; fi
  rm -f "$pidfile"
  "$@" || die "$name failed to start; see $DIR/log/$name.log"
  wait_for 10 "$name pid file" pid_alive "$pidfile" || die "$name exited; see $DIR/log/$name.log"
}

sacctmgr_has() { # sacctmgr_has cluster|account|qos <name>
  local field=name
  [[ "$1" == qos ]] || field="$1"
  client sacctmgr -n -P list "$1" "$2" format="$field" 2>/dev/null | grep -qx "$2"
}

setup_accounts() {
  local qos acct
  for qos in "${PRIORITY_QOS[@]}"; do
    sacctmgr_has qos "$qos" || client sacctmgr -i add qos "$qos" >/dev/null
  done
  sacctmgr_has qos "$LIMITED_ACCOUNT-qos" || client sacctmgr -i add qos "$LIMITED_ACCOUNT-qos" GrpTRES=cpu=1 >/dev/null
  sacctmgr_has qos "$LIMITED_ACCOUNT-deny" ||
    client sacctmgr -i add qos "$LIMITED_ACCOUNT-deny" GrpTRES=cpu=1 Flags=DenyOnLimit >/dev/null
  local all_qos
  all_qos="normal,$(IFS=,; echo "${PRIORITY_QOS[*]}")"
  for acct in "${TENANT_ACCOUNTS[@]}"; do
    sacctmgr_has account "$acct" || client sacctmgr -i add account "$acct" Cluster="$CLUSTER" >/dev/null
    client sacctmgr -i add user root Account="$acct" QOS="$all_qos" DefaultQOS=normal >/dev/null 2>&1 || true
  done
  sacctmgr_has account "$LIMITED_ACCOUNT" || client sacctmgr -i add account "$LIMITED_ACCOUNT" Cluster="$CLUSTER" >/dev/null
  client sacctmgr -i add user root Account="$LIMITED_ACCOUNT" QOS="$LIMITED_ACCOUNT-qos,$LIMITED_ACCOUNT-deny" \
    DefaultQOS="$LIMITED_ACCOUNT-qos" >/dev/null 2>&1 || true
  client sacctmgr -i modify user root where account="$LIMITED_ACCOUNT" \
    set QOS="$LIMITED_ACCOUNT-qos,$LIMITED_ACCOUNT-deny" DefaultQOS="$LIMITED_ACCOUNT-qos" >/dev/null 2>&1 || true
  # `add user` does nothing for an existing association: make the QOS grants right either way.
  for acct in "${TENANT_ACCOUNTS[@]}"; do
    client sacctmgr -i modify user root where account="$acct" set QOS="$all_qos" DefaultQOS=normal >/dev/null 2>&1 || true
  done
  log "accounts: ${TENANT_ACCOUNTS[*]} $LIMITED_ACCOUNT; QOS: ${PRIORITY_QOS[*]} $LIMITED_ACCOUNT-qos $LIMITED_ACCOUNT-deny"
}

node_ready() {
  local state
  state="$(client sinfo -h -n "$HOST" -o '%T' 2>/dev/null | head -1)"
  [[ "$state" == idle || "$state" == mixed || "$state" == allocated ]]
}

up() {
  [[ $EUID -eq 0 ]] || die "run as root"
  install_packages
  start_mariadb
  write_config
  start_munge
  mysql_q "CREATE DATABASE IF NOT EXISTS \`$DB\`"
  start_daemon slurmdbd "$DIR/run/slurmdbd.pid" slurmdbd
  wait_for 30 "slurmdbd" client sacctmgr -n list cluster || die "slurmdbd does not answer; see $DIR/log/slurmdbd.log"
  sacctmgr_has cluster "$CLUSTER" || client sacctmgr -i add cluster "$CLUSTER" >/dev/null
  start_daemon slurmctld "$DIR/run/slurmctld.pid" slurmctld
  start_daemon slurmd "$DIR/run/slurmd.pid" slurmd
  wait_for 30 "node $HOST idle" node_ready || {
    client sinfo -N -l >&2 || true
    die "node $HOST did not become idle; see $DIR/log/slurmctld.log and slurmd.log"
  }
  # A node left DOWN/DRAINED by an earlier run comes back; a no-op otherwise.
  client scontrol update nodename="$HOST" state=resume >/dev/null 2>&1 || true
  setup_accounts
  log "up: SLURM_CONF=$SLURM_CONF"
}

stop_pidfile() { # stop_pidfile <name> <pidfile>: SIGTERM, then SIGKILL after ~10 s
  local name="$1" pidfile="$2" pid i
  pid_alive "$pidfile" || { rm -f "$pidfile"; return 0; }
  pid="$(cat "$pidfile")"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name ($pid) ignored SIGTERM; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
  log "stopped $name"
}

down() {
  if [[ -f "$SLURM_CONF" ]] && pid_alive "$DIR/run/slurmctld.pid"; then
    client scancel --full --signal=KILL -u root >/dev/null 2>&1 || true
    client scancel -u root >/dev/null 2>&1 || true
  fi
  stop_pidfile slurmd "$DIR/run/slurmd.pid"
  stop_pidfile slurmctld "$DIR/run/slurmctld.pid"
  stop_pidfile slurmdbd "$DIR/run/slurmdbd.pid"
  if mariadb_reachable; then mysql_q "DROP DATABASE IF EXISTS \`$DB\`" && log "dropped database $DB"; fi
  MYSQL_PORT=$PRIVATE_MYSQL_PORT
  if [[ -f "$DIR/run/mariadbd.pid" ]]; then
    mariadb_reachable && mysql_q "DROP DATABASE IF EXISTS \`$DB\`" >/dev/null 2>&1
    stop_pidfile mariadbd "$DIR/run/mariadbd.pid"
  fi
  stop_pidfile munged "$DIR/run/munged.pid"
  rm -rf "$DIR/state" "$DIR/spool"
}

status() {
  local name
  for name in munged slurmdbd slurmctld slurmd mariadbd; do
    if pid_alive "$DIR/run/$name.pid"; then echo "$name: running (pid $(cat "$DIR/run/$name.pid"))"; else echo "$name: not running"; fi
  done
  if pid_alive "$DIR/run/slurmctld.pid"; then
    client sinfo -N -o '%N %T %C %G' || true
    client squeue -o '%i %j %T %r %a %q' || true
  fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  env) echo "export SLURM_CONF=$SLURM_CONF" ;;
  *) echo "usage: $0 up|down|status|env" >&2; exit 2 ;;
esac
