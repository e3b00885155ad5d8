#!/bin/bash
# with-servers.sh CMD...  runs CMD with a real S3 server (Ceph radosgw, see rgw.sh) up, and stops
# the server afterwards whatever CMD did. Returns CMD's exit code.
#
# CMD sees S3_ENDPOINT, AWS_ENDPOINT_URL_S3, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION
# and FLYTE_RGW_ENV_FILE. Azurite needs nothing here: the test setup starts it on port 0.
#
# - S3_ENDPOINT already set: that server is used as it is; nothing is started or stopped.
# - FLYTE_SERVERS=none: start nothing (suites that need a server skip loudly, or fail under CI).
# - RGW fails to start: with CI=true this fails; otherwise it warns and runs CMD anyway.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
(($# > 0)) || { echo "usage: $0 CMD..." >&2; exit 2; }

loud() {
  printf '\n%s\n' "================================================================================" >&2
  printf 'with-servers: %s\n' "$@" >&2
  printf '%s\n\n' "================================================================================" >&2
}

started_dir=""
stop() {
  if [[ -n $started_dir ]]; then
    FLYTE_RGW_DIR=$started_dir bash "$here/rgw.sh" down >/dev/null 2>&1 || true
    # Only the folder this script made is removed; it holds cluster data and logs of this run.
    [[ ${FLYTE_KEEP_RGW_LOGS:-} == 1 ]] || rm -rf "$started_dir"
    started_dir=""
  fi
}
trap stop EXIT
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM

if [[ -n ${S3_ENDPOINT:-} ]]; then
  echo "with-servers: using the S3 server at S3_ENDPOINT=$S3_ENDPOINT" >&2
elif [[ ${FLYTE_SERVERS:-} == none ]]; then
  loud "FLYTE_SERVERS=none: no radosgw started; S3 suites will skip (or fail under CI=true)"
else
  # A folder of our own per run, so two runs at once never stop each other's cluster.
  run_dir=$(mktemp -d "${TMPDIR:-/tmp}/flyte-rgw.XXXXXX")
  started_dir=$run_dir
  echo "with-servers: starting radosgw (first run unpacks Debian's ceph packages; logs in $run_dir)" >&2
  # One retry: a 2-core machine under load can make a first start miss its deadlines.
  if FLYTE_RGW_DIR=$run_dir bash "$here/rgw.sh" up >/dev/null ||
    { echo "with-servers: radosgw start failed; retrying once" >&2 && FLYTE_RGW_DIR=$run_dir bash "$here/rgw.sh" up >/dev/null; }; then
    set -a
    # shellcheck disable=SC1091
    . "$run_dir/env"
    set +a
    export FLYTE_RGW_ENV_FILE=$run_dir/env
    echo "with-servers: radosgw is up at $S3_ENDPOINT" >&2
  else
    if [[ ${CI:-} == true ]]; then
      loud "radosgw did not start and CI=true: failing (logs in $run_dir/cluster/log)"
      FLYTE_KEEP_RGW_LOGS=1
      exit 1
    fi
    loud "radosgw did not start: S3 suites will SKIP. Logs in $run_dir/cluster/log" \
      "(set CI=true to make this an error)"
    FLYTE_KEEP_RGW_LOGS=1
  fi
fi

"$@"
rc=$?
stop
exit "$rc"
