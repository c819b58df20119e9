# One image for every service of the platform; docker-compose.yml picks the command.
FROM node:20-bookworm-slim AS base
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1
# The lock and package.json's allowScripts are written for npm 11, which runs a dependency's install scripts only
# when allowScripts lets it; the npm that comes with Node 20 would run them all.
RUN npm install -g npm@11 --no-audit --no-fund
COPY package.json package-lock.json ./
COPY apps/web/package.json apps/web/
COPY services/api/package.json services/api/
COPY services/inference/package.json services/inference/
COPY packages packages
COPY test/package.json test/
COPY bench/package.json bench/
RUN npm ci --no-audit --no-fund --include=dev
# .dockerignore keeps node_modules, .next, .git and any .data (patient data) out of this copy.
COPY . .
RUN npm run build:web
# The services run as an ordinary user: the blob volume takes /data's owner when compose first creates it, and the
# portal writes its cache under .next.
RUN mkdir -p /data/blobs && chown -R node:node /data /app/apps/web/.next
USER node

# The GPU worker adds the native TensorFlow backend, whose install script downloads libtensorflow with CUDA: npm 11
# runs it only once package.json's allowScripts names the package.
FROM base AS inference-gpu
USER root
RUN npm pkg set 'allowScripts.@tensorflow/tfjs-node-gpu=true' --json \
 && npm install --no-save --no-audit --no-fund @tensorflow/tfjs-node-gpu@4.22.0
USER node
