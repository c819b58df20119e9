import { BlobNotFoundError, BlobStore } from '@bonescan/blobstore';
import { blobDir, type Config } from '@bonescan/config';
import { Prediction, ScanView } from '@bonescan/db';
import { MODEL_INPUT } from '@bonescan/clinical';
import type { Logger } from '@bonescan/logger';
import express from 'express';
import { GraphQLError } from 'graphql';
import type { DataSource } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { authenticate } from '../auth/authenticate';
import { requirePermission } from '../auth/viewer';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const STATUS_OF_CODE: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, BAD_USER_INPUT: 400 };

class RouteError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/**
 * Raw pixels for the portal's canvas, which GraphQL would carry only as bloated base64:
 *   GET /views/:id/pixels        → a view's Float32 little-endian rows (X-Width, X-Height headers)
 *   GET /predictions/:id/heatmap → the Grad-CAM map as the inference worker stores it (encodeHeatMap):
 *                                   AP map then PA map, each MODEL_INPUT's view size (X-Width × X-Height)
 * Same credentials and permission (scans:read) as the GraphQL worklist; every read is audited.
 */
export function pixelRoutes(options: { config: Config; dataSource: DataSource; logger: Logger }): express.Router {
  const { config, dataSource, logger } = options;
  const blobs = new BlobStore(blobDir(config));
  const router = express.Router();

  const serve = (load: (id: string, audit: AuditLog) => Promise<{ key: string; width: number; height: number }>): express.RequestHandler =>
    async (req, res) => {
      try {
        const viewer = requirePermission(await authenticate(req.headers.authorization, dataSource, config.AUTH_SECRET), 'scans:read');
        const id = String(req.params.id);
        if (!UUID.test(id)) throw new RouteError(400, `${JSON.stringify(id)} is not a valid id`);
        const audit = new AuditLog(viewer);
        const { key, width, height } = await load(id, audit);
        const bytes = await blobs.get(key);
        await audit.flush(dataSource);
        res.set({ 'content-type': 'application/octet-stream', 'x-width': String(width), 'x-height': String(height), 'cache-control': 'private, max-age=3600' });
        res.send(bytes);
      } catch (error) {
        if (statusOf(error) === 500) logger.error({ err: error, path: req.path }, 'pixel route failed');
        res.status(statusOf(error)).json({ error: messageOf(error) });
      }
    };

  router.get(
    '/views/:id/pixels',
    serve(async (id, audit) => {
      const view = await dataSource.getRepository(ScanView).findOne({ where: { id }, relations: { scan: true } });
      if (!view) throw new RouteError(404, `No scan view with id ${id}`);
      audit.record({ action: 'view.pixels.read', entityType: 'scan_view', entityId: view.id, patientId: view.scan.patientId });
      return { key: view.pixelBlobKey, width: view.width, height: view.height };
    }),
  );

  router.get(
    '/predictions/:id/heatmap',
    serve(async (id, audit) => {
      const prediction = await dataSource.getRepository(Prediction).findOne({ where: { id }, relations: { scan: true } });
      if (!prediction) throw new RouteError(404, `No prediction with id ${id}`);
      if (!prediction.heatmapBlobKey) throw new RouteError(404, `Prediction ${id} has no heat map`);
      audit.record({ action: 'prediction.heatmap.read', entityType: 'prediction', entityId: prediction.id, patientId: prediction.scan.patientId });
      return { key: prediction.heatmapBlobKey, width: MODEL_INPUT.viewWidth, height: MODEL_INPUT.viewHeight };
    }),
  );

  return router;
}

function statusOf(error: unknown): number {
  if (error instanceof RouteError) return error.status;
  if (error instanceof BlobNotFoundError) return 404;
  if (error instanceof GraphQLError) return STATUS_OF_CODE[String(error.extensions.code)] ?? 500;
  return 500;
}

function messageOf(error: unknown): string {
  if (statusOf(error) === 500) return 'Internal server error: the pixels could not be read';
  if (error instanceof BlobNotFoundError) return 'The pixels of this image are missing from the blob store';
  return (error as Error).message;
}
