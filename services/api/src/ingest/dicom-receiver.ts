import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import type { Writable } from 'node:stream';
import * as dcmjs from 'dcmjs';
import { isAllowedCaller, type DicomCaller } from '@bonescan/config';
import { association as dimseAssociation, constants, Dataset, log as dimseLog, requests, responses, Scp, Server } from 'dcmjs-dimse';
import { isDicomError, TRANSFER_SYNTAXES, type DicomErrorCode } from '@bonescan/dicom';
import type { Logger } from '@bonescan/logger';
import type { IngestService } from './ingest.service';

// dcmjs-dimse logs every association and, at debug level, datasets: patient data must not reach the console.
dimseLog.setLevel('silent');

const { PresentationContextResult, RejectResult, RejectSource, RejectReason, SopClass, Status } = constants;
type Association = dimseAssociation.Association;

const STORAGE_SOP_CLASS_PREFIX = '1.2.840.10008.5.1.4.1.1.';
const SUPPORTED_TRANSFER_SYNTAXES = new Set<string>(Object.values(TRANSFER_SYNTAXES).map((syntax) => syntax.uid));
const IMPLEMENTATION_CLASS_UID = '2.25.309237711823475601046376474127838734339';

/** C-STORE failure statuses (PS3.4 B.2.3): a refused SOP class, or a dataset we cannot understand. */
const STORE_STATUS = {
  sopClassNotSupported: 0x0122,
  cannotUnderstand: 0xc000,
  outOfResources: 0xa700,
} as const;

const statusOf = (code: DicomErrorCode): number => (code === 'UNSUPPORTED_MODALITY' ? STORE_STATUS.sopClassNotSupported : STORE_STATUS.cannotUnderstand);

/** Error Comment (0000,0902) is an LO: at most 64 characters reach the sender; the log keeps the whole reason. */
const errorComment = (text: string) => (text.length <= 64 ? text : `${text.slice(0, 61)}...`);

export interface DicomReceiver {
  port: number;
  stop(): Promise<void>;
}

export interface DicomReceiverOptions {
  ingest: IngestService;
  aeTitle: string;
  /** 0 picks a free port. */
  port: number;
  /** Who may send; empty: anyone (see DICOM_ALLOWED_CALLERS). */
  allowedCallers: readonly DicomCaller[];
  logger: Logger;
}

/**
 * The DICOM C-STORE SCP (with C-ECHO) that modalities and PACS send scans to. Each object goes through the
 * same ingest as STOW-RS and folder import; a bad object gets a failure status whose Error Comment says why.
 * The received dataset is kept byte for byte as sent (wrapped in a Part 10 header), never re-encoded.
 */
export async function startDicomReceiver(options: DicomReceiverOptions): Promise<DicomReceiver> {
  const { ingest, aeTitle, allowedCallers, logger } = options;
  const receivedBytes = new WeakMap<object, Buffer>();
  if (allowedCallers.length === 0) logger.warn('DICOM_ALLOWED_CALLERS is empty: the C-STORE SCP accepts scans from any sender on the network');

  class ReceiverScp extends Scp {
    private callingAeTitle = '';
    private readonly peerAddress: string | undefined;

    constructor(socket: Socket, opts?: ConstructorParameters<typeof Scp>[1]) {
      super(socket, opts);
      this.peerAddress = socket.remoteAddress;
    }

    override associationRequested(association: Association): void {
      this.callingAeTitle = association.getCallingAeTitle().trim();
      // Checked before anything else, so an unknown sender learns nothing but the refusal (PS3.8 A-ASSOCIATE-RJ).
      if (!isAllowedCaller(allowedCallers, this.callingAeTitle, this.peerAddress)) {
        logger.warn(
          { callingAeTitle: this.callingAeTitle, peerAddress: this.peerAddress },
          'association refused: calling AE title and address are not on DICOM_ALLOWED_CALLERS',
        );
        this.sendAssociationReject(RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.CallingAeNotRecognized);
        return;
      }
      if (association.getCalledAeTitle().trim() !== aeTitle) {
        logger.warn(
          { calledAeTitle: association.getCalledAeTitle(), callingAeTitle: association.getCallingAeTitle() },
          'association refused: called AE title is not ours',
        );
        this.sendAssociationReject(RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.CalledAeNotRecognized);
        return;
      }
      for (const { context } of association.getPresentationContexts()) acceptOrReject(context);
      this.sendAssociationAccept();
    }

    override associationReleaseRequested(): void {
      this.sendAssociationReleaseResponse();
    }

    override cEchoRequest(request: requests.CEchoRequest, callback: (response: responses.CEchoResponse) => void): void {
      const response = responses.CEchoResponse.fromRequest(request);
      response.setStatus(Status.Success);
      callback(response);
    }

    override createDatasetFromStoreWritableStream(
      writable: Writable,
      context: dimseAssociation.PresentationContext,
      callback: (dataset: Dataset) => void,
    ): void {
      // Skip dcmjs-dimse's own parse: ingest reads the bytes itself, and a malformed object must reach it
      // as bytes so that the sender hears why it was refused.
      const dataset = new Dataset({}, context.getAcceptedTransferSyntaxUid());
      receivedBytes.set(dataset, (writable as unknown as { toBuffer(): Buffer }).toBuffer());
      callback(dataset);
    }

    override cStoreRequest(request: requests.CStoreRequest, callback: (response: responses.CStoreResponse) => void): void {
      const response = responses.CStoreResponse.fromRequest(request);
      const dataset = request.getDataset();
      const body = dataset && receivedBytes.get(dataset);
      const callingAeTitle = this.callingAeTitle || undefined;
      if (!dataset || !body) {
        response.setStatus(STORE_STATUS.cannotUnderstand);
        response.setErrorComment('C-STORE request carried no dataset');
        callback(response);
        return;
      }
      const part10 = withFileMeta(body, request.getAffectedSopClassUid(), request.getAffectedSopInstanceUid(), dataset.getTransferSyntaxUid(), callingAeTitle);
      ingest
        .store(part10, { path: 'C-STORE', callingAeTitle })
        .then(() => response.setStatus(Status.Success))
        .catch((error: unknown) => {
          if (isDicomError(error)) {
            logger.warn(
              { code: error.code, reason: error.message, callingAeTitle, sopInstanceUid: request.getAffectedSopInstanceUid() },
              'C-STORE object refused',
            );
            response.setStatus(statusOf(error.code));
            response.setErrorComment(errorComment(`${error.code}: ${error.message}`));
          } else {
            logger.error({ err: error, callingAeTitle }, 'C-STORE object could not be stored');
            response.setStatus(STORE_STATUS.outOfResources);
            response.setErrorComment('internal error storing the object; send it again later');
          }
        })
        .finally(() => callback(response));
    }

    override abort(): void {
      logger.info({ callingAeTitle: this.callingAeTitle }, 'association aborted by the sender');
    }
  }

  const server = new Server(ReceiverScp);
  const listening = new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('networkError', (error: Error) => reject(error));
  });
  server.on('networkError', (error: Error) => logger.warn({ err: error }, 'DICOM network error'));
  server.listen(options.port);
  await listening;
  const netServer = (server as unknown as { server: NetServer }).server;
  const port = (netServer.address() as AddressInfo).port;
  logger.info({ aeTitle, port }, 'DICOM C-STORE SCP listening');
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        netServer.once('close', () => resolve());
        server.close();
      }),
  };
}

/**
 * Verification and every storage SOP class are accepted, so that a CT or other non-bone-scan object is
 * refused at C-STORE with a reason the sender can read, rather than by a silent presentation-context rejection.
 * A supported transfer syntax is preferred; if none is proposed, the first one is taken for the same reason.
 */
function acceptOrReject(context: dimseAssociation.PresentationContext): void {
  const abstractSyntax = context.getAbstractSyntaxUid();
  const proposed = context.getTransferSyntaxUids();
  if (abstractSyntax !== SopClass.Verification && !abstractSyntax.startsWith(STORAGE_SOP_CLASS_PREFIX)) {
    context.setResult(PresentationContextResult.RejectAbstractSyntaxNotSupported);
    return;
  }
  const chosen = proposed.find((uid) => SUPPORTED_TRANSFER_SYNTAXES.has(uid)) ?? proposed[0];
  if (!chosen) context.setResult(PresentationContextResult.RejectTransferSyntaxesNotSupported);
  else context.setResult(PresentationContextResult.Accept, chosen);
}

/** A received dataset as a DICOM Part 10 file: preamble, "DICM" and the file meta group, then the dataset as sent. */
function withFileMeta(dataset: Buffer, sopClassUid: string, sopInstanceUid: string, transferSyntaxUid: string, callingAeTitle: string | undefined): Uint8Array {
  const meta = dcmjs.data.DicomMetaDictionary.denaturalizeDataset({
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: sopClassUid,
    MediaStorageSOPInstanceUID: sopInstanceUid,
    TransferSyntaxUID: transferSyntaxUid,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: 'BONESCAN_SCP',
    ...(callingAeTitle ? { SourceApplicationEntityTitle: callingAeTitle } : {}),
  });
  const header = new dcmjs.data.DicomDict(meta);
  header.dict = {};
  return Buffer.concat([new Uint8Array(header.write()), dataset]);
}
