#!/usr/bin/env bash
# image-build.sh STEP ROOTFS — the build steps of the container image. The
# Dockerfile's build stages run exactly this script, and deploy/image_test.go
# runs the Dockerfile's RUN lines (so this script) on the host, so the image
# and the test cannot drift apart. Run from the repository root.
#
#   ort ROOTFS  libonnxruntime.so.1 from the npm package onnxruntime-node
#               (scripts/setup-onnxruntime.sh) into ROOTFS/usr/local/lib/piimask/
#   bin ROOTFS  piimask into ROOTFS/usr/local/bin/piimask, and the shipped
#               configs into ROOTFS/usr/share/piimask/configs/
#
# The binary is built with cgo: onnxruntime_go loads libonnxruntime with
# dlopen, which a fully static (CGO_ENABLED=0 or -static) binary cannot do
# reliably. It links only glibc (libc, libdl, libpthread, libm), which the
# distroless/cc runtime image (Debian 12, glibc 2.36 like the golang:bookworm
# build image) provides along with libonnxruntime's libstdc++ and libgcc_s.
#
# Environment: VERSION (default: git describe, else dev).
set -euo pipefail
step="${1:?usage: image-build.sh ort|bin ROOTFS}"
rootfs="${2:?usage: image-build.sh ort|bin ROOTFS}"
case "$step" in
ort)
	lib="$(scripts/setup-onnxruntime.sh)"
	install -D -m 0644 "$lib" "$rootfs/usr/local/lib/piimask/libonnxruntime.so.1"
	;;
bin)
	version="${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}"
	CGO_ENABLED=1 go build -ldflags "-s -w -X main.version=$version" -o "$rootfs/usr/local/bin/piimask" ./cmd/piimask
	mkdir -p "$rootfs/usr/share/piimask"
	cp -r configs "$rootfs/usr/share/piimask/configs"
	;;
*)
	echo "image-build.sh: unknown step $step (ort or bin)" >&2
	exit 2
	;;
esac
