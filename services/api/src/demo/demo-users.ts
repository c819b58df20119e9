import type { Role } from '@bonescan/clinical';
import type { Config } from '@bonescan/config';
import { User } from '@bonescan/db';
import type { DataSource } from 'typeorm';
import { generatePassword } from '../auth/passwords';
import { UsersService } from '../users/users.service';

/** Demo accounts, one per role, so a newcomer can try every role. */
export const DEMO_ACCOUNTS: ReadonlyArray<{ email: string; name: string; role: Role }> = [
  { email: 'clinician@demo.bonescan', name: 'Dr Demo Clinician', role: 'CLINICIAN' },
  { email: 'lead@demo.bonescan', name: 'Dr Demo Lead', role: 'LEAD' },
  { email: 'admin@demo.bonescan', name: 'Demo Administrator', role: 'ADMIN' },
  { email: 'integrator@demo.bonescan', name: 'Demo PACS Bridge', role: 'INTEGRATOR' },
];

export interface DemoSignIn {
  email: string;
  role: Role;
  password: string;
}

/**
 * In demo mode, on a database with no users at all, creates the demo accounts, each with a fresh
 * random password, and returns their sign-ins: the only time the passwords are known, to be shown
 * once. Returns none outside demo mode or once any user exists.
 */
export async function seedDemoUsers(dataSource: DataSource, config: Pick<Config, 'DEMO_DATA'>): Promise<DemoSignIn[]> {
  if (!config.DEMO_DATA) return [];
  if ((await dataSource.getRepository(User).count()) > 0) return [];
  const users = new UsersService(dataSource);
  const signIns: DemoSignIn[] = [];
  for (const account of DEMO_ACCOUNTS) {
    const password = generatePassword();
    await users.create({ ...account, password });
    signIns.push({ email: account.email, role: account.role, password });
  }
  return signIns;
}
