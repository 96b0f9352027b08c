# The base images are build arguments. Their defaults are the public images
# a user pulls; CI, which has no registry, passes local stand-ins made by
# scripts/container-images.sh (docs/deploy.md, "Container").
# (Pin by digest where the registry is reachable: docker buildx imagetools
# inspect gcr.io/distroless/static-debian12:nonroot.)
ARG GO_IMAGE=golang:1.26.8-bookworm
ARG RUNTIME_IMAGE=gcr.io/distroless/static-debian12:nonroot

# Build stage: a static binary with the articles and assets embedded, and
# the static export of the site it serves from (like `next build`).
FROM ${GO_IMAGE} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# The URL the site is reached at is baked into the export (canonical URLs,
# feeds, sitemaps); SOURCE_DATE_EPOCH, if given, makes the export
# reproducible (docker build --build-arg SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)).
ARG BASE_URL=http://localhost:8080
ARG SOURCE_DATE_EPOCH
# nodynamic: the WebP encoder (github.com/gen2brain/webp) would otherwise
# link the binary dynamically, to load libwebp through purego when there is
# one; the final stage has no C library, so the built-in WebAssembly one is
# used.
RUN CGO_ENABLED=0 go build -trimpath -tags nodynamic -ldflags="-s -w" -o /out/renderwise ./cmd/renderwise \
 && /out/renderwise check \
 && /out/renderwise build --out /out/dist --base-url "$BASE_URL"

# Final stage: no shell, no package manager, a non-root user. The server
# starts from the export (like `next start`): ready at once, ISR pages
# regenerated after their interval, SSR pages rendered per request.
FROM ${RUNTIME_IMAGE}
LABEL org.opencontainers.image.title="Renderwise" \
      org.opencontainers.image.description="A server-rendered course on how the web is built and delivered, served in SSG, ISR and SSR modes" \
      org.opencontainers.image.source="https://github.com/renderwise/renderwise"
ARG BASE_URL=http://localhost:8080
ENV RENDERWISE_BASE_URL=$BASE_URL
COPY --from=build /out/renderwise /renderwise
COPY --from=build /out/dist /dist
# Numeric, so it needs no /etc/passwd: distroless's nonroot (65532) by
# number, and the same user on a runtime image without one (scratch).
USER 65532:65532
EXPOSE 8080
# The image has no shell or curl: the binary checks itself, on the port of
# RENDERWISE_ADDR (default :8080) like serve. Move the port with
# RENDERWISE_ADDR, not with --addr in the command, so both follow. The
# server writes no files, so it runs with a read-only root filesystem
# (docker run --read-only).
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s CMD ["/renderwise", "healthcheck"]
ENTRYPOINT ["/renderwise"]
CMD ["serve", "--prebuilt", "/dist"]
