# kz-residency tunnel gateway, profile gost-tls: stunnel4 with the OpenSSL GOST engine.
# Build from the repository root:
#   docker build -f docker/gost-tls.Dockerfile -t <registry>/kz-residency/tunnel-gateway-gost-tls:0.1.0 docker/
# The base is pinned by digest: debian:bookworm-slim as a public build log resolved it (Sept 2026).
# Re-pin with `docker buildx imagetools inspect debian:bookworm-slim` when you rebuild for updates.
# Packages tested (Debian 12): stunnel4 3:5.68-2+deb12u1, libengine-gost-openssl 3.0.1-2+b1.
FROM debian:bookworm-slim@sha256:3783cc01769c7b2b1b83a5c5ad96c815348e28ed7da68e2e3687004faa906251

RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      stunnel4 libengine-gost-openssl openssl iproute2 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && openssl engine gost >/dev/null \
 && groupadd --system --gid 10001 kzgw \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin kzgw

COPY kz-tunnel-gateway /usr/local/bin/kz-tunnel-gateway

# Non-root: the pod runs it as 10001 with fsGroup 10001 and mounts its Secret 0440, so the key
# is readable by the group and by no one else. stunnel binds only unprivileged ports.
USER 10001:10001
ENTRYPOINT ["/usr/local/bin/kz-tunnel-gateway"]
CMD ["gost-tls", "/etc/kz-tunnel/config/stunnel.conf"]
