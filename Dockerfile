# syntax=docker/dockerfile:1
# piimask container image: `make image` (docker, podman or buildah).
#
# Three stages. The build stages run scripts/image-build.sh, the same steps
# deploy/image_test.go runs on a host without a container engine:
#   ort    libonnxruntime.so.1 (ORT 1.30.0) from the npm package onnxruntime-node
#   build  the piimask binary (cgo, glibc-dynamic: onnxruntime_go dlopens ORT)
#   final  distroless/cc (glibc, libstdc++, no shell, no package manager),
#          user nonroot (65532); the entrypoint is piimask itself.
# Both build images and the runtime are Debian 12 (glibc 2.36).

FROM docker.io/library/node:22-bookworm-slim AS ort
WORKDIR /src
ENV ROOTFS=/rootfs
COPY scripts/setup-onnxruntime.sh scripts/image-build.sh scripts/
RUN scripts/image-build.sh ort "$ROOTFS"

FROM docker.io/library/golang:1.26-bookworm AS build
WORKDIR /src
ENV ROOTFS=/rootfs
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN VERSION="$VERSION" scripts/image-build.sh bin "$ROOTFS"

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=ort /rootfs/ /
COPY --from=build /rootfs/ /
ENV PIIMASK_ORT_LIB=/usr/local/lib/piimask/libonnxruntime.so.1
USER 65532:65532
WORKDIR /home/nonroot
EXPOSE 8080 9464
ENTRYPOINT ["/usr/local/bin/piimask"]
CMD ["run", "/usr/share/piimask/configs/quickstart.yaml"]
