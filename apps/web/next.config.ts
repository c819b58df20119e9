import path from 'node:path';
import type { NextConfig } from 'next';
import { FIXED_SECURITY_HEADERS } from './src/security/headers';

const fixedHeaders = Object.entries(FIXED_SECURITY_HEADERS).map(([key, value]) => ({ key, value }));

const config: NextConfig = {
  // Workspace packages ship TypeScript sources (no build step), so Next compiles them.
  transpilePackages: ['@bonescan/clinical', '@bonescan/config'],
  // npm workspaces hoist dependencies to the repository root.
  turbopack: { root: path.join(__dirname, '../..') },
  outputFileTracingRoot: path.join(__dirname, '../..'),
  // `npm run typecheck` checks the portal against schema.graphql; the build need not repeat it.
  typescript: { ignoreBuildErrors: true },
  // The live-update relay's WebSocket client runs as plain Node modules (ws has optional native add-ons).
  serverExternalPackages: ['ws', 'graphql-ws'],
  poweredByHeader: false,
  // The proxy (src/proxy.ts) secures every other response; the build's static files skip it.
  headers: async () => [
    { source: '/_next/static/:path*', headers: fixedHeaders },
    { source: '/favicon.ico', headers: fixedHeaders },
  ],
};

export default config;
