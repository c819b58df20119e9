import { CreateClinicalRecords1795751703442 } from './1795751703442-CreateClinicalRecords';
import { AddExpressionIndexes1795751703500 } from './1795751703500-AddExpressionIndexes';
import { AddReaderStudies1795752150727 } from './1795752150727-AddReaderStudies';
import { AddScanSingleView1795752211610 } from './1795752211610-AddScanSingleView';
import { AddAnalyticsFacts1795753731271 } from './1795753731271-AddAnalyticsFacts';
import { AddAnalyticsTriggers1795753731300 } from './1795753731300-AddAnalyticsTriggers';
import { AddOneActiveModelIndex1795757957700 } from './1795757957700-AddOneActiveModelIndex';
import { AddAnalyticsRollups1795761924132 } from './1795761924132-AddAnalyticsRollups';
import { AddAnalyticsRollupTriggers1795761924200 } from './1795761924200-AddAnalyticsRollupTriggers';
import { AddAiScorePacks1795762722232 } from './1795762722232-AddAiScorePacks';
import { AddAiScorePackTriggers1795762722300 } from './1795762722300-AddAiScorePackTriggers';
import { AddTurnaroundPeriods1795763012780 } from './1795763012780-AddTurnaroundPeriods';
import { AddTurnaroundPeriodTriggers1795763012800 } from './1795763012800-AddTurnaroundPeriodTriggers';
import { AddTurnaroundDurationBins1795764289831 } from './1795764289831-AddTurnaroundDurationBins';
import { CoverTurnaroundBinIndexes1795764765092 } from './1795764765092-CoverTurnaroundBinIndexes';
import { PackExactAiScores1796164776634 } from './1796164776634-PackExactAiScores';
import { AddUserIdentities1796166995546 } from './1796166995546-AddUserIdentities';
import { AddSignInThrottle1796166979866 } from './1796166979866-AddSignInThrottle';
import { AddPortalSessions1796167108188 } from './1796167108188-AddPortalSessions';
import { AuditOneRowPerRequest1796169947748 } from './1796169947748-AuditOneRowPerRequest';

/** Every migration, in order. A new schema change adds a file and a line here; landed files are never edited. */
export const MIGRATIONS: Function[] = [CreateClinicalRecords1795751703442, AddExpressionIndexes1795751703500, AddReaderStudies1795752150727, AddScanSingleView1795752211610, AddAnalyticsFacts1795753731271, AddAnalyticsTriggers1795753731300, AddOneActiveModelIndex1795757957700, AddAnalyticsRollups1795761924132, AddAnalyticsRollupTriggers1795761924200, AddAiScorePacks1795762722232, AddAiScorePackTriggers1795762722300, AddTurnaroundPeriods1795763012780, AddTurnaroundPeriodTriggers1795763012800, AddTurnaroundDurationBins1795764289831, CoverTurnaroundBinIndexes1795764765092, PackExactAiScores1796164776634, AddSignInThrottle1796166979866, AddUserIdentities1796166995546, AddPortalSessions1796167108188, AuditOneRowPerRequest1796169947748];
