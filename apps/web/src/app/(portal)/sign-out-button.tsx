'use client';

import { useState } from 'react';

/** Ends the session at the API and in this browser, then goes where the portal says (sign-in, or the hospital sign-in service's sign-out). */
export function SignOutButton() {
  const [error, setError] = useState('');

  async function signOut() {
    setError('');
    const response = await fetch('/api/sign-out', { method: 'POST' }).catch(() => null);
    const answer = (await response?.json().catch(() => null)) as { ended: boolean; next: string } | null;
    if (!answer) return setError('Sign-out did not reach the portal: try again');
    // The cookie is gone either way; a session the API did not hear end stays usable with a copy of it until it expires.
    if (!answer.ended) return setError('Signed out of this browser, but the BoneScan API could not be told: tell IT');
    window.location.assign(answer.next);
  }

  return (
    <>
      <button type="button" onClick={() => void signOut()}>
        Sign out
      </button>
      {error && (
        <span role="alert" className="error">
          {error}
        </span>
      )}
    </>
  );
}
