import type { ApiError } from '../graphql/request';

/** One line telling the reader what went wrong with a call and what to do about it. */
export function ApiBanner({ error }: { error: ApiError }) {
  if (error.code === 'UNAUTHENTICATED') {
    return (
      <div role="alert" className="banner banner-error">
        Your session has ended. <a href={`/signin?callbackUrl=${encodeURIComponent(currentPath())}`}>Sign in again</a> to continue.
      </div>
    );
  }
  if (error.code === 'API_UNREACHABLE') {
    return (
      <div role="alert" className="banner banner-error">
        <strong>The BoneScan API cannot be reached.</strong> Showing the last data loaded; this page retries by itself.
      </div>
    );
  }
  return (
    <div role="alert" className="banner banner-error">
      {error.message}
    </div>
  );
}

const currentPath = () => (typeof window === 'undefined' ? '/worklist' : window.location.pathname);
