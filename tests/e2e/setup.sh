#!/usr/bin/env bash
# Prepares this machine for the end-to-end suite without any container registry.
# Idempotent: installs only missing Debian packages, starts a daemon only when none
# answers, builds the base images only when they are missing.
#
# Exit status: 0 = docker is usable (the last line says whether icc is off);
#              3 = docker cannot be used here (the reason is printed; run.sh skips);
#              1 = something else failed (an image could not be built).
#
# Environment:
#   E2E_DOCKERD_LOG   where a daemon started here logs (default /tmp/unlink-e2e-dockerd.log)
#   E2E_NO_INSTALL=1  never call apt-get
#   E2E_REBUILD=1     rebuild the base images even when they exist
set -u

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/common.sh
. "$E2E_DIR/lib/common.sh"

say() { printf 'setup: %s\n' "$*"; }

DOCKERD_LOG=${E2E_DOCKERD_LOG:-/tmp/unlink-e2e-dockerd.log}
: "${DOCKER_BUILDKIT:=0}"
export DOCKER_BUILDKIT

# ---------------------------------------------------------------- packages
image_exists() { timeout 20 docker image inspect "$1" >/dev/null 2>&1; }

busybox_is_static() {
    [ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1
}

want=()
# docker.io: only when neither a client nor a daemon binary is here. A daemon that
# already answers (docker-ce, a remote DOCKER_HOST) makes the package unnecessary.
if ! command -v docker >/dev/null 2>&1; then
    want+=(docker.io)
elif ! docker_answers && ! command -v dockerd >/dev/null 2>&1; then
    want+=(docker.io)
fi
if ! busybox_is_static; then want+=(busybox-static); fi
if ! command -v docker-compose >/dev/null 2>&1; then want+=(docker-compose); fi
# nginx-light is the source of the nginx image; it is needed only to (re)build it.
if [ ! -x /usr/sbin/nginx ]; then
    if [ "${E2E_REBUILD:-0}" = 1 ] || ! command -v docker >/dev/null 2>&1 ||
        ! docker_answers || ! image_exists "$E2E_NGINX_IMAGE"; then
        want+=(nginx-light)
    fi
fi
if ! command -v make >/dev/null 2>&1; then want+=(make); fi

if [ "${#want[@]}" -gt 0 ]; then
    if [ "${E2E_NO_INSTALL:-0}" = 1 ]; then
        say "missing packages: ${want[*]} (E2E_NO_INSTALL=1: not installing)"
    elif [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        say "missing packages: ${want[*]} (not root or no apt-get: cannot install)"
    else
        say "installing: ${want[*]}"
        export DEBIAN_FRONTEND=noninteractive
        # Packages' maintainer scripts must not start services (no init here anyway).
        if timeout 300 apt-get update -qq >/tmp/unlink-e2e-apt.log 2>&1 &&
            timeout 600 apt-get install -y -qq --no-install-recommends "${want[@]}" \
                >>/tmp/unlink-e2e-apt.log 2>&1; then
            say "installed: ${want[*]}"
        else
            say "apt-get failed (log: /tmp/unlink-e2e-apt.log):"
            tail -n 5 /tmp/unlink-e2e-apt.log | sed 's/^/setup:   /'
        fi
    fi
fi

if ! command -v docker >/dev/null 2>&1; then
    say "no docker client on this machine"
    exit 3
fi

# ---------------------------------------------------------------- daemon
if docker_answers; then
    say "a docker daemon already answers ($(docker version -f '{{.Server.Version}}' 2>/dev/null))"
else
    if ! command -v dockerd >/dev/null 2>&1; then
        say "no daemon answers and there is no dockerd to start"
        exit 3
    fi
    if [ "$(id -u)" != 0 ]; then
        say "no daemon answers and only root can start dockerd here"
        exit 3
    fi
    # A pid file left by a daemon that died stops a new one from starting.
    for pidfile in /var/run/docker.pid /run/docker.pid; do
        if [ -f "$pidfile" ] && ! kill -0 "$(cat "$pidfile" 2>/dev/null)" 2>/dev/null; then
            rm -f "$pidfile"
        fi
    done
    say "starting dockerd --icc=false (log: $DOCKERD_LOG)"
    # setsid: the daemon outlives this script and is not in its process group.
    setsid nohup dockerd --icc=false >"$DOCKERD_LOG" 2>&1 </dev/null &
    if e2e_wait 30 docker_answers; then
        say "dockerd answers ($(docker version -f '{{.Server.Version}}' 2>/dev/null))"
    else
        say "dockerd did not answer within 30 s; last lines of its log:"
        tail -n 15 "$DOCKERD_LOG" 2>/dev/null | sed 's/^/setup:   /'
        exit 3
    fi
fi

# ---------------------------------------------------------------- images
ctx_root=$(mktemp -d /tmp/unlink-e2e-images.XXXXXX)
trap 'rm -rf "$ctx_root"' EXIT

# Files every image gets: users (root, nobody, the nginx worker user) and a resolver
# order that reads /etc/hosts (legacy links) before DNS (user-defined networks).
common_etc() {
    local root=$1
    mkdir -p "$root/etc" "$root/tmp" "$root/bin"
    chmod 1777 "$root/tmp"
    cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
www-data:x:33:33:www-data:/var/www:/bin/false
nginx:x:101:101:nginx:/nonexistent:/bin/false
EOF
    cat >"$root/etc/group" <<'EOF'
root:x:0:
www-data:x:33:
nginx:x:101:
nogroup:x:65534:
EOF
    printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
    cp /bin/busybox "$root/bin/busybox"
}

build_image() {
    local name=$1 ctx=$2
    say "building $name"
    if ! timeout 300 docker build -q -t "$name" "$ctx" >"$ctx_root/build.log" 2>&1; then
        say "building $name failed:"
        tail -n 15 "$ctx_root/build.log" | sed 's/^/setup:   /'
        return 1
    fi
}

status=0
if [ "${E2E_REBUILD:-0}" != 1 ] && image_exists "$E2E_BUSYBOX_IMAGE"; then
    say "reusing $E2E_BUSYBOX_IMAGE"
elif ! busybox_is_static; then
    say "cannot build $E2E_BUSYBOX_IMAGE: /bin/busybox is missing or not static"
    status=1
else
    ctx=$ctx_root/busybox
    mkdir -p "$ctx/rootfs"
    cp "$E2E_DIR/images/busybox/Dockerfile" "$ctx/"
    common_etc "$ctx/rootfs"
    build_image "$E2E_BUSYBOX_IMAGE" "$ctx" || status=1
fi

if [ "${E2E_REBUILD:-0}" != 1 ] && image_exists "$E2E_NGINX_IMAGE"; then
    say "reusing $E2E_NGINX_IMAGE"
elif [ ! -x /usr/sbin/nginx ] || ! busybox_is_static; then
    say "cannot build $E2E_NGINX_IMAGE: /usr/sbin/nginx or a static /bin/busybox is missing"
    status=1
else
    ctx=$ctx_root/nginx
    r=$ctx/rootfs
    mkdir -p "$r/usr/sbin" "$r/etc/nginx" "$r/var/log/nginx" "$r/run" \
        "$r/var/lib/nginx/body" "$r/var/lib/nginx/proxy" "$r/var/lib/nginx/fastcgi" \
        "$r/var/lib/nginx/uwsgi" "$r/var/lib/nginx/scgi"
    cp "$E2E_DIR/images/nginx/Dockerfile" "$ctx/"
    common_etc "$r"
    cp /usr/sbin/nginx "$r/usr/sbin/nginx"
    # Every library ldd names, at the same path (the loader included), dereferenced.
    for lib in $(ldd /usr/sbin/nginx | grep -o '/[^ ]*'); do
        cp -L --parents "$lib" "$r/"
    done
    cp /etc/nginx/mime.types "$r/etc/nginx/mime.types"
    cp "$E2E_DIR/images/nginx/nginx.conf" "$r/etc/nginx/nginx.conf"
    build_image "$E2E_NGINX_IMAGE" "$ctx" || status=1
fi

if [ "$status" = 0 ]; then
    say "ready: daemon $(docker version -f '{{.Server.Version}}' 2>/dev/null), icc=$(docker_icc)"
fi
exit "$status"
