# shellcheck shell=bash disable=SC2034
# Helpers shared by setup.sh and run.sh. Sourced, never executed.

# The longest any single wait may last, in seconds (the bound).
E2E_MAX_WAIT=30

# e2e_wait SECONDS COMMAND...: run COMMAND every half second until it succeeds or
# SECONDS (at most E2E_MAX_WAIT) have passed. Returns COMMAND's last status.
e2e_wait() {
    local limit=$1
    shift
    if [ "$limit" -gt "$E2E_MAX_WAIT" ]; then limit=$E2E_MAX_WAIT; fi
    local deadline=$((SECONDS + limit))
    while :; do
        "$@" && return 0
        if [ "$SECONDS" -ge "$deadline" ]; then
            "$@"
            return
        fi
        sleep 0.5
    done
}

# docker_answers: the daemon answers within 10 s.
docker_answers() {
    timeout 10 docker info >/dev/null 2>&1
}

# docker_icc: prints "false" when the default bridge blocks inter-container traffic,
# "true" otherwise (an unset option means Docker's default, true).
docker_icc() {
    local v
    v=$(timeout 10 docker network inspect bridge \
        -f '{{index .Options "com.docker.network.bridge.enable_icc"}}' 2>/dev/null)
    if [ "$v" = "false" ]; then echo false; else echo true; fi
}

# The images every case builds on; the names case Dockerfiles use in FROM.
E2E_BUSYBOX_IMAGE=unlink-e2e/busybox:latest
E2E_NGINX_IMAGE=unlink-e2e/nginx:latest
