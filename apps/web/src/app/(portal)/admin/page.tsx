import { currentUser } from '../../../auth/current-user';
import { AccessRefused } from '../../../components/access-refused';
import { AdminConsole } from './admin-console';

export default async function AdminPage() {
  const user = await currentUser();
  if (user.role !== 'ADMIN') return <AccessRefused page="Administration" roles="administrators" />;
  return <AdminConsole />;
}
