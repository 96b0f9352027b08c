# Build stage: a static binary with the articles and assets embedded.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/renderwise ./cmd/renderwise \
 && /out/renderwise check

# Final stage: no shell, no package manager, a non-root user.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/renderwise /renderwise
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/renderwise"]
CMD ["serve", "--addr", ":8080"]
