# syntax=docker/dockerfile:1
# Multi-stage build: cgo (go-sqlite3) needs gcc in the build stage and glibc at run time.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -trimpath -ldflags="-s -w" -o /out/segmap ./cmd/segmap
# Build the embedded demo store once, so the container starts serving at once.
RUN /out/segmap demo /out/demo.gpkg

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data --create-home segmap
COPY --from=build /out/segmap /usr/local/bin/segmap
COPY --from=build --chown=segmap:segmap /out/demo.gpkg /data/demo.gpkg
USER segmap
WORKDIR /data
ENV SEGMAP_ADDR=:8080 \
    SEGMAP_STORE=/data/demo.gpkg \
    XDG_CACHE_HOME=/data/.cache
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD ["/usr/local/bin/segmap", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/segmap"]
CMD ["serve"]
