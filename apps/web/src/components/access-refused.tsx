/** A page the reader's role may not open: says so and why, instead of hiding the reason. */
export function AccessRefused({ page, roles }: { page: string; roles: string }) {
  return (
    <section role="alert" className="banner banner-error" aria-labelledby="refused-title">
      <h1 id="refused-title">Access refused</h1>
      <p>
        {page} is open to {roles} only. Ask an administrator if you need it.
      </p>
    </section>
  );
}
