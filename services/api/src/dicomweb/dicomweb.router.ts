import { sessionSecret, type Config } from '@bonescan/config';
import { isDicomError, type DicomErrorCode } from '@bonescan/dicom';
import type { Logger } from '@bonescan/logger';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { DataSource } from 'typeorm';
import { AuditLog, callerOf } from '../audit/audit-log';
import { authenticate } from '../auth/authenticate';
import { can, type Permission, type Viewer } from '../auth/viewer';
import type { IngestService, StoredInstance } from '../ingest/ingest.service';
import { FrameNotFoundError, instanceFrames, instanceMetadata } from './instance-content';
import { joinMultipart, MultipartError, parseContentType, splitMultipart } from './multipart';
import { DateRangeError, findInstances, instanceJson, searchStudies, seriesJson, type DicomJson, type StoredInstanceRow } from './stored-studies';

const DICOM_JSON = 'application/dicom+json';

/** Failure Reason (0008,1197) values of PS3.18 Table I.2-1 / PS3.4 C-STORE statuses. */
const FAILURE = { sopClassNotSupported: 0x0122, cannotUnderstand: 0xc000, processingFailure: 0x0110 } as const;
/** A WADO-RS frame list longer than this is refused: a bone-scan object holds one or two frames. */
const MAX_FRAME_NUMBERS = 64;
/** Seconds a STOW-RS client turned away for lack of room is asked to wait. */
const STOW_RETRY_AFTER_SECONDS = 5;
const failureReasonOf = (code: DicomErrorCode) => (code === 'UNSUPPORTED_MODALITY' ? FAILURE.sopClassNotSupported : FAILURE.cannotUnderstand);

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Locals {
  viewer: Viewer;
}

/**
 * DICOMweb for integrators and viewers: STOW-RS into the same ingest as C-STORE, QIDO-RS search and WADO-RS
 * retrieval of stored studies. Authenticated like GraphQL (Bearer API token or portal session); storing needs
 * scans:write, reading scans:read. Errors are JSON: { error: { code, message } }.
 */
export function dicomwebRouter(options: { ingest: IngestService; dataSource: DataSource; config: Config; logger: Logger }): express.Router {
  const { ingest, dataSource, config, logger } = options;
  const router = express.Router();
  // Retrieve URLs name the configured public address: a Host header is the caller's to choose.
  const publicUrl = `${(config.PUBLIC_API_URL ?? config.API_URL).replace(/\/+$/, '')}/dicomweb`;
  const permit = (permission: Permission) => async (req: Request, res: Response, next: NextFunction) => {
    const viewer = await authenticate(req.headers.authorization, dataSource, sessionSecret(config)).catch((error: Error) => {
      throw new HttpError(401, 'UNAUTHENTICATED', error.message);
    });
    if (!viewer) throw new HttpError(401, 'UNAUTHENTICATED', 'Send an API token as "Authorization: Bearer <token>"');
    if (!can(viewer, permission))
      throw new HttpError(403, 'FORBIDDEN', `${permission} is not allowed for ${viewer.token ? 'this API token' : `the ${viewer.role} role`}`);
    (res.locals as Locals).viewer = viewer;
    next();
  };

  // PostgreSQL cannot hold a NUL character: a UID or query value with one is the caller's mistake, not a 500.
  router.use((req, _res, next) => {
    if (req.originalUrl.includes('%00'))
      throw new HttpError(400, 'BAD_REQUEST', 'the URL contains a NUL character (%00), which no DICOM UID or query value holds');
    next();
  });

  router.post(
    '/studies',
    permit('scans:write'),
    stowAdmission(config.STOW_CONCURRENT_REQUESTS),
    express.raw({ type: () => true, limit: `${config.STOW_MAX_MEGABYTES}mb` }),
    async (req, res) => {
      const parts = dicomParts(req);
      const results = await storeParts(ingest, parts);
      const stored = results.filter((r): r is StoredPart => 'stored' in r);
      logger.info({ parts: parts.length, stored: stored.length, failed: parts.length - stored.length }, 'STOW-RS request handled');
      // PS3.18 10.5.3: 200 all stored, 202 some refused, 409 none stored.
      const status = stored.length === results.length ? 200 : stored.length > 0 ? 202 : 409;
      res
        .status(status)
        .type(DICOM_JSON)
        .send(JSON.stringify(storeResponse(results, publicUrl)));
    },
  );

  router.get('/studies', permit('scans:read'), async (req, res) => {
    const studies = await searchStudies(dataSource, studyQuery(req), publicUrl);
    await audit(
      dataSource,
      res,
      studies.map((s) => ({ scanId: s.scanId, patientRowId: s.patientRowId })),
    );
    res.type(DICOM_JSON).send(JSON.stringify(studies.map((s) => s.json)));
  });

  router.get('/studies/:study/series', permit('scans:read'), async (req, res) => {
    const instances = await findInstances(dataSource, { study: req.params.study as string });
    await audit(dataSource, res, instances);
    res.type(DICOM_JSON).send(JSON.stringify(seriesJson(instances, publicUrl)));
  });

  router.get(['/studies/:study/instances', '/studies/:study/series/:series/instances'], permit('scans:read'), async (req, res) => {
    const instances = await findInstances(dataSource, { study: req.params.study as string, series: req.params.series as string | undefined });
    await audit(dataSource, res, instances);
    res.type(DICOM_JSON).send(JSON.stringify(instances.map((instance) => instanceJson(instance, publicUrl))));
  });

  /** The stored instances a WADO-RS path names, audited; 404 when there are none. */
  const retrieve = async (req: Request, res: Response): Promise<Buffer[]> => {
    const ids = { study: req.params.study as string, series: req.params.series as string | undefined, instance: req.params.instance as string | undefined };
    const instances = await findInstances(dataSource, ids);
    if (instances.length === 0)
      throw new HttpError(
        404,
        'NOT_FOUND',
        `no stored ${ids.instance ? 'instance' : ids.series ? 'series' : 'study'} ${ids.instance ?? ids.series ?? ids.study}`,
      );
    await audit(dataSource, res, instances);
    return Promise.all(instances.map((instance) => ingest.blobs.get(instance.blobKey)));
  };
  const sendParts = (res: Response, parts: Uint8Array[], contentType: string) => {
    const { boundary, body } = joinMultipart(parts, contentType);
    res.type(`multipart/related; type="${contentType.split(';')[0]}"; boundary=${boundary}`).send(body);
  };

  router.get(
    ['/studies/:study', '/studies/:study/series/:series', '/studies/:study/series/:series/instances/:instance'],
    permit('scans:read'),
    async (req, res) => {
      sendParts(res, await retrieve(req, res), 'application/dicom');
    },
  );

  router.get(
    ['/studies/:study/metadata', '/studies/:study/series/:series/metadata', '/studies/:study/series/:series/instances/:instance/metadata'],
    permit('scans:read'),
    async (req, res) => {
      res.type(DICOM_JSON).send(JSON.stringify((await retrieve(req, res)).map(instanceMetadata)));
    },
  );

  router.get('/studies/:study/series/:series/instances/:instance/frames/:frames', permit('scans:read'), async (req, res) => {
    const frameNumbers = frameList(String(req.params.frames));
    const [object] = await retrieve(req, res);
    const { contentType, frames } = instanceFrames(object, frameNumbers);
    sendParts(res, frames, contentType);
  });

  router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const known = clientError(error, config.STOW_MAX_MEGABYTES);
    if (!known) logger.error({ err: error }, 'DICOMweb request failed');
    const answer = known ?? new HttpError(500, 'INTERNAL_SERVER_ERROR', 'the request was not completed; the error has been logged');
    res.status(answer.status).json({ error: { code: answer.code, message: answer.message } });
  });
  return router;
}

/** Errors the caller can fix, as the HTTP answer they get; null for the platform's own failures. */
function clientError(error: unknown, stowMaxMegabytes: number): HttpError | null {
  if (error instanceof HttpError) return error;
  if (error instanceof MultipartError) return new HttpError(error.status, 'BAD_REQUEST', error.message);
  if (error instanceof DateRangeError) return new HttpError(400, 'BAD_REQUEST', error.message);
  if (error instanceof FrameNotFoundError) return new HttpError(404, 'NOT_FOUND', error.message);
  return bodyError(error, stowMaxMegabytes);
}

/** express.raw refusals (too large, aborted) carry their HTTP status. */
function bodyError(error: unknown, stowMaxMegabytes: number): HttpError | null {
  const status = (error as { status?: number; type?: string }).status;
  if (!status || status >= 500) return null;
  return new HttpError(
    status,
    'BAD_REQUEST',
    status === 413 ? `request body is larger than ${stowMaxMegabytes} MB: send fewer instances per request` : (error as Error).message,
  );
}

/** DICOMweb reads of patient data are audited like GraphQL ones, one row per request naming every scan touched. */
async function audit(dataSource: DataSource, res: Response, rows: Array<Pick<StoredInstanceRow, 'scanId' | 'patientRowId'>>): Promise<void> {
  const log = new AuditLog((res.locals as Locals).viewer, callerOf(res.req));
  for (const row of rows) log.record({ action: 'dicomweb.read', entityType: 'scan', entityId: row.scanId, patientId: row.patientRowId });
  await log.flush(dataSource);
}

/**
 * Lets at most `capacity` STOW-RS requests be received at once: each may hold its whole body in memory, so
 * further ones are turned away at once with Retry-After instead of piling up.
 */
function stowAdmission(capacity: number) {
  let receiving = 0;
  return (_req: Request, res: Response, next: NextFunction) => {
    if (receiving >= capacity) {
      res.set('Retry-After', String(STOW_RETRY_AFTER_SECONDS));
      throw new HttpError(503, 'BUSY', `${capacity} STOW-RS requests are being received already: retry in ${STOW_RETRY_AFTER_SECONDS} seconds`);
    }
    receiving += 1;
    res.once('close', () => {
      receiving -= 1;
    });
    next();
  };
}

/** The frame numbers of a WADO-RS frame list, each once, in the order asked. */
function frameList(text: string): number[] {
  const entries = text.split(',');
  if (entries.length > MAX_FRAME_NUMBERS)
    throw new HttpError(400, 'BAD_REQUEST', `a frame list may name at most ${MAX_FRAME_NUMBERS} frames; got ${entries.length}`);
  const wrong = entries.find((entry) => !/^[1-9]\d{0,5}$/.test(entry));
  if (wrong !== undefined)
    throw new HttpError(400, 'BAD_REQUEST', `frame numbers are whole numbers from 1, separated by commas; "${wrong.slice(0, 20)}" is not one`);
  return [...new Set(entries.map(Number))];
}

function dicomParts(req: Request): Buffer[] {
  const { mediaType, parameters } = parseContentType(req.headers['content-type']);
  if (mediaType !== 'multipart/related')
    throw new MultipartError(415, `Content-Type must be multipart/related; type="application/dicom" (got "${mediaType || 'none'}")`);
  if (parameters.type && parameters.type.toLowerCase() !== 'application/dicom')
    throw new MultipartError(415, `multipart/related type "${parameters.type}" is not supported: send application/dicom parts`);
  if (!parameters.boundary) throw new MultipartError(400, 'Content-Type has no boundary parameter');
  if (!Buffer.isBuffer(req.body) || req.body.length === 0)
    throw new MultipartError(400, 'request body is empty: send DICOM objects as multipart/related parts');
  const parts = splitMultipart(req.body, parameters.boundary);
  if (parts.length === 0) throw new MultipartError(400, 'multipart body holds no parts');
  const wrongType = parts.find((part) => parseContentType(part.contentType).mediaType !== 'application/dicom');
  if (wrongType) throw new MultipartError(415, `every part must be application/dicom; found "${wrongType.contentType || 'no Content-Type'}"`);
  return parts.map((part) => part.body);
}

interface StoredPart {
  stored: StoredInstance;
}
interface FailedPart {
  failure: number;
  reason: string;
  sopClassUid?: string;
  sopInstanceUid?: string;
}

/**
 * Parts of one request in flight at once: the preparation of some (parse, decode, blobs, in the worker
 * pool) overlaps the filing of others, and a large request never holds all its decoded objects at once.
 */
const PARTS_IN_FLIGHT = 4;

/** Stores every part, answering each in the order sent. */
async function storeParts(ingest: IngestService, parts: Buffer[]): Promise<Array<StoredPart | FailedPart>> {
  const results: Array<StoredPart | FailedPart> = new Array(parts.length);
  let next = 0;
  const storeNext = async (): Promise<void> => {
    for (let i = next++; i < parts.length; i = next++) results[i] = await storePart(ingest, parts[i]);
  };
  await Promise.all(Array.from({ length: Math.min(PARTS_IN_FLIGHT, parts.length) }, storeNext));
  return results;
}

async function storePart(ingest: IngestService, bytes: Buffer): Promise<StoredPart | FailedPart> {
  try {
    return { stored: await ingest.store(bytes, { path: 'STOW-RS' }) };
  } catch (error) {
    if (!isDicomError(error)) throw error;
    return { failure: failureReasonOf(error.code), reason: `${error.code}: ${error.message}` };
  }
}

/** Store Instances Response Module (PS3.18 Table 10.5.3-3); the human-readable reason travels in Error Comment. */
function storeResponse(results: Array<StoredPart | FailedPart>, baseUrl: string): DicomJson {
  const stored = results.filter((r): r is StoredPart => 'stored' in r).map((r) => r.stored);
  const failed = results.filter((r): r is FailedPart => 'failure' in r);
  const studies = new Set(stored.map((s) => s.studyInstanceUid));
  const response: DicomJson = {};
  if (studies.size === 1) response['00081190'] = { vr: 'UR', Value: [`${baseUrl}/studies/${[...studies][0]}`] };
  if (failed.length) {
    response['00081198'] = {
      vr: 'SQ',
      Value: failed.map((f) => ({ '00081197': { vr: 'US', Value: [f.failure] }, '00000902': { vr: 'LO', Value: [f.reason] } })),
    };
  }
  if (stored.length) {
    response['00081199'] = {
      vr: 'SQ',
      Value: stored.map((s) => ({
        '00081150': { vr: 'UI', Value: [s.sopClassUid] },
        '00081155': { vr: 'UI', Value: [s.sopInstanceUid] },
        '00081190': { vr: 'UR', Value: [`${baseUrl}/studies/${s.studyInstanceUid}/series/${s.seriesInstanceUid}/instances/${s.sopInstanceUid}`] },
      })),
    };
  }
  return response;
}

function studyQuery(req: Request): Parameters<typeof searchStudies>[1] {
  const text = (name: string) => (typeof req.query[name] === 'string' && req.query[name] ? (req.query[name] as string) : undefined);
  const number = (name: string, fallback: number, max: number) => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0 || value > max) throw new HttpError(400, 'BAD_REQUEST', `${name} must be a whole number from 0 to ${max}`);
    return value;
  };
  return {
    PatientID: text('PatientID') ?? text('00100020'),
    StudyInstanceUID: text('StudyInstanceUID') ?? text('0020000D'),
    AccessionNumber: text('AccessionNumber') ?? text('00080050'),
    StudyDate: text('StudyDate') ?? text('00080020'),
    limit: number('limit', 100, 1000),
    offset: number('offset', 0, 1_000_000),
  };
}
