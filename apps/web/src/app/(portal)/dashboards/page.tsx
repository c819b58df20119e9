import type { Role } from '@bonescan/clinical';
import { currentUser } from '../../../auth/current-user';
import { AccessRefused } from '../../../components/access-refused';
import { LeadDashboards } from './lead-dashboards';

const LEADS: Role[] = ['LEAD', 'ADMIN'];

export default async function DashboardsPage() {
  const user = await currentUser();
  if (!LEADS.includes(user.role)) return <AccessRefused page="Dashboards" roles="department leads and administrators" />;
  return <LeadDashboards />;
}
