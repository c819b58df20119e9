import { portalConfig } from '../../../config';
import { WorklistView } from './worklist-view';

export default function WorklistPage() {
  const config = portalConfig();
  return <WorklistView targetMinutes={config.TURNAROUND_TARGET_MINUTES} pollSeconds={config.WORKLIST_POLL_SECONDS} />;
}
