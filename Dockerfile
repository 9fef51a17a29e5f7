# One multi-stage image definition for every Fairsweep service; docker-compose.yml builds each
# service from it with its own build args. Build from the repository root, e.g.
#   docker build --build-arg WORKSPACE=@fairsweep/subgraph-tenancy --build-arg SERVICE_PORT=4001 \
#     --build-arg MAIN=subgraphs/tenancy/dist/main.js -t fairsweep/tenancy .
# Services: tenancy (4001), experiments (4002), compute (4003), gateway (4000).
# Works with BuildKit and with the legacy builder (no BuildKit-only syntax).

ARG NODE_IMAGE=node:20-bookworm-slim
# npm workspace name, the port the service listens on, and its entry point.
ARG WORKSPACE=@fairsweep/gateway
ARG SERVICE_PORT=4000
ARG MAIN=gateway/dist/main.js

# ---- base: Node plus the npm release the lockfile was made with (npm 11 honours `allowScripts`).
FROM ${NODE_IMAGE} AS base
ARG NPM_VERSION=11.19.1
ENV NPM_CONFIG_AUDIT=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    TURBO_TELEMETRY_DISABLED=1
RUN npm install -g "npm@${NPM_VERSION}" && npm cache clean --force
WORKDIR /app

# ---- manifests: the root package.json, package-lock.json and every workspace's package.json, at
# their paths. Copied out of the full context so that new workspaces need no Dockerfile change;
# the layers below are reused as long as these files are byte-identical.
FROM base AS manifests
COPY . /src
RUN mkdir /manifests \
 && cd /src \
 && find . -maxdepth 3 -path ./node_modules -prune -o \
      \( -name package.json -o -name package-lock.json \) -type f -print \
    | xargs cp --parents -t /manifests

# ---- build: all dependencies (dev included), then compile this service and the workspaces it uses.
FROM base AS build
COPY --from=manifests /manifests/ ./
RUN npm ci
COPY . .
ARG WORKSPACE
RUN npm run build -- --filter="${WORKSPACE}..."
# Collect what the workspaces need at run time (package.json, dist/, other assets) without
# sources, tests and build configuration.
RUN mkdir /out \
 && find . -mindepth 2 -maxdepth 3 -name package.json -not -path './node_modules/*' -printf '%h\n' \
    | xargs tar -cf - --exclude=node_modules --exclude=src --exclude=.turbo \
        --exclude='tsconfig*.json' --exclude=jest.config.js --exclude='*.tsbuildinfo' \
    | tar -xf - -C /out

# ---- prod-deps: production dependencies of this workspace only (plus the workspace links).
FROM base AS prod-deps
COPY --from=manifests /manifests/ ./
ARG WORKSPACE
RUN npm ci --omit=dev --workspace="${WORKSPACE}" && npm cache clean --force

# ---- runtime
FROM ${NODE_IMAGE} AS runtime
ARG SERVICE_PORT
ARG MAIN
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps \
    HOST=0.0.0.0 \
    PORT=${SERVICE_PORT} \
    FAIRSWEEP_MAIN=${MAIN}
WORKDIR /app
COPY --from=prod-deps /app ./
COPY --from=build /out ./
# Writable state lives in volumes only (e.g. the compute service's FAIRSWEEP_WORK_DIR); the
# directory exists here, owned by `node`, so a fresh named volume inherits that owner.
RUN mkdir -p /var/lib/fairsweep/work && chown -R node:node /var/lib/fairsweep
USER node
EXPOSE ${SERVICE_PORT}
# No curl in the slim image: probe /healthz with Node's fetch.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + process.env.PORT + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# exec: node is PID 1's only child under `init: true` and receives SIGTERM directly.
CMD ["sh", "-c", "exec node \"$FAIRSWEEP_MAIN\""]
