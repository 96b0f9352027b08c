#!/usr/bin/env bash
# Local stand-ins for the Dockerfile's two public base images, for a Docker
# engine that cannot reach a registry (CI). Nothing is pulled:
#
#   renderwise-ci/golang:<go version>  for GO_IMAGE (golang:1.26.8-bookworm):
#       a minimal Debian 12 (debootstrap --variant=minbase, from Debian's
#       package mirror) with this machine's Go toolchain at /usr/local/go and
#       the module cache of this project at /go/pkg/mod, GOPROXY=off, so the
#       build stage's `go mod download` and `go build` need no network
#   renderwise-ci/static:nonroot       for RUNTIME_IMAGE (distroless static):
#       what gcr.io/distroless/static-debian12:nonroot holds that the server
#       could use: /etc/passwd and /etc/group with root and nonroot (65532),
#       the CA certificates, /tmp, /home/nonroot; no shell, nothing else
#
# Usage: scripts/container-images.sh WORKDIR   (docker must reach a daemon:
# DOCKER_HOST; DOCKER names the client, default docker). Prints the two
# image names. WORKDIR holds the root file system while it is made; the
# caller removes it.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:?usage: scripts/container-images.sh WORKDIR}
docker=${DOCKER:-docker}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

goroot=$(go env GOROOT)
gover=$(go env GOVERSION)   # go1.26.8
go_image="renderwise-ci/golang:${gover#go}"
runtime_image="renderwise-ci/static:nonroot"

# The build stage: Debian minbase + Go + modules.
rootfs="$work/rootfs"
mkdir -p "$rootfs"
debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -20 "$work/debootstrap.log"; echo "debootstrap failed (log above)"; exit 1; }
rm -rf "$rootfs/var/cache/apt/archives/"*.deb "$rootfs/var/lib/apt/lists/"*
cp -a "$goroot" "$rootfs/usr/local/go"
# The modules go.sum lists, read from this machine's module cache where it
# has them (earlier CI steps filled it) and from its GOPROXY otherwise.
mkdir -p "$rootfs/go/pkg/mod"
GOMODCACHE="$rootfs/go/pkg/mod" GOFLAGS=-modcacherw \
  GOPROXY="file://$(go env GOMODCACHE)/cache/download,$(go env GOPROXY)" \
  go mod download
# The same environment as the golang image (PATH, GOPATH, GOTOOLCHAIN),
# plus GOPROXY=off: the build must not need the network.
tar -C "$rootfs" --numeric-owner -c . | "$docker" import \
  --change 'ENV PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV GOPATH=/go' \
  --change 'ENV GOTOOLCHAIN=local' \
  --change 'ENV GOPROXY=off' \
  --change 'WORKDIR /go' \
  --change 'CMD ["bash"]' \
  - "$go_image" >/dev/null
rm -rf "$rootfs"

# The runtime stage: a few files, as in distroless static.
rt="$work/runtime"
mkdir -p "$rt/etc/ssl/certs" "$rt/tmp" "$rt/home/nonroot"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$rt/etc/passwd"
printf 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n' >"$rt/etc/group"
cp /etc/ssl/certs/ca-certificates.crt "$rt/etc/ssl/certs/"
chmod 1777 "$rt/tmp"
chmod 700 "$rt/home/nonroot"
chown 65532:65532 "$rt/home/nonroot"   # as in distroless (we run as root)
tar -C "$rt" --numeric-owner -c . | "$docker" import \
  --change 'USER 65532:65532' \
  --change 'WORKDIR /home/nonroot' \
  - "$runtime_image" >/dev/null
rm -rf "$rt"

echo "$go_image"
echo "$runtime_image"
