import Link from 'next/link';

export const dynamic = 'force-dynamic';

/** What the person at the screen can do about each refusal the API gives for a hospital single sign-on. */
const REASONS: Record<string, string> = {
  'account-unknown': 'No BoneScan account matches your hospital account. An administrator can create one for your e-mail address.',
  'account-deactivated': 'Your BoneScan account has been deactivated. An administrator can reactivate it.',
  'account-linked-elsewhere': 'Your BoneScan account is already linked to a different hospital account. An administrator can check which one.',
  'role-unknown':
    'Your hospital account has no role BoneScan knows (clinician, lead or administrator). An administrator can grant one at the hospital sign-in service.',
  'claim-missing': 'The hospital sign-in service did not say who you are (no e-mail address). IT can release the e-mail claim to BoneScan.',
  'email-unverified': 'The hospital sign-in service has not verified your e-mail address. IT can verify it.',
  'id-token-invalid': 'BoneScan could not check the hospital sign-in service’s answer. Try again; if it keeps happening, tell IT.',
  'identity-provider-unreachable': 'BoneScan cannot reach the hospital sign-in service to check your sign-in. Try again in a few minutes, or tell IT.',
};

export default async function NotEnabledPage({ searchParams }: { searchParams: Promise<{ reason?: string }> }) {
  const { reason } = await searchParams;
  return (
    <main className="signin">
      <h1>BoneScan</h1>
      <div className="card" role="alert">
        <h2>Your hospital account is not enabled here; ask an administrator</h2>
        <p>{(reason && REASONS[reason]) ?? 'BoneScan did not let this hospital account in. An administrator can tell why from the audit log.'}</p>
      </div>
      <p>
        <Link href="/signin">Back to sign-in</Link>
      </p>
    </main>
  );
}
