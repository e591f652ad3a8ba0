# The action's image: one static Go binary on an empty base. The release
# workflow (.github/workflows/release.yml) builds it for linux/amd64 and
# linux/arm64 and publishes it to ghcr.io; docs/packaging.md explains the flow.
# internal/packaging checks this file's rules without Docker.

# The builder runs on the build machine's own platform and cross-compiles, so a
# multi-platform build never runs the Go toolchain under emulation. BuildKit
# sets BUILDPLATFORM (os/arch of the build machine); Docker's legacy builder,
# which act and older self-hosted runners use, sets nothing, and an empty
# --platform fails there. The default "linux" means linux on the daemon's own
# architecture, which is the build platform under either builder.
ARG BUILDPLATFORM=linux

# golang:1.26.9-bookworm, pinned by its multi-platform index digest; Dependabot
# (.github/dependabot.yml) proposes new digests. The image sets
# GOTOOLCHAIN=local, so a go.mod that needs a newer Go fails here instead of
# downloading a toolchain.
FROM --platform=$BUILDPLATFORM golang:1.26.9-bookworm@sha256:d9c68c2c51161e12fd77e4c6320687c9cd86e1af1e3ad6e6cd63ff970641453c AS build

WORKDIR /src

# Modules first, so this layer stays cached until go.mod or go.sum change. No
# BuildKit cache mounts (RUN --mount): the legacy builder rejects them, and
# this layer does their work for the modules.
COPY go.mod go.sum ./
RUN go mod download

COPY . .

# BuildKit sets these from --platform; under the legacy builder they stay
# empty, and an empty GOOS or GOARCH means the Go toolchain's own platform.
ARG TARGETOS
ARG TARGETARCH
ARG VERSION=dev
# CGO_ENABLED=0: the final image has no libc, so the binary must not need one.
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags "-s -w -X github.com/releasekit/release-action/internal/app.Version=${VERSION}" -o /release-action .

# The program writes generated files (the checksum list) under os.TempDir().
# An empty base has no /tmp and the runner mounts none there, so ship one.
RUN mkdir -m 1777 /empty-tmp

# No USER: a container action runs as root, and must, to write to the workspace
# the runner mounts. No WORKDIR: the runner sets the working directory to
# /github/workspace itself.
FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /empty-tmp /tmp
COPY --from=build /release-action /release-action
ENTRYPOINT ["/release-action"]
