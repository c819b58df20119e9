import { currentUser } from '../../../auth/current-user';
import { ReaderStudiesView } from './reader-studies-view';

export default async function ReaderStudiesPage() {
  const user = await currentUser();
  return <ReaderStudiesView manages={user.role === 'LEAD' || user.role === 'ADMIN'} />;
}
