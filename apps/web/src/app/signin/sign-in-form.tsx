'use client';

import { signIn } from 'next-auth/react';
import { useState, type FormEvent } from 'react';

const MESSAGES: Record<string, string> = {
  CredentialsSignin: 'E-mail or password is incorrect',
  RATE_LIMITED: 'Too many failed sign-ins: wait a few minutes and try again',
  API_UNREACHABLE: 'The BoneScan API cannot be reached, so nobody can sign in right now: tell IT',
  IDP_UNREACHABLE: 'The hospital sign-in service is not answering: try again in a few minutes, or sign in with your password',
  IDP_CLIENT_REFUSED: 'The hospital sign-in service does not accept BoneScan’s client id or secret, so nobody can sign in through it: tell IT',
  IDP_ANSWER_REFUSED: 'The hospital sign-in service’s answer failed BoneScan’s checks (it expired or was altered): try again',
};
const messageOf = (code: string) => MESSAGES[code] ?? 'Sign-in failed: try again';

export function SignInForm({ callbackUrl, singleSignOn, initialError }: { callbackUrl: string; singleSignOn: boolean; initialError?: string }) {
  const [error, setError] = useState(initialError ? messageOf(initialError) : '');
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError('');
    const result = await signIn('credentials', { redirect: false, email: form.get('email'), password: form.get('password'), callbackUrl });
    setBusy(false);
    if (result?.error) setError(messageOf(result.error));
    else window.location.assign(callbackUrl);
  }

  return (
    <form className="card signin-form" onSubmit={submit} aria-describedby={error ? 'signin-error' : undefined}>
      <label htmlFor="email">E-mail</label>
      <input id="email" name="email" type="email" autoComplete="username" required autoFocus />
      <label htmlFor="password">Password</label>
      <input id="password" name="password" type="password" autoComplete="current-password" required />
      {error && (
        <p id="signin-error" role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
      {singleSignOn && (
        <button type="button" onClick={() => signIn('oidc', { callbackUrl })}>
          Sign in with hospital single sign-on
        </button>
      )}
    </form>
  );
}
