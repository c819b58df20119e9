import { CONFIG_SCHEMA } from './index';

type Described = { description?: string; _def: { defaultValue?: () => unknown; innerType?: Described } };

/** The README's configuration table, written from the schema so the two cannot disagree. */
export function configTable(): string {
  const rows = Object.entries(CONFIG_SCHEMA.shape as Record<string, Described>).map(([name, schema]) => {
    const fallback = schema._def.defaultValue?.();
    const shown = fallback === undefined ? '—' : `\`${String(fallback)}\``;
    return `| \`${name}\` | ${shown} | ${(schema.description ?? '').replace(/\|/g, '\\|')} |`;
  });
  return ['| variable | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}
