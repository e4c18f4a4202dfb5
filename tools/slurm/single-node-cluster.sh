#!/usr/bin/env bash
# A single-node SLURM cluster on this machine, for trying Spikeforge's SLURM launcher and for its
# tests (.ci/run starts it before `mvn verify`): munged, slurmctld and slurmd, with
# /etc/slurm/slurm.conf describing this one node and every state, spool, log and PID file in a
# scratch folder. Needs root and Debian's packages `slurm-wlm` and `munge`:
#   apt-get install -y --no-install-recommends slurm-wlm munge
#
# Usage: tools/slurm/single-node-cluster.sh start|stop|status
#   start   writes /etc/slurm/slurm.conf (only one that this script wrote before, never another),
#           starts munged (unless one answers), slurmctld and slurmd, and waits until the node is idle
#   stop    stops the daemons this script started, by the PIDs it recorded
#   status  says whether the cluster answers; exit status 0 when it does, 3 when it does not
# Environment: SPIKEFORGE_SLURM_STATE, the scratch folder (default /tmp/spikeforge-slurm).
set -euo pipefail

CONF=/etc/slurm/slurm.conf
MARKER="# Written by Spikeforge's tools/slurm/single-node-cluster.sh: a single-node cluster for trying and testing."
STATE=${SPIKEFORGE_SLURM_STATE:-/tmp/spikeforge-slurm}
MUNGE_KEY=/etc/munge/munge.key
MUNGE_RUN=/run/munge
READY_TIMEOUT_S=30

fail() {
  echo "single-node-cluster: $*" >&2
  exit 1
}

# Whether the PID in file $1 is a live process.
alive() {
  [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

# Whether slurmctld answers (a configuration this script wrote, or any other).
answers() {
  timeout 10 sinfo -h >/dev/null 2>&1
}

require_root_and_packages() {
  [ "$(id -u)" -eq 0 ] || fail "needs root: it writes $CONF and runs the daemons as root (try sudo)"
  local missing=()
  for program in /usr/sbin/slurmctld /usr/sbin/slurmd /usr/sbin/munged /usr/bin/sinfo /usr/bin/munge; do
    [ -x "$program" ] || missing+=("$program")
  done
  [ ${#missing[@]} -eq 0 ] || fail "missing ${missing[*]}: install Debian's packages with" \
    "'apt-get install -y --no-install-recommends slurm-wlm munge'"
}

# Refuses to touch a slurm.conf that this script did not write.
check_conf_is_ours() {
  if [ -e "$CONF" ] && [ "$(head -n 1 "$CONF")" != "$MARKER" ]; then
    fail "$CONF exists and was not written by this script (its first line is not the marker" \
      "'$MARKER'); it is left as it is. Move it away to use this script, or use that cluster."
  fi
}

write_conf() {
  local host cpus memory_mb
  host=$(hostname -s)
  cpus=$(nproc)
  # RealMemory above what slurmd finds would drain the node: offer three quarters of it.
  memory_mb=$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 * 3 / 4 }' /proc/meminfo)
  mkdir -p /etc/slurm "$STATE/ctld" "$STATE/spool" "$STATE/log"
  local text
  text=$(cat <<EOF
$MARKER
# It rewrites this file on each start; delete it together with $STATE when done.
ClusterName=spikeforge
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
ReturnToService=2
StateSaveLocation=$STATE/ctld
SlurmdSpoolDir=$STATE/spool
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
SlurmctldLogFile=$STATE/log/slurmctld.log
SlurmdLogFile=$STATE/log/slurmd.log
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=$STATE/jobcomp.txt
NodeName=$host CPUs=$cpus RealMemory=$memory_mb State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
)
  # Written whole, then moved into place, so a reader never sees half of it.
  printf '%s\n' "$text" >"$CONF.partial"
  chmod 644 "$CONF.partial"
  mv -f "$CONF.partial" "$CONF"
}

munge_answers() {
  munge -n 2>/dev/null | unmunge >/dev/null 2>&1
}

start_munge() {
  if munge_answers; then
    return
  fi
  if [ ! -s "$MUNGE_KEY" ]; then
    mkdir -p /etc/munge
    mungekey --create --keyfile="$MUNGE_KEY"
    echo "single-node-cluster: created the munge key $MUNGE_KEY"
  fi
  chown munge:munge "$MUNGE_KEY"
  chmod 400 "$MUNGE_KEY"
  mkdir -p "$MUNGE_RUN"
  chown munge:munge "$MUNGE_RUN"
  # munged refuses to run as root
  runuser -u munge -- /usr/sbin/munged
  for _ in $(seq 50); do
    munge_answers && break
    sleep 0.1
  done
  munge_answers || fail "munged did not answer; see /var/log/munge/munged.log"
  cp "$MUNGE_RUN/munged.pid" "$STATE/munged.pid"
}

node_state() {
  timeout 10 sinfo -h -N -o %T 2>/dev/null | head -n 1
}

start() {
  require_root_and_packages
  check_conf_is_ours
  if alive "$STATE/slurmctld.pid" && alive "$STATE/slurmd.pid" && answers; then
    echo "single-node-cluster: already running (node $(node_state))"
    return
  fi
  if answers; then
    fail "a SLURM controller already answers (not started by this script); stop it first"
  fi
  write_conf
  start_munge
  alive "$STATE/slurmctld.pid" || /usr/sbin/slurmctld
  alive "$STATE/slurmd.pid" || /usr/sbin/slurmd
  local waited=0 state=""
  while [ "$waited" -lt $((READY_TIMEOUT_S * 10)) ]; do
    state=$(node_state)
    case "$state" in
      idle*|mixed*|allocated*) break ;;
      down*|drain*) scontrol update NodeName="$(hostname -s)" State=RESUME >/dev/null 2>&1 || true ;;
    esac
    sleep 0.1
    waited=$((waited + 1))
  done
  case "$state" in
    idle*|mixed*|allocated*) ;;
    *)
      tail -n 20 "$STATE/log/slurmctld.log" "$STATE/log/slurmd.log" >&2 || true
      fail "the node is not idle after ${READY_TIMEOUT_S} s (it is '${state:-unknown}'); logs in $STATE/log"
      ;;
  esac
  echo "single-node-cluster: running, node $(hostname -s) $state, $(nproc) CPUs; state and logs in $STATE"
}

# Stops the process whose PID file is $1 and waits until it has ended.
stop_daemon() {
  local pidfile=$1 name=$2
  if ! alive "$pidfile"; then
    rm -f "$pidfile"
    return
  fi
  local pid
  pid=$(cat "$pidfile")
  kill "$pid"
  for _ in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "single-node-cluster: $name ($pid) did not stop in 10 s; killing it" >&2
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

stop() {
  [ "$(id -u)" -eq 0 ] || fail "needs root to stop the daemons it started as root (try sudo)"
  stop_daemon "$STATE/slurmd.pid" slurmd
  stop_daemon "$STATE/slurmctld.pid" slurmctld
  # munged only when this script started it (its PID copied into the state folder then)
  stop_daemon "$STATE/munged.pid" munged
  echo "single-node-cluster: stopped"
}

status() {
  if answers; then
    sinfo
    if [ -e "$CONF" ] && [ "$(head -n 1 "$CONF")" = "$MARKER" ]; then
      echo "single-node-cluster: running (configured by this script; state and logs in $STATE)"
    else
      echo "single-node-cluster: a SLURM cluster answers, configured by $CONF (not by this script)"
    fi
    return 0
  fi
  echo "single-node-cluster: not running"
  return 3
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
