/**
 * The worker's own small HTTP server: liveness (/healthz: the process answers), readiness (/readyz: the database
 * answers, the queue is there and the model is loaded and warmed up) and Prometheus metrics.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readiness } from '@bonescan/db';
import type { Registry } from 'prom-client';

export interface WorkerHttp {
  port: number;
  close(): Promise<void>;
}

export async function startWorkerHttp(options: { host: string; port: number; registry: Registry; readiness: () => Promise<Readiness> }): Promise<WorkerHttp> {
  const server = http.createServer((req, res) => {
    const send = (status: number, body: string, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    const route = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') return send(405, JSON.stringify({ error: 'GET only' }));
    if (route === '/healthz') return send(200, JSON.stringify({ status: 'ok' }));
    if (route === '/readyz') {
      options.readiness().then(
        (readiness) => send(readiness.ready ? 200 : 503, JSON.stringify({ status: readiness.ready ? 'ready' : 'not ready', checks: readiness.checks })),
        (error: Error) => send(503, JSON.stringify({ status: 'not ready', error: error.message })),
      );
      return;
    }
    if (route === '/metrics') {
      options.registry.metrics().then(
        (text) => send(200, text, options.registry.contentType),
        (error: Error) => send(500, JSON.stringify({ error: error.message })),
      );
      return;
    }
    send(404, JSON.stringify({ error: `no route ${route}; try /healthz, /readyz or /metrics` }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
