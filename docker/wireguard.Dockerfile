# kz-residency tunnel gateway, profile wireguard: wg-quick with userspace wireguard-go (used when
# the node has no WireGuard module), and socat as the TCP forwarder.
# Build from the repository root:
#   docker build -f docker/wireguard.Dockerfile -t <registry>/kz-residency/tunnel-gateway-wireguard:0.1.0 docker/
# The base is pinned by digest: debian:bookworm-slim as a public build log resolved it (Sept 2026).
# Re-pin with `docker buildx imagetools inspect debian:bookworm-slim` when you rebuild for updates.
# Packages tested (Debian 12): wireguard-go 0.0.20220316-1+b4, wireguard-tools 1.0.20210914-1+b1,
# socat 1.7.4.4-2, iproute2 6.1.0.
FROM debian:bookworm-slim@sha256:3783cc01769c7b2b1b83a5c5ad96c815348e28ed7da68e2e3687004faa906251

RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      wireguard-go wireguard-tools iproute2 socat \
 && rm -rf /var/lib/apt/lists/*

COPY kz-tunnel-gateway /usr/local/bin/kz-tunnel-gateway

# UID 0 inside the container, with every capability dropped but NET_ADMIN and no privilege
# escalation (the pod spec EncryptedTunnel renders): wg-quick refuses any other user, and iproute2
# drops NET_ADMIN for a non-root user. /var/run/wireguard is an emptyDir (read-only root file system).
ENV WG_QUICK_USERSPACE_IMPLEMENTATION=wireguard-go
ENTRYPOINT ["/usr/local/bin/kz-tunnel-gateway"]
CMD ["wireguard", "/etc/kz-tunnel/config/wg-kz.conf", "/etc/kz-tunnel/config/forward.conf"]
