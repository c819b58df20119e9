import { registerEnumType } from 'type-graphql';
import {
  AI_LABELS,
  GROUND_TRUTH_SOURCES,
  HOTSPOT_REASONS,
  MODEL_VERSION_STATUSES,
  READER_STUDY_MODES,
  READER_STUDY_STATUSES,
  ROLES,
  SCAN_STATUSES,
  VERDICTS,
  VIEWS,
} from '@bonescan/clinical';

/** Turns a clinical vocabulary list into the object form that TypeORM and type-graphql both accept. */
function asEnum<T extends string>(values: readonly T[]): { [K in T]: K } {
  return Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };
}

export const ViewEnum = asEnum(VIEWS);
export const ScanStatusEnum = asEnum(SCAN_STATUSES);
export const VerdictEnum = asEnum(VERDICTS);
export const AiLabelEnum = asEnum(AI_LABELS);
export const GroundTruthSourceEnum = asEnum(GROUND_TRUTH_SOURCES);
export const RoleEnum = asEnum(ROLES);
export const HotspotReasonEnum = asEnum(HOTSPOT_REASONS);
export const ReaderStudyModeEnum = asEnum(READER_STUDY_MODES);
export const ReaderStudyStatusEnum = asEnum(READER_STUDY_STATUSES);
export const ModelVersionStatusEnum = asEnum(MODEL_VERSION_STATUSES);

registerEnumType(ViewEnum, { name: 'View', description: 'AP = anterior, PA = posterior whole-body view' });
registerEnumType(ScanStatusEnum, { name: 'ScanStatus' });
registerEnumType(VerdictEnum, { name: 'Verdict', description: 'Metastatic bone disease present, absent, or equivocal' });
registerEnumType(AiLabelEnum, { name: 'AiLabel' });
registerEnumType(GroundTruthSourceEnum, { name: 'GroundTruthSource' });
registerEnumType(RoleEnum, { name: 'Role' });
registerEnumType(HotspotReasonEnum, { name: 'HotspotReason' });
registerEnumType(ModelVersionStatusEnum, {
  name: 'ModelVersionStatus',
  description: 'ACTIVE predictions are shown to readers; SHADOW predictions are seen only in analytics',
});
registerEnumType(ReaderStudyModeEnum, { name: 'ReaderStudyMode', description: 'BLINDED hides every AI result from the readers; AIDED shows it' });
registerEnumType(ReaderStudyStatusEnum, { name: 'ReaderStudyStatus', description: 'OPEN accepts readings; CLOSED is frozen for analysis' });
