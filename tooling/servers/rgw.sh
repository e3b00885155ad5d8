#!/bin/bash
# A real S3 server for the tests: single-node Ceph (mon + in-memory osd + radosgw) on 127.0.0.1,
# from Debian's own packages unpacked into a cache folder: nothing is installed system-wide and
# no Docker is needed.
#
#   rgw.sh up     unpack the packages once, start mon, osd and rgw, create the test user and
#                 write the endpoint and keys to $FLYTE_RGW_DIR/env (printed too); ~15-25 s
#   rgw.sh down   stop rgw, osd and mon, in that order, by the PIDs this script recorded
#   rgw.sh env    print the variables a client needs (fails when the server is not up)
#   rgw.sh unpack only fetch and unpack the packages (CI warms the cache with it)
#
# Variables:
#   FLYTE_RGW_DIR    cluster data, logs, PIDs and the env file (default: $TMPDIR or /tmp, + /flyte-rgw)
#   FLYTE_RGW_CACHE  unpacked packages, shared between runs (default: ~/.cache/flyte-rgw)
#   FLYTE_RGW_DEBS   an optional folder of already-downloaded .debs to unpack instead of downloading
#
# The rgw and mon ports are picked free at start (mon addresses are plain config, nothing needs
# 6789); the osd takes free ports from Ceph's own 6800-7300 range. Every socket binds 127.0.0.1.
# Facts that matter to a client: PutObject honours If-None-Match:* and If-Match (412);
# CompleteMultipartUpload does not. With AWS SDK v3 set requestChecksumCalculation and
# responseChecksumValidation to "WHEN_REQUIRED", or a streamed PutObject fails with 411.
set -euo pipefail

DIR=${FLYTE_RGW_DIR:-${TMPDIR:-/tmp}/flyte-rgw}
CACHE=${FLYTE_RGW_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/flyte-rgw}
R=$CACHE/root
D=$DIR/cluster
ENV_FILE=$DIR/env
PACKAGES=(radosgw ceph-mon ceph-osd)

export PATH=$R/usr/bin:$R/usr/sbin:$R/sbin:$PATH
export LD_LIBRARY_PATH=$R/usr/lib/x86_64-linux-gnu:$R/usr/lib/x86_64-linux-gnu/ceph:$R/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export PYTHONPATH=$R/usr/lib/python3/dist-packages
export CEPH_CONF=$D/ceph.conf

log() { echo "rgw.sh: $*" >&2; }

# The `ceph` CLI is Python and the unpacked `rados` extension is built for Debian's python3.11,
# so it must run on Debian's interpreter, not on whatever python3 comes first in PATH.
ceph_cli() { /usr/bin/python3 "$R/usr/bin/ceph" "$@"; }

unpack() {
  [[ -x $R/usr/bin/radosgw ]] && return 0
  mkdir -p "$CACHE"
  # Two runs at once must not unpack over each other: one waits for the other.
  exec 9>"$CACHE/.lock"
  flock 9
  if [[ -x $R/usr/bin/radosgw ]]; then exec 9>&-; return 0; fi
  local debs=$CACHE/debs
  mkdir -p "$debs"
  if [[ -n ${FLYTE_RGW_DEBS:-} ]] && compgen -G "$FLYTE_RGW_DEBS/*.deb" >/dev/null; then
    cp -n "$FLYTE_RGW_DEBS"/*.deb "$debs"/
  fi
  if ! compgen -G "$debs/radosgw_*.deb" >/dev/null; then
    command -v apt-get >/dev/null || { log "apt-get not found: radosgw comes from Debian's packages"; return 1; }
    local names
    # A fresh machine has no package lists yet; the simulation then fails and an update fixes it.
    if ! names=$(apt-get install -s --no-install-recommends "${PACKAGES[@]}" 2>/dev/null | awk '/^Inst/{print $2}') ||
      [[ -z $names ]]; then
      log "refreshing apt package lists"
      apt-get update -qq
      names=$(apt-get install -s --no-install-recommends "${PACKAGES[@]}" | awk '/^Inst/{print $2}')
    fi
    log "downloading $(wc -w <<<"$names") Debian packages into $debs"
    # apt-get download as root warns that its sandbox user cannot write here; harmless.
    # shellcheck disable=SC2086
    (cd "$debs" && apt-get download -qq $names 2>&1 | grep -v 'unsandboxed as root' >&2 || true)
    compgen -G "$debs/radosgw_*.deb" >/dev/null || { log "download failed (see above)"; return 1; }
  fi
  log "unpacking $(ls "$debs"/*.deb | wc -l) packages into $R"
  rm -rf "$R.tmp" && mkdir -p "$R.tmp"
  local d
  for d in "$debs"/*.deb; do dpkg-deb -x "$d" "$R.tmp"; done
  rm -rf "$R" && mv "$R.tmp" "$R"
  exec 9>&-
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

running() { [[ -f $D/rgw.pid ]] && kill -0 "$(cat "$D/rgw.pid")" 2>/dev/null && [[ -f $ENV_FILE ]]; }

up() {
  if running; then
    log "already running"
    cat "$ENV_FILE"
    return 0
  fi
  # A start that fails half way must not leave daemons behind.
  trap 'rc=$?; if ((rc != 0)); then log "start failed; stopping what was started"; down >/dev/null 2>&1 || true; fi' EXIT
  [[ -x /usr/bin/python3 ]] || { log "/usr/bin/python3 is needed by the ceph CLI (apt-get install python3)"; return 1; }
  unpack
  down >/dev/null 2>&1 || true
  rm -rf "$D" "$ENV_FILE"
  mkdir -p "$D"/{log,mon,osd,run,rgw}
  local fsid mon_port rgw_port
  fsid=$(cat /proc/sys/kernel/random/uuid)
  mon_port=$(free_port)
  rgw_port=$(free_port)
  cat >"$CEPH_CONF" <<CONF
[global]
fsid = $fsid
mon host = v1:127.0.0.1:$mon_port
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind ipv6 = false
ms bind msgr2 = false
auth cluster required = none
auth service required = none
auth client required = none
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0
run dir = $D/run
admin socket = $D/run/\$name.asok
log file = $D/log/\$name.log
plugin dir = $R/usr/lib/x86_64-linux-gnu/ceph
erasure code dir = $R/usr/lib/x86_64-linux-gnu/ceph/erasure-code
osd class dir = $R/usr/lib/x86_64-linux-gnu/rados-classes
osd class load list = *
osd class default list = *
mon data avail crit = 0
mon data avail warn = 0
[mon.a]
mon data = $D/mon
[osd.0]
osd data = $D/osd
# At boot an osd may send its crush updates before its mon client knows the cluster fsid; the
# mon then answers "wrong fsid" and the osd aborts (seen under load). The crush entry is added
# by this script instead, so the osd needs to send nothing.
osd crush update on start = false
osd class update on start = false
osd objectstore = memstore
memstore device bytes = 4294967296
[client.rgw.r]
rgw frontends = beast endpoint=127.0.0.1:$rgw_port
rgw data = $D/rgw
# Overwritten and deleted objects are only freed by rgw's garbage collector, by default after
# 2 hours: with an in-memory osd, benchmarks and big-object tests would fill it. Collect soon
# (a reader of an old version still gets 10 s to finish).
rgw gc obj min wait = 10
rgw gc processor period = 5
rgw gc processor max time = 5
CONF
  monmaptool --create --addv a "[v1:127.0.0.1:$mon_port]" --fsid "$fsid" "$D/monmap" >/dev/null
  ceph-mon --id a --mkfs --monmap "$D/monmap" --keyring /dev/null && touch "$D/mon/keyring"
  # setsid: the daemons must outlive a caller's process group (a CI step, a test runner).
  setsid ceph-mon --id a -f </dev/null >"$D/log/mon.stdout" 2>&1 &
  echo $! >"$D/mon.pid"
  wait_for 60 "/usr/bin/python3 $R/usr/bin/ceph -s --connect-timeout 5"
  # The osd gets an explicit uuid: created without one, it boots with the all-zero uuid and the
  # mon may refuse it ("wrong fsid"), which aborts the osd.
  local id osd_uuid
  osd_uuid=$(cat /proc/sys/kernel/random/uuid)
  id=$(ceph_cli osd create "$osd_uuid")
  ceph_cli osd crush add "osd.$id" 1 root=default >/dev/null 2>&1
  ceph-osd --id "$id" --mkfs --osd-uuid "$osd_uuid" >"$D/log/osd-mkfs.stdout" 2>&1
  setsid ceph-osd --id "$id" -f </dev/null >"$D/log/osd.stdout" 2>&1 &
  echo $! >"$D/osd.pid"
  wait_for 60 "/usr/bin/python3 $R/usr/bin/ceph osd stat --connect-timeout 5 | grep -q '1 up'"
  setsid radosgw -n client.rgw.r -f </dev/null >"$D/log/rgw.stdout" 2>&1 &
  echo $! >"$D/rgw.pid"
  wait_for 90 "(echo > /dev/tcp/127.0.0.1/$rgw_port)"
  local access secret
  # Fresh keys per start, so a leaked key is worth nothing and tests can check none leaks.
  access=FLYTE$(node -p 'require("crypto").randomBytes(8).toString("hex").toUpperCase()')
  secret=$(node -p 'require("crypto").randomBytes(30).toString("base64").replace(/[+/=]/g, "x")')
  radosgw-admin user create --uid test --display-name Test \
    --access-key="$access" --secret-key="$secret" >/dev/null
  umask 077
  cat >"$ENV_FILE.tmp" <<ENV
S3_ENDPOINT=http://127.0.0.1:$rgw_port
AWS_ENDPOINT_URL_S3=http://127.0.0.1:$rgw_port
AWS_ACCESS_KEY_ID=$access
AWS_SECRET_ACCESS_KEY=$secret
AWS_REGION=us-east-1
ENV
  mv "$ENV_FILE.tmp" "$ENV_FILE"
  log "up: http://127.0.0.1:$rgw_port (mon 127.0.0.1:$mon_port, data in $D)"
  cat "$ENV_FILE"
}

wait_for() {
  local limit=$1 check=$2 i p
  for ((i = 0; i < limit * 2; i++)); do
    if bash -c "$check" >/dev/null 2>&1; then return 0; fi
    # A daemon that died will not come up: say so now rather than after the whole wait.
    for p in mon osd rgw; do
      if [[ -f $D/$p.pid ]] && ! kill -0 "$(cat "$D/$p.pid")" 2>/dev/null; then
        log "$p exited during start; last lines of $D/log/$p.stdout:"
        tail -n 20 "$D/log/$p.stdout" >&2 || true
        return 1
      fi
    done
    sleep 0.5
  done
  log "gave up waiting for: $check (logs in $D/log)"
  return 1
}

down() {
  local p f pid i
  for p in rgw osd mon; do
    f=$D/$p.pid
    [[ -f $f ]] || continue
    pid=$(cat "$f")
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 40); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.25
    done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
    rm -f "$f"
  done
  rm -f "$ENV_FILE"
}

case ${1:-} in
  up) up ;;
  down) down ;;
  env)
    running || { log "not running (no $ENV_FILE)"; exit 1; }
    cat "$ENV_FILE"
    ;;
  unpack) unpack ;;
  *)
    echo "usage: $0 up|down|env|unpack" >&2
    exit 2
    ;;
esac
