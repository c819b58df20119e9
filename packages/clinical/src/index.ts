/**
 * Clinical vocabulary of bone scintigraphy, defined once for every service and the portal.
 * Values are the strings stored in the database and exposed through GraphQL.
 */

/** The two planar whole-body views of a bone scan. AP = anterior, PA = posterior. */
export const VIEWS = ['AP', 'PA'] as const;
export type View = (typeof VIEWS)[number];

export const SCAN_STATUSES = ['RECEIVED', 'QUEUED', 'PREDICTED', 'REVIEWED', 'FAILED'] as const;
export type ScanStatus = (typeof SCAN_STATUSES)[number];

/** ACTIVE predictions are shown to readers; SHADOW ones are computed beside them and seen only in analytics. */
export const MODEL_VERSION_STATUSES = ['ACTIVE', 'SHADOW', 'INACTIVE'] as const;
export type ModelVersionStatus = (typeof MODEL_VERSION_STATUSES)[number];

/** A reader's verdict on metastatic bone disease (MBD). */
export const VERDICTS = ['MBD', 'NO_MBD', 'EQUIVOCAL'] as const;
export type Verdict = (typeof VERDICTS)[number];

export const AI_LABELS = ['MBD', 'NO_MBD'] as const;
export type AiLabel = (typeof AI_LABELS)[number];

/** Where a definitive diagnosis came from. */
export const GROUND_TRUTH_SOURCES = ['FOLLOW_UP', 'BIOPSY', 'SPECT_CT', 'MRI', 'CONSENSUS'] as const;
export type GroundTruthSource = (typeof GROUND_TRUTH_SOURCES)[number];

export const ROLES = ['CLINICIAN', 'LEAD', 'INTEGRATOR', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

/** The people who read scans: only they file clinical reads and reader-study readings, and only they count as readers. */
export const READER_ROLES = ['CLINICIAN', 'LEAD'] as const satisfies readonly Role[];

/** Reasons a reader can give for a hotspot the AI pointed at. */
export const HOTSPOT_REASONS = ['METASTASIS', 'DEGENERATIVE', 'TRAUMA', 'URINE', 'INJECTION_SITE', 'OTHER'] as const;
export type HotspotReason = (typeof HOTSPOT_REASONS)[number];

/** Body regions used to name where a hotspot (or a phantom lesion) lies. */
export const BODY_REGIONS = [
  'SKULL',
  'CERVICAL_SPINE',
  'THORACIC_SPINE',
  'LUMBAR_SPINE',
  'RIBS',
  'STERNUM',
  'SHOULDER',
  'PELVIS',
  'UPPER_LIMB',
  'LOWER_LIMB',
  'KIDNEY',
  'BLADDER',
  'SOFT_TISSUE',
] as const;
export type BodyRegion = (typeof BODY_REGIONS)[number];

/** API token scopes an integrator can be given. No reads: a verdict is a person's, made in the portal, never a machine's. */
export const TOKEN_SCOPES = ['scans:read', 'scans:write', 'ground-truth:write', 'analytics:read'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** Window presets for planar bone scans, as a fraction of the image maximum. */
export const WINDOW_PRESETS = {
  STANDARD: { low: 0, high: 1 },
  BONE_DETAIL: { low: 0, high: 0.45 },
  HOT_LESIONS: { low: 0.2, high: 1 },
  SOFT: { low: 0, high: 0.25 },
} as const;
export type WindowPreset = keyof typeof WINDOW_PRESETS;

/** The paper's input geometry (Ibrahim et al. 2023): each view 256 wide x 512 high, side by side. */
export const MODEL_INPUT = { viewWidth: 256, viewHeight: 512, width: 512, height: 512, channels: 3 } as const;

/** Shown wherever a prediction of a model trained on synthetic data appears. */
export const RESEARCH_USE_ONLY = 'Research use only — not for clinical decisions';

/** Queue job names shared by the api (producer) and the inference workers (consumers). */
export const JOBS = { predictScan: 'scan.predict' } as const;

/** How a reader study shows the AI: BLINDED hides every AI result, AIDED shows it as in routine reading. */
export const READER_STUDY_MODES = ['BLINDED', 'AIDED'] as const;
export type ReaderStudyMode = (typeof READER_STUDY_MODES)[number];

/** OPEN studies accept readings; CLOSED ones are frozen for analysis. */
export const READER_STUDY_STATUSES = ['OPEN', 'CLOSED'] as const;
export type ReaderStudyStatus = (typeof READER_STUDY_STATUSES)[number];
