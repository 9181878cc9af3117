# Starts a throwaway PostgreSQL on 127.0.0.1 for the tests and exports PG*
# variables; it is stopped when the calling shell exits.
start_postgres() {
  local bin
  bin=$(dirname "$(command -v initdb 2>/dev/null || ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
  local dir port user
  dir=$(mktemp -d /tmp/release-automation-pg.XXXXXX)
  port=${PGPORT:-55432}
  user=$(id -un)
  local run=()
  if [ "$user" = root ]; then
    # PostgreSQL refuses to run as root: run it as the postgres user.
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$dir"
    run=(runuser -u postgres --)
    user=postgres
  fi
  "${run[@]}" "$bin/initdb" -D "$dir/data" -U "$user" --auth=trust -E UTF8 >/dev/null
  "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir" start >/dev/null
  export PGHOST=127.0.0.1 PGPORT=$port PGUSER=$user PGDATABASE=postgres
  local stop
  stop=$(printf '%q ' "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast stop)
  # shellcheck disable=SC2064 # expand now: the values are fixed
  trap "$stop >/dev/null 2>&1 || true; rm -rf $(printf '%q' "$dir")" EXIT
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on $PGHOST:$PGPORT"
}
