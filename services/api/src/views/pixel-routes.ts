import { BlobNotFoundError, BlobStore, decodeHeatMaps, encodePixels, HEAT_MAP, HeatMapFormatError } from '@bonescan/blobstore';
import { blobDir, sessionSecret, type Config } from '@bonescan/config';
import { Prediction, ScanView } from '@bonescan/db';
import { VIEWS, type View } from '@bonescan/clinical';
import type { Logger } from '@bonescan/logger';
import express from 'express';
import { GraphQLError } from 'graphql';
import type { DataSource } from 'typeorm';
import { AuditLog, callerOf } from '../audit/audit-log';
import { authenticate } from '../auth/authenticate';
import { requirePermission, type Permission } from '../auth/viewer';
import { findStudyCasePrediction, findStudyCaseView, parseStudyCasePredictionId, parseStudyCaseViewId } from '../reader-studies/study-case-views';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const STATUS_OF_CODE: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, BAD_USER_INPUT: 400 };

class RouteError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Raw pixels for the portal's canvas, which GraphQL would carry only as bloated base64:
 *   GET /views/:id/pixels              → a view's Float32 little-endian rows (X-Width, X-Height headers)
 *   GET /predictions/:id/heatmap/:view → one view's Grad-CAM map (AP or PA), in the same Float32 rows, sized
 *                                        in the model's input space (HEAT_MAP: X-Width × X-Height), not the view's
 *   GET /reader-study-case-views/:id/pixels → a study case's view, by the case-scoped id readerStudyQueue gives
 *   GET /reader-study-case-heatmaps/:id/:view → the heat map an aided study shows for a case, by its case-scoped id
 * Same credentials and permission as the GraphQL field that names the id (scans:read, or reviews:write for study
 * cases); every read is audited.
 */
export function pixelRoutes(options: { config: Config; dataSource: DataSource; logger: Logger }): express.Router {
  const { config, dataSource, logger } = options;
  const blobs = new BlobStore(blobDir(config));
  const router = express.Router();

  const serve =
    (
      permission: Permission,
      load: (req: express.Request, id: string, audit: AuditLog) => Promise<{ bytes: Uint8Array; width: number; height: number }>,
    ): express.RequestHandler =>
    async (req, res) => {
      try {
        const viewer = requirePermission(await authenticate(req.headers.authorization, dataSource, sessionSecret(config)), permission);
        const id = String(req.params.id);
        const audit = new AuditLog(viewer, callerOf(req));
        // The audit is written only once the bytes are in hand: a read that fails records nothing.
        const { bytes, width, height } = await load(req, id, audit);
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
    serve('scans:read', async (_req, id, audit) => {
      checkUuid(id);
      const view = await dataSource.getRepository(ScanView).findOne({ where: { id }, relations: { scan: true } });
      if (!view) throw new RouteError(404, `No scan view with id ${id}`);
      audit.record({ action: 'view.pixels.read', entityType: 'scan_view', entityId: view.id, patientId: view.scan.patientId });
      return { bytes: await blobs.get(view.pixelBlobKey), width: view.width, height: view.height };
    }),
  );

  router.get(
    '/predictions/:id/heatmap/:view',
    serve('scans:read', async (req, id, audit) => {
      checkUuid(id);
      const view = viewOf(String(req.params.view));
      const prediction = await dataSource.getRepository(Prediction).findOne({ where: { id }, relations: { scan: true } });
      if (!prediction) throw new RouteError(404, `No prediction with id ${id}`);
      return heatMap(prediction, view, id, audit);
    }),
  );

  /** One view of a prediction's heat map; the read is audited under the prediction and its patient. */
  async function heatMap(prediction: Prediction, view: View, named: string, audit: AuditLog, details: Record<string, string> = {}) {
    if (!prediction.heatmapBlobKey) throw new RouteError(404, `Prediction ${named} has no heat map`);
    audit.record({
      action: 'prediction.heatmap.read',
      entityType: 'prediction',
      entityId: prediction.id,
      patientId: prediction.scan.patientId,
      details: { view, ...details },
    });
    const maps = decodeHeatMaps(await blobs.get(prediction.heatmapBlobKey));
    return { bytes: encodePixels(maps[view]), width: HEAT_MAP.width, height: HEAT_MAP.height };
  }

  // A reader-study case's image, named through the case so that a blinded reader cannot find the scan behind it.
  router.get(
    '/reader-study-case-views/:id/pixels',
    serve('reviews:write', async (_req, id, audit) => {
      const named = parseStudyCaseViewId(id);
      if (!named) throw new RouteError(400, `${JSON.stringify(id)} is not a study case image id: expected <case id>.AP or <case id>.PA`);
      const view = await findStudyCaseView(dataSource, named.caseId, named.view);
      if (!view) throw new RouteError(404, `No study case image ${id}`);
      audit.record({
        action: 'view.pixels.read',
        entityType: 'scan_view',
        entityId: view.id,
        patientId: view.scan.patientId,
        details: { readerStudyCaseId: named.caseId },
      });
      return { bytes: await blobs.get(view.pixelBlobKey), width: view.width, height: view.height };
    }),
  );

  // The heat map an aided study shows for a case, named through the case for the same reason.
  router.get(
    '/reader-study-case-heatmaps/:id/:view',
    serve('reviews:write', async (req, id, audit) => {
      const caseId = parseStudyCasePredictionId(id);
      if (!caseId) throw new RouteError(400, `${JSON.stringify(id)} is not a study case AI result id: expected <case id>.AI`);
      const view = viewOf(String(req.params.view));
      const prediction = await findStudyCasePrediction(dataSource, caseId);
      if (!prediction) throw new RouteError(404, `No AI result is shown for study case ${caseId}`);
      return heatMap(prediction, view, id, audit, { readerStudyCaseId: caseId });
    }),
  );

  return router;
}

function checkUuid(id: string): void {
  if (!UUID.test(id)) throw new RouteError(400, `${JSON.stringify(id)} is not a valid id`);
}

function viewOf(name: string): View {
  const view = VIEWS.find((known) => known === name);
  if (!view) throw new RouteError(400, `${JSON.stringify(name)} is not a view: ask for ${VIEWS.join(' or ')}`);
  return view;
}

function statusOf(error: unknown): number {
  if (error instanceof RouteError) return error.status;
  if (error instanceof BlobNotFoundError) return 404;
  if (error instanceof GraphQLError) return STATUS_OF_CODE[String(error.extensions.code)] ?? 500;
  return 500;
}

function messageOf(error: unknown): string {
  if (error instanceof HeatMapFormatError) return 'Internal server error: the stored heat map is damaged and cannot be shown';
  if (statusOf(error) === 500) return 'Internal server error: the pixels could not be read';
  if (error instanceof BlobNotFoundError) return 'The pixels of this image are missing from the blob store';
  return (error as Error).message;
}
