# The kz-residency command as a container image: the built package on a slim Node.js base, with
# `kz-residency` as the entrypoint. Build it from a clone of this repository:
#
#   docker build -t kz-residency .
#   docker run --rm -v "$PWD:/work" kz-residency check cdktf.out --sites sites.yaml
#   docker run --rm -v "$PWD:/work" kz-residency check plan.json --sites sites.yaml --format sarif --output kz.sarif
#
# The image holds only the command and what it runs (no cdktf, no provider bindings, no TypeScript):
# it checks plans and synth output, it does not synthesize. Files are read from and written to /work.
# test/package/package.test.ts runs the install command of the second stage, as written here, on the
# tarball the first stage makes (the machines this project is built on have no Docker engine).

# Pinned by exact version; pin by digest as well (node:24.20.0-trixie-slim@sha256:…) to make builds
# reproducible byte for byte.
ARG NODE_IMAGE=node:24.20.0-trixie-slim

FROM ${NODE_IMAGE} AS pack
WORKDIR /src
COPY . .
# --ignore-scripts: the dev tools' own install scripts (native builds) are not needed to compile
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && npm run build \
 && npm pack --ignore-scripts --pack-destination /tmp \
 && mv /tmp/kz-residency-*.tgz /tmp/kz-residency.tgz

FROM ${NODE_IMAGE}
COPY --from=pack /tmp/kz-residency.tgz /tmp/kz-residency.tgz
RUN npm install --global --omit=dev --no-audit --no-fund /tmp/kz-residency.tgz \
 && rm /tmp/kz-residency.tgz \
 && npm cache clean --force
USER node
WORKDIR /work
ENTRYPOINT ["kz-residency"]
CMD ["--help"]
