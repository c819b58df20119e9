export * from './enums';
export * from './patient';
export * from './user';
export * from './user-identity';
export * from './portal-session';
export * from './api-token';
export * from './scan';
export * from './scan-view';
export * from './dicom-instance';
export * from './model-version';
export * from './prediction';
export * from './review';
export * from './ground-truth';
export * from './audit-event';
export * from './reader-study';
export * from './analytics-rollups';

import {
  DailyAiScorePack,
  DailyHotspotReasonCount,
  DailyPairedReadCount,
  DailyReadCount,
  ProbabilityBandCount,
  ScanReadTally,
  StaleAiScoreDay,
  StaleTurnaroundDay,
  TurnaroundPeriodFigures,
} from './analytics-rollups';
import { ApiToken } from './api-token';
import { AuditEvent } from './audit-event';
import { DicomInstance } from './dicom-instance';
import { GroundTruth } from './ground-truth';
import { ModelVersion } from './model-version';
import { Patient } from './patient';
import { PortalSession } from './portal-session';
import { Prediction } from './prediction';
import { ReaderStudy, ReaderStudyCase } from './reader-study';
import { Review } from './review';
import { Scan } from './scan';
import { ScanView } from './scan-view';
import { User } from './user';
import { UserIdentity } from './user-identity';

export const ENTITIES = [
  Patient,
  User,
  UserIdentity,
  PortalSession,
  ApiToken,
  Scan,
  ScanView,
  DicomInstance,
  ModelVersion,
  Prediction,
  Review,
  GroundTruth,
  AuditEvent,
  ReaderStudy,
  ReaderStudyCase,
  DailyReadCount,
  DailyHotspotReasonCount,
  ScanReadTally,
  DailyPairedReadCount,
  ProbabilityBandCount,
  DailyAiScorePack,
  StaleAiScoreDay,
  TurnaroundPeriodFigures,
  StaleTurnaroundDay,
];
