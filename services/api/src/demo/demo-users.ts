import type { Role } from '@bonescan/clinical';
import { User } from '@bonescan/db';
import type { DataSource } from 'typeorm';
import { UsersService } from '../users/users.service';

/** Demo sign-ins, created once on an empty database so a newcomer can try every role. */
export const DEMO_USERS: ReadonlyArray<{ email: string; name: string; role: Role; password: string }> = [
  { email: 'clinician@demo.bonescan', name: 'Dr Demo Clinician', role: 'CLINICIAN', password: 'demo-clinician-2026' },
  { email: 'lead@demo.bonescan', name: 'Dr Demo Lead', role: 'LEAD', password: 'demo-lead-2026!' },
  { email: 'admin@demo.bonescan', name: 'Demo Administrator', role: 'ADMIN', password: 'demo-admin-2026!' },
  { email: 'integrator@demo.bonescan', name: 'Demo PACS Bridge', role: 'INTEGRATOR', password: 'demo-integrator-2026' },
];

/** Creates the demo users when the database has no users at all; returns whether it did. */
export async function seedDemoUsers(dataSource: DataSource): Promise<boolean> {
  if ((await dataSource.getRepository(User).count()) > 0) return false;
  const users = new UsersService(dataSource);
  for (const user of DEMO_USERS) await users.create(user);
  return true;
}
