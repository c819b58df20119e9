# One image for every service of the platform; docker-compose.yml picks the command.
FROM node:20-bookworm-slim AS base
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
COPY apps/web/package.json apps/web/
COPY services/api/package.json services/api/
COPY services/inference/package.json services/inference/
COPY packages packages
COPY test/package.json test/
COPY bench/package.json bench/
RUN npm ci --no-audit --no-fund --include=dev
COPY . .
RUN npm run build:web

# The GPU worker adds the native TensorFlow backend (downloads libtensorflow with CUDA at build time).
FROM base AS inference-gpu
RUN npm install --no-save --allow-scripts=@tensorflow/tfjs-node-gpu @tensorflow/tfjs-node-gpu@4.22.0
