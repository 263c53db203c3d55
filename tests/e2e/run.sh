#!/usr/bin/env bash
# Functions run through e2e_wait or traps look unreachable to shellcheck.
# shellcheck disable=SC2317
# End-to-end suite: runs each case under tests/e2e/cases/ on a real Docker engine,
# before and after `unlink migrate`. See docs/e2e.md.
#
#   bash tests/e2e/run.sh [CASE...]
#
# Environment:
#   UNLINK            the unlink binary (default: cargo build --release --bin unlink,
#                     then target/release/unlink)
#   E2E_MIGRATE_WITH  "expected": use each case's hand-written expected/ files instead
#                     of running unlink; a directory: use DIR/<case>/ the same way
#   E2E_LOG_DIR       where per-case logs go (default: a new /tmp/unlink-e2e-logs.*)
#   E2E_SKIP_SETUP=1  do not run setup.sh (the daemon and images must be ready)
#   E2E_KEEP=1        keep each case's work directory (the migrated files)
#   E2E_ORIGINAL_WAIT seconds to give the original project to answer (default 10)
#
# Prints one line per step and, as its last line, exactly
# "e2e: N passed, M failed" (", K skipped" follows when K > 0).
# Exits 1 iff a case failed.
set -u

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$E2E_DIR/../.." && pwd)
# shellcheck source=lib/common.sh
. "$E2E_DIR/lib/common.sh"

: "${DOCKER_BUILDKIT:=0}"
export DOCKER_BUILDKIT
ORIGINAL_WAIT=${E2E_ORIGINAL_WAIT:-10}
[ "$ORIGINAL_WAIT" -gt "$E2E_MAX_WAIT" ] && ORIGINAL_WAIT=$E2E_MAX_WAIT

suite_start=$SECONDS
passed=0
failed=0
skipped=0

finish() {
    echo "e2e: total wall time $((SECONDS - suite_start)) s"
    if [ "${ICC:-}" = true ]; then
        echo "e2e: NOTE step a was skipped: the daemon runs with icc enabled"
    fi
    if [ "${MIGRATE_MODE:-}" = expected ] || [ "${MIGRATE_MODE:-}" = dir ]; then
        echo "e2e: NOTE migrations came from hand-written files (E2E_MIGRATE_WITH), not from unlink"
    fi
    if [ "$skipped" -gt 0 ]; then
        echo "e2e: $passed passed, $failed failed, $skipped skipped"
    else
        echo "e2e: $passed passed, $failed failed"
    fi
    [ "$failed" -eq 0 ]
    exit
}

# ---------------------------------------------------------------- which cases
all_cases=()
for d in "$E2E_DIR"/cases/*/; do
    [ -f "$d/case.sh" ] && all_cases+=("$(basename "$d")")
done
cases=()
if [ "$#" -gt 0 ]; then
    for want in "$@"; do
        if [ -f "$E2E_DIR/cases/$want/case.sh" ]; then
            cases+=("$want")
        else
            echo "e2e: no case named '$want' (have: ${all_cases[*]})"
            failed=$((failed + 1))
        fi
    done
else
    cases=("${all_cases[@]}")
fi

# ---------------------------------------------------------------- setup
if [ "${E2E_SKIP_SETUP:-0}" != 1 ]; then
    bash "$E2E_DIR/setup.sh"
    setup_status=$?
else
    echo "setup: skipped (E2E_SKIP_SETUP=1)"
    if docker_answers; then setup_status=0; else setup_status=3; fi
fi
if [ "$setup_status" = 3 ]; then
    echo "e2e: docker cannot be used on this machine (see setup lines above): skipping ${#cases[@]} case(s)"
    skipped=${#cases[@]}
    finish
elif [ "$setup_status" != 0 ]; then
    echo "e2e: setup failed (see setup lines above): the cases cannot run"
    failed=$((failed + ${#cases[@]}))
    finish
fi

ICC=$(docker_icc)
if [ "$ICC" = false ]; then
    echo "e2e: engine $(docker version -f '{{.Server.Version}}' 2>/dev/null) with icc=false"
else
    echo "e2e: NOTE the running daemon has inter-container communication ENABLED (icc=true):"
    echo "e2e:      step a (the original under icc=false) is skipped for every case"
fi

LOG_DIR=${E2E_LOG_DIR:-$(mktemp -d /tmp/unlink-e2e-logs.XXXXXX)}
mkdir -p "$LOG_DIR"
echo "e2e: logs in $LOG_DIR"

# ---------------------------------------------------------------- how to migrate
MIGRATE_MODE="unlink"
MIGRATE_PROBLEM=
if [ -n "${E2E_MIGRATE_WITH:-}" ]; then
    if [ "$E2E_MIGRATE_WITH" = expected ]; then
        MIGRATE_MODE=expected
        echo "e2e: NOTE migrating with each case's hand-written expected/ files (E2E_MIGRATE_WITH=expected), not with unlink"
    elif [ -d "$E2E_MIGRATE_WITH" ]; then
        MIGRATE_MODE=dir
        MIGRATE_DIR=$(cd "$E2E_MIGRATE_WITH" && pwd)
        echo "e2e: NOTE migrating with the files under $MIGRATE_DIR/<case>/ (E2E_MIGRATE_WITH), not with unlink"
    else
        echo "e2e: E2E_MIGRATE_WITH=$E2E_MIGRATE_WITH is neither 'expected' nor a directory"
        MIGRATE_PROBLEM="E2E_MIGRATE_WITH is neither 'expected' nor a directory"
    fi
else
    if [ -z "${UNLINK:-}" ]; then
        echo "e2e: building unlink (cargo build --release --bin unlink)"
        build_start=$SECONDS
        if (cd "$REPO_ROOT" && cargo build --release --bin unlink) >"$LOG_DIR/cargo-build.log" 2>&1; then
            UNLINK=$REPO_ROOT/target/release/unlink
            echo "e2e: built in $((SECONDS - build_start)) s"
        else
            tail -n 20 "$LOG_DIR/cargo-build.log" | sed 's/^/e2e:   /'
            MIGRATE_PROBLEM="cargo build --release --bin unlink failed"
        fi
    fi
    if [ -z "$MIGRATE_PROBLEM" ]; then
        case $UNLINK in /*) ;; *) UNLINK=$PWD/$UNLINK ;; esac
        if [ ! -x "$UNLINK" ]; then
            MIGRATE_PROBLEM="UNLINK=$UNLINK is not an executable"
        else
            echo "e2e: migrating with $UNLINK"
        fi
    fi
fi
[ -n "$MIGRATE_PROBLEM" ] && echo "e2e: step b will fail: $MIGRATE_PROBLEM"

# ---------------------------------------------------------------- probes
# http_get URL: the response (headers and body) of one GET, at most 4 s.
http_get() {
    local url=$1
    if [ "${E2E_NO_CURL:-0}" != 1 ] && command -v curl >/dev/null 2>&1; then
        curl -s -i -m 4 "$url" 2>/dev/null
        return
    fi
    local rest=${url#http://127.0.0.1:}
    local port=${rest%%/*} path=/${rest#*/}
    [ "$rest" = "$port" ] && path=/
    # shellcheck disable=SC2016
    timeout 4 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
        printf "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n" "$2" >&3
        cat <&3' _ "$port" "$path" 2>/dev/null
}

# port_answers PORT: something accepts TCP connections on 127.0.0.1:PORT.
port_answers() {
    # shellcheck disable=SC2016
    timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null
}

probe_has_marker() { http_get "$1" | grep -qF -- "$2"; }

all_probes_have_marker() {
    local p url marker
    for p in "${PROBES[@]}"; do
        read -r url marker <<<"$p"
        probe_has_marker "$url" "$marker" || return 1
    done
}

# in_netns FROM HOST PORT: from inside container FROM's network namespace (a
# throwaway busybox sharing it, so FROM's /etc/hosts and DNS apply), send one HTTP
# request to HOST:PORT. Prints http (an HTTP answer), connected (a TCP connection,
# no HTTP answer), failed (no connection: refused, timed out, unknown name) or
# error (the probe itself could not run).
PROBE_N=0
in_netns() {
    local from=$1 host=$2 port=$3 out
    PROBE_N=$((PROBE_N + 1))
    # shellcheck disable=SC2016
    out=$(timeout 20 docker run --rm --name "$PREFIX-probe-$BASHPID-$PROBE_N" \
        --network "container:$from" "$E2E_BUSYBOX_IMAGE" sh -c '
        out=$(printf "GET / HTTP/1.0\r\n\r\n" | timeout 5 nc -w 2 "$0" "$1" 2>/dev/null)
        rc=$?
        case $out in HTTP/*) echo http; exit 0 ;; esac
        if [ "$rc" = 1 ]; then echo failed; else echo connected; fi
    ' "$host" "$port" 2>>"$CASE_LOG")
    case $out in
        http | connected | failed) echo "$out" ;;
        *) echo error ;;
    esac
}

container_ips() {
    timeout 10 docker inspect -f \
        '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' "$1" 2>/dev/null
}

# ---------------------------------------------------------------- one case
CASE_LOG=/dev/null
PREFIX=e2e-none

# run_cmd WHAT COMMAND: run COMMAND (a shell line) in the work dir, bounded, output
# to the case log. Returns its status.
run_cmd() {
    local what=$1 cmd=$2
    printf '\n===== %s: %s\n' "$what" "$cmd" >>"$CASE_LOG"
    (cd "$WORK/project" && timeout 120 bash -c "$cmd") >>"$CASE_LOG" 2>&1
}

case_containers() {
    timeout 10 docker ps -a --format '{{.Names}}' 2>/dev/null | grep -E "^${PREFIX}-" || true
}

networks_now() {
    timeout 10 docker network ls -q --no-trunc 2>/dev/null | sort
}

# Networks that did not exist when the case started, by name.
new_networks() {
    local id
    for id in $(comm -13 "$WORK/networks.before" <(networks_now)); do
        timeout 10 docker network inspect -f '{{.Name}}' "$id" 2>/dev/null
    done
}

# force_clean: remove the case's containers and the networks it created, whatever
# state they are in. Used after the original run and when a case ends (even failed).
force_clean() {
    local c n
    c=$(case_containers)
    # shellcheck disable=SC2086
    [ -n "$c" ] && timeout 60 docker rm -f $c >>"$CASE_LOG" 2>&1
    for n in $(new_networks); do
        timeout 30 docker network rm "$n" >>"$CASE_LOG" 2>&1
    done
    return 0
}

step() { printf '  [%s] %s\n' "$CASE" "$*"; }

# check_probes LIMIT: every PROBES entry answers with its marker within LIMIT s.
check_probes() {
    local limit=$1 p url marker ok=0
    for p in "${PROBES[@]}"; do
        read -r url marker <<<"$p"
        if e2e_wait "$limit" probe_has_marker "$url" "$marker"; then
            # Once it answers, it must keep answering so: an alias that several
            # containers hold answers from one or the other.
            local i steady=yes
            for i in 1 2 3 4; do
                probe_has_marker "$url" "$marker" || steady="no (request $((i + 1)) of 5)"
            done
            if [ "$steady" = yes ]; then
                step "     $url answered with '$marker' (5 of 5 requests)"
            else
                step "     $url answered with '$marker', then did NOT: $steady"
                ok=1
            fi
        else
            step "     $url did NOT answer with '$marker' within ${limit} s; it said:"
            http_get "$url" | head -n 5 | sed "s/^/  [$CASE]       | /"
            ok=1
        fi
    done
    return "$ok"
}

# check_reach: every REACH entry (FROM HOST PORT) connects from FROM's namespace.
check_reach() {
    local r from host port res ok=0
    for r in "${REACH[@]}"; do
        read -r from host port <<<"$r"
        res=$(in_netns "$from" "$host" "$port")
        if [ "$res" = failed ] || [ "$res" = error ]; then
            # A target may still be starting: one more try after a second.
            sleep 1
            res=$(in_netns "$from" "$host" "$port")
        fi
        if [ "$res" = http ] || [ "$res" = connected ]; then
            step "     link $from -> $host:$port: reached"
        else
            step "     link $from -> $host:$port: NOT reached ($res)"
            ok=1
        fi
    done
    return "$ok"
}

# check_isolation: for every ISOLATE entry (FROM TO PORT), FROM cannot connect to
# TO:PORT, neither by TO's name nor at any of TO's addresses.
check_isolation() {
    local r from to port ips ip ok=0 bad i=0 j n
    # All probes at once (each waits up to 2 s for a connection that must not come).
    local -a froms tos ports addrs
    for r in "${ISOLATE[@]}"; do
        read -r from to port <<<"$r"
        froms[i]=$from tos[i]=$to ports[i]=$port
        ips=$(container_ips "$to")
        addrs[i]=${ips% }
        j=0
        for ip in $to $ips; do
            in_netns "$from" "$ip" "$port" >"$WORK/iso.$i.$j" &
            j=$((j + 1))
        done
        i=$((i + 1))
    done
    wait
    for ((n = 0; n < i; n++)); do
        from=${froms[n]} to=${tos[n]} port=${ports[n]}
        if [ -z "${addrs[n]}" ]; then
            step "     $from -/-> $to:$port: cannot check, $to has no address"
            ok=1
            continue
        fi
        bad=
        j=0
        for ip in $to ${addrs[n]}; do
            [ "$(cat "$WORK/iso.$n.$j")" = failed ] || bad="$bad $ip:$(cat "$WORK/iso.$n.$j")"
            j=$((j + 1))
        done
        if [ -z "$bad" ]; then
            step "     $from -/-> $to:$port: isolated (name and ${addrs[n]})"
        else
            step "     $from -/-> $to:$port: NOT isolated:$bad"
            ok=1
        fi
    done
    return "$ok"
}

migrate() {
    case $MIGRATE_MODE in
        expected | dir)
            local src
            if [ "$MIGRATE_MODE" = expected ]; then
                src=$E2E_DIR/cases/$CASE/expected
            else
                src=$MIGRATE_DIR/$CASE
            fi
            if [ ! -d "$src" ]; then
                step "b  FAIL: no hand-written migration at $src"
                return 1
            fi
            cp -a "$src/." "$WORK/project/"
            step "b  migrated with the hand-written files in $src (NOT unlink)"
            ;;
        unlink)
            printf '\n===== migrate: %s migrate %s\n' "$UNLINK" "${MIGRATE[*]}" >>"$CASE_LOG"
            local rc
            (cd "$WORK/project" && timeout 60 "$UNLINK" migrate "${MIGRATE[@]}") \
                >>"$CASE_LOG" 2>&1
            rc=$?
            if [ "$rc" != 0 ]; then
                step "b  FAIL: unlink migrate ${MIGRATE[*]} exited $rc"
                return 1
            fi
            step "b  unlink migrate ${MIGRATE[*]}: exit 0"
            ;;
    esac
    (cd "$WORK" && diff -ru orig project) >"$WORK/migration.diff"
    printf '\n===== migration diff\n' >>"$CASE_LOG"
    cat "$WORK/migration.diff" >>"$CASE_LOG"
    if [ ! -s "$WORK/migration.diff" ]; then
        step "b  FAIL: the migration changed no file"
        return 1
    fi
    step "   changed: $(grep -c '^[-+][^-+]' "$WORK/migration.diff") line(s) in $(grep -c '^diff ' "$WORK/migration.diff") file(s) (diff in the log)"
}

# up_and_probe LABEL: UP must succeed, then every probe and every link must answer.
up_and_probe() {
    local label=$1
    if ! run_cmd "$label up" "$UP"; then
        step "$label FAIL: '$UP' failed (exit status in the log)"
        return 1
    fi
    step "$label '$UP': ok"
    local ok=0
    check_probes "$E2E_MAX_WAIT" || ok=1
    check_reach || ok=1
    return "$ok"
}

down_ok() {
    local label=$1
    if ! run_cmd "$label down" "$DOWN"; then
        step "$label FAIL: '$DOWN' failed"
        return 1
    fi
    step "$label '$DOWN': ok"
}

run_case() {
    CASE=$1
    CASE_LOG=$LOG_DIR/$CASE.log
    : >"$CASE_LOG"
    local dir=$E2E_DIR/cases/$CASE
    # Defaults, then the case's declarations.
    DESCRIPTION=
    PREFIX=e2e-$CASE
    MIGRATE=()
    UP=
    DOWN=
    PROBES=()
    ORIGINAL=unreachable
    ORIGINAL_WHY=
    REACH=()
    ISOLATE=()
    # shellcheck source=/dev/null
    . "$dir/case.sh"

    echo "case $CASE: $DESCRIPTION"
    local p url
    if [ -z "$UP" ] || [ -z "$DOWN" ] || [ "${#MIGRATE[@]}" = 0 ] || [ "${#PROBES[@]}" = 0 ]; then
        step "FAIL: case.sh must set UP, DOWN, MIGRATE and PROBES"
        return 1
    fi
    for p in "${PROBES[@]}"; do
        read -r url _ <<<"$p"
        case $url in
            http://127.0.0.1:[0-9]*) ;;
            *) step "FAIL: probe $url is not on http://127.0.0.1:PORT"; return 1 ;;
        esac
    done

    WORK=$(mktemp -d "/tmp/unlink-e2e-$CASE.XXXXXX")
    mkdir -p "$WORK/orig"
    (cd "$dir" && tar --exclude=./expected --exclude=./case.sh -cf - .) | (cd "$WORK/orig" && tar -xf -)
    cp -a "$WORK/orig" "$WORK/project"
    networks_now >"$WORK/networks.before"
    # Whatever happens from here on, the case's containers and networks go away.
    trap 'run_cmd "cleanup down" "$DOWN"; force_clean; [ "${E2E_KEEP:-0}" = 1 ] || rm -rf "$WORK"' EXIT
    trap 'exit 130' INT TERM

    local leftovers
    leftovers=$(case_containers)
    if [ -n "$leftovers" ]; then
        step "   removing containers left by an earlier run: ${leftovers//$'\n'/ }"
        force_clean
    fi
    for p in "${PROBES[@]}"; do
        read -r url _ <<<"$p"
        url=${url#http://127.0.0.1:}
        if port_answers "${url%%/*}"; then
            step "FAIL: 127.0.0.1:${url%%/*} is already in use; the case cannot publish there"
            return 1
        fi
    done

    local rc=0 t0=$SECONDS

    # a. The original under icc=false.
    if [ "$ICC" = false ]; then
        local reached=yes why=
        if run_cmd "a up (original)" "$UP"; then
            e2e_wait "$ORIGINAL_WAIT" all_probes_have_marker || reached=no
            local r from host port
            for r in "${REACH[@]}"; do
                read -r from host port <<<"$r"
                why="$why $from->$host:$port=$(in_netns "$from" "$host" "$port")"
            done
        else
            reached=no
            why=" (the original's '$UP' failed)"
        fi
        local want=yes
        [ "$ORIGINAL" = unreachable ] && want=no
        if [ "$reached" = "$want" ]; then
            step "a  original under icc=false: consumer reached target: $reached (expected: $want) ok"
        else
            step "a  FAIL: original under icc=false: consumer reached target: $reached (expected: $want)"
            rc=1
        fi
        [ -n "$ORIGINAL_WHY" ] && step "   why: $ORIGINAL_WHY"
        [ -n "$why" ] && step "   links:$why"
        run_cmd "a down (original)" "$DOWN"
        force_clean
    else
        step "a  skipped: the daemon runs with icc enabled"
    fi

    # b. Migrate.
    if [ -n "$MIGRATE_PROBLEM" ]; then
        step "b  FAIL: $MIGRATE_PROBLEM"
        return 1
    fi
    migrate || return 1

    # c. Up and probe.
    up_and_probe "c " || { step "c  FAIL: the migrated project did not answer as expected"; return 1; }
    # d. Down, up again, probe again.
    down_ok "d " || return 1
    up_and_probe "d " || { step "d  FAIL: the migrated project did not answer after a restart"; return 1; }
    # f. Containers that never linked cannot reach each other (while up).
    if [ "${#ISOLATE[@]}" -gt 0 ]; then
        if check_isolation; then
            step "f  isolation: ok"
        else
            step "f  FAIL: a pair that never linked can connect"
            rc=1
        fi
    else
        step "f  (no isolation checks declared)"
    fi
    # e. Down; nothing of the case is left.
    down_ok "e " || return 1
    local lc ln
    lc=$(case_containers)
    ln=$(new_networks)
    if [ -n "$lc$ln" ]; then
        step "e  FAIL: left behind: containers [${lc//$'\n'/ }] networks [${ln//$'\n'/ }]"
        rc=1
    else
        step "e  nothing left: no ${PREFIX}-* container, no new network"
    fi
    step "   ($((SECONDS - t0)) s)"
    return "$rc"
}

interrupted=
trap 'interrupted=1' INT TERM
for c in "${cases[@]}"; do
    if [ -n "$interrupted" ]; then
        echo "e2e: interrupted; not running $c"
        skipped=$((skipped + 1))
        continue
    fi
    if (run_case "$c"); then
        echo "PASS $c"
        passed=$((passed + 1))
    else
        echo "FAIL $c (log: $LOG_DIR/$c.log); its last lines:"
        tail -n 25 "$LOG_DIR/$c.log" | sed 's/^/    | /'
        failed=$((failed + 1))
    fi
done

finish
