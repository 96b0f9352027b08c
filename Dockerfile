# Build stage: a static binary with the articles and assets embedded, and
# the static export of the site it serves from (like `next build`).
FROM golang:1.26.8-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# The URL the site is reached at is baked into the export (canonical URLs,
# feeds, sitemaps); SOURCE_DATE_EPOCH, if given, makes the export
# reproducible (docker build --build-arg SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)).
ARG BASE_URL=http://localhost:8080
ARG SOURCE_DATE_EPOCH
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/renderwise ./cmd/renderwise \
 && /out/renderwise check \
 && /out/renderwise build --out /out/dist --base-url "$BASE_URL"

# Final stage: no shell, no package manager, a non-root user. The server
# starts from the export (like `next start`): ready at once, ISR pages
# regenerated after their interval, SSR pages rendered per request.
# (Pin by digest where the registry is reachable: docker buildx imagetools
# inspect gcr.io/distroless/static-debian12:nonroot.)
FROM gcr.io/distroless/static-debian12:nonroot
LABEL org.opencontainers.image.title="Renderwise" \
      org.opencontainers.image.description="A server-rendered course on how the web is built and delivered, served in SSG, ISR and SSR modes" \
      org.opencontainers.image.source="https://github.com/renderwise/renderwise"
ARG BASE_URL=http://localhost:8080
ENV RENDERWISE_BASE_URL=$BASE_URL
COPY --from=build /out/renderwise /renderwise
COPY --from=build /out/dist /dist
USER nonroot:nonroot
EXPOSE 8080
# The image has no shell or curl: the binary checks itself. It writes no
# files, so it runs with a read-only root filesystem (docker run --read-only).
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s CMD ["/renderwise", "healthcheck", "--url", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["/renderwise"]
CMD ["serve", "--addr", ":8080", "--prebuilt", "/dist"]
