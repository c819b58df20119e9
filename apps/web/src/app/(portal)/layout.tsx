import Link from 'next/link';
import type { ReactNode } from 'react';
import { currentUser } from '../../auth/current-user';
import { ApiBanner } from '../../components/api-banner';
import { ApiError } from '../../graphql/request';
import { SignOutButton } from './sign-out-button';

export const dynamic = 'force-dynamic';

export default async function PortalLayout({ children }: { children: ReactNode }) {
  let user;
  try {
    user = await currentUser();
  } catch (error) {
    if (error instanceof ApiError && error.code === 'API_UNREACHABLE') {
      return (
        <main className="page">
          <ApiBanner error={error} />
        </main>
      );
    }
    throw error;
  }
  const lead = user.role === 'LEAD' || user.role === 'ADMIN';
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">BoneScan</span>
        <nav aria-label="Main">
          <Link href="/worklist">Worklist</Link>
          <Link href="/reader-studies">Reader studies</Link>
          {lead && <Link href="/dashboards">Dashboards</Link>}
          {user.role === 'ADMIN' && <Link href="/admin">Admin</Link>}
        </nav>
        <span className="whoami" aria-label="Signed in as">
          {user.name} · {user.role.toLowerCase()}
        </span>
        <SignOutButton />
      </header>
      <main id="main" className="page">
        {children}
      </main>
    </>
  );
}
