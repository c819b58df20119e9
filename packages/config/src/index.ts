import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from './config-error';
import { dicomAllowedCallers } from './dicom-callers';

export * from './session-secret';
export * from './portal-client-address';
export * from './dicom-callers';

/**
 * Every environment variable the platform reads, in one typed, validated place. The README's
 * configuration table is written from the descriptions here.
 */
/**
 * The inference backends a worker can run on, in order of preference. Named here so that INFERENCE_BACKEND accepts
 * exactly these; the inference service maps each one to the package that provides it.
 */
export const INFERENCE_BACKENDS = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type InferenceBackend = (typeof INFERENCE_BACKENDS)[number];

const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
/** An empty value counts as unset, as compose's `${VAR:-}` and a blank line in an env file give. */
const unsetWhenEmpty = z.preprocess((value) => (value === '' ? undefined : value), z.string().optional());

export const CONFIG_SCHEMA = z.object({
  DATABASE_URL: z.string().url().optional().describe('PostgreSQL to use; unset starts the embedded server with data in DATA_DIR/postgres'),
  DATA_DIR: z.string().default('.data').describe('Folder for the embedded database and the local blob store'),
  EMBEDDED_POSTGRES_PORT: z.coerce.number().int().min(0).max(65535).default(54329).describe('Port of the embedded PostgreSQL (0 picks a free one)'),
  BLOB_DIR: z.string().optional().describe('Blob store folder (pixels, DICOM, heat maps); default DATA_DIR/blobs'),
  API_HOST: z.string().default('127.0.0.1').describe('Address the API listens on'),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(4000).describe('Port of the GraphQL API and DICOMweb'),
  API_URL: z.string().url().default('http://127.0.0.1:4000').describe('Where the portal and workers reach the API'),
  PUBLIC_API_URL: z
    .string()
    .url()
    .optional()
    .describe(
      'The API’s address as integrators and viewers reach it (through a proxy, say); DICOMweb answers build their retrieve URLs from it, never from the request’s Host header. Default API_URL',
    ),
  WEB_PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('Port of the portal'),
  PORTAL_TRUST_PROXY: booleanFlag
    .default('false')
    .describe(
      'true only when a proxy in front of the portal overwrites X-Forwarded-For with the address it saw: the portal then states that address to the API (for the sign-in limits); false drops the address headers a browser sends and states the socket’s',
    ),
  AUTH_SECRET: unsetWhenEmpty.describe(
    'Secret that signs portal sessions; the API verifies them with it. No default: 32+ random characters (`openssl rand -base64 32`), or `npm start` in demo mode keeps a generated one in DATA_DIR/auth-secret',
  ),
  NEXTAUTH_SECRET: unsetWhenEmpty.describe('Used when AUTH_SECRET is unset (next-auth’s own name for it); the API and the portal follow the same rule'),
  NEXTAUTH_URL: z.string().url().optional().describe('Public URL of the portal, for next-auth callbacks; default http://127.0.0.1:WEB_PORT'),
  SESSION_MAX_AGE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(8 * 60)
    .describe('How long a portal sign-in lasts before the reader must sign in again'),
  OIDC_ISSUER: z
    .string()
    .url()
    .optional()
    .describe('Hospital single sign-on (OpenID Connect issuer URL); the portal offers it only when set with OIDC_CLIENT_ID and OIDC_CLIENT_SECRET'),
  OIDC_CLIENT_ID: z.string().optional().describe('Client id of the portal at the OIDC issuer'),
  OIDC_CLIENT_SECRET: z.string().optional().describe('Client secret of the portal at the OIDC issuer'),
  OIDC_MATCH_CLAIM: z
    .string()
    .min(1)
    .default('email')
    .describe(
      'ID-token claim matched (case-insensitively) to a platform account’s e-mail the first time someone signs in through single sign-on; `email` must come with `email_verified` true. The IdP issuer and subject are linked to the account then and used from then on',
    ),
  OIDC_PROVISION_USERS: booleanFlag
    .default('false')
    .describe(
      'Create a platform account on first single sign-on for a hospital identity that matches none, with the role from OIDC_ROLE_CLAIM; off: only accounts an administrator made can sign in',
    ),
  OIDC_ROLE_CLAIM: z
    .string()
    .optional()
    .describe('ID-token claim naming the role (a string or a list, e.g. `groups` or `roles`) of an account created by OIDC_PROVISION_USERS'),
  OIDC_ROLE_MAP: z
    .string()
    .regex(
      /^[^=,]+=(CLINICIAN|LEAD|ADMIN)(,[^=,]+=(CLINICIAN|LEAD|ADMIN))*$/,
      'must read claim-value=ROLE[,claim-value=ROLE…] with ROLE one of CLINICIAN, LEAD, ADMIN',
    )
    .optional()
    .describe(
      'How values of OIDC_ROLE_CLAIM become platform roles, e.g. `nm-physicians=CLINICIAN,nm-leads=LEAD`; unset: the claim must hold CLINICIAN, LEAD or ADMIN itself',
    ),
  WORKLIST_POLL_SECONDS: z.coerce.number().min(1).default(10).describe('How often an open worklist asks for new scans and predictions'),
  TRUST_PROXY: z
    .string()
    .default('loopback')
    .describe(
      'Which proxies may state the caller’s address in X-Forwarded-For (Express “trust proxy”); sign-in limits ignore it and trust only the portal’s signed statement',
    ),
  QUERY_MAX_DEPTH: z.coerce.number().int().min(2).default(12).describe('Deepest GraphQL query accepted'),
  QUERY_MAX_COST: z.coerce.number().int().min(10).default(5000).describe('Largest GraphQL query cost accepted (fields × page sizes)'),
  DICOM_AE_TITLE: z.string().max(16).default('BONESCAN').describe('AE title of the C-STORE SCP'),
  DICOM_PORT: z.coerce.number().int().min(0).max(65535).default(11112).describe('Port of the C-STORE SCP'),
  DICOM_ALLOWED_CALLERS: dicomAllowedCallers.describe(
    'Senders the C-STORE SCP accepts, as AE_TITLE@address entries separated by commas (`*` for any address), e.g. `PACS1@10.0.0.5,MODALITY2@*`; others are refused with “calling AE title not recognised”. Empty accepts any sender (a warning is logged at start)',
  ),
  STOW_MAX_MEGABYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(1024)
    .default(64)
    .describe('Largest STOW-RS request body accepted (a whole-body scan is a few MB); larger ones are answered 413'),
  STOW_CONCURRENT_REQUESTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(4)
    .describe('STOW-RS requests received at once; further ones are answered 503 with Retry-After, so memory stays within this × STOW_MAX_MEGABYTES'),
  INGEST_DECODE_TIMEOUT_SECONDS: z.coerce
    .number()
    .positive()
    .default(60)
    .describe(
      'Longest a DICOM object may take to parse and decode before it is refused and its prepare worker replaced (a valid scan takes well under a second)',
    ),
  PAIRING_WAIT_SECONDS: z.coerce.number().min(0).default(600).describe('How long a lone view waits for its partner before it is queued single-view'),
  TURNAROUND_TARGET_MINUTES: z.coerce
    .number()
    .min(1)
    .default(24 * 60)
    .describe('Arrival-to-final-read target; later scans count as overdue'),
  MODELS_DIR: z.string().default('./models').describe('The only folder model versions may be registered from (registerModelVersion refuses paths outside it)'),
  MODEL_DIR: z.string().optional().describe('Model version folder the workers load when none is active in the database'),
  INFERENCE_BACKEND: z
    .enum(INFERENCE_BACKENDS)
    .optional()
    .describe(`Force an inference backend (${INFERENCE_BACKENDS.join(', ')}) instead of the first one installed`),
  INFERENCE_BATCH_SIZE: z.coerce.number().int().min(1).max(64).default(4).describe('Most scans one worker puts through the model at once'),
  INFERENCE_WORKERS: z.coerce.number().int().min(0).max(64).default(1).describe('Inference workers `npm start` runs'),
  INFERENCE_EXPLAIN_NEGATIVES: booleanFlag
    .default('true')
    .describe('Compute the Grad-CAM heat map for negative calls too (always for positive ones), so every scan is explained'),
  INFERENCE_HOST: z.string().default('127.0.0.1').describe('Address a worker’s HTTP endpoints listen on (0.0.0.0 in a container)'),
  INFERENCE_PORT: z.coerce.number().int().min(0).max(65535).default(9400).describe('Port of a worker’s /healthz, /readyz and /metrics (0 picks a free one)'),
  INFERENCE_POLL_SECONDS: z.coerce.number().min(0.1).default(1).describe('How often an idle worker looks for waiting jobs'),
  INFERENCE_JOB_EXPIRY_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(15 * 60)
    .describe('A prediction job running longer is taken as lost (worker died) and retried'),
  INFERENCE_RETRY_LIMIT: z.coerce.number().int().min(0).default(3).describe('Retries of a failed prediction job before its scan is marked FAILED'),
  INFERENCE_RETRY_DELAY_SECONDS: z.coerce.number().int().min(0).default(5).describe('Delay before the first retry; doubles with each further one'),
  INFERENCE_MAINTENANCE_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(60)
    .describe('How often a worker looks for expired jobs to retry (queue maintenance runs in the workers, not the API)'),
  DEMO_DATA: booleanFlag
    .default('true')
    .describe(
      'Demo mode for `npm start`: demo users (passwords printed once, when created) and phantom scans on first start, and a generated session secret; always off with NODE_ENV=production',
    ),
  NODE_ENV: z.string().optional().describe('`production` turns demo mode off whatever DEMO_DATA says: no demo users, no generated secret'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino log level'),
});

export type Config = z.infer<typeof CONFIG_SCHEMA>;

/**
 * How prediction jobs are retried and when a running one counts as lost. pg-boss stamps these on each job as it is
 * enqueued, so the API (which enqueues) and the workers (which run the jobs) must start the queue with the same
 * policy: it is read here, from the configuration, and nowhere else.
 */
export interface PredictionQueuePolicy {
  retryLimit: number;
  retryDelay: number;
  /** Each retry waits twice as long as the one before: a struggling database or blob store gets room to recover. */
  retryBackoff: true;
  expireInSeconds: number;
}

export const predictionQueuePolicy = (config: Config): PredictionQueuePolicy => ({
  retryLimit: config.INFERENCE_RETRY_LIMIT,
  retryDelay: config.INFERENCE_RETRY_DELAY_SECONDS,
  retryBackoff: true,
  expireInSeconds: config.INFERENCE_JOB_EXPIRY_SECONDS,
});

export { ConfigError };

/**
 * The variables a process was given. Not NodeJS.ProcessEnv: modules that load Next.js's types make its
 * NODE_ENV required there, and a test or a child's environment need not name it.
 */
export type Environment = Record<string, string | undefined>;

/** Reads and validates the environment; a bad value stops start-up with the variable's name and what is wrong. */
export function loadConfig(env: Environment = process.env): Config {
  const result = CONFIG_SCHEMA.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration — ${problems}`);
  }
  // Production wins over DEMO_DATA rather than refusing: `next start` and many container images set
  // NODE_ENV=production themselves, and the safe reading of the contradiction is "no demo".
  return { ...result.data, DEMO_DATA: result.data.DEMO_DATA && result.data.NODE_ENV !== 'production' };
}

export const blobDir = (config: Config): string => path.resolve(config.BLOB_DIR ?? path.join(config.DATA_DIR, 'blobs'));
