import { currentUser } from '../../../../../auth/current-user';
import { AccessRefused } from '../../../../../components/access-refused';
import { StudyResults } from './study-results';

export default async function StudyResultsPage({ params }: { params: Promise<{ id: string }> }) {
  const [{ id }, user] = await Promise.all([params, currentUser()]);
  if (user.role !== 'LEAD' && user.role !== 'ADMIN') return <AccessRefused page="Reader-study results" roles="department leads and administrators" />;
  return <StudyResults studyId={id} />;
}
