import { StatisticsError, cohenKappa, cohenKappaFromTable, fleissKappa } from './index';

/** Rating pairs from a k×k table (rows = rater A's category, columns = rater B's). */
function ratingsFromTable(table: number[][], categories: string[]): { a: string[]; b: string[] } {
  const a: string[] = [];
  const b: string[] = [];
  table.forEach((row, i) =>
    row.forEach((n, j) => {
      for (let c = 0; c < n; c++) {
        a.push(categories[i]);
        b.push(categories[j]);
      }
    }),
  );
  return { a, b };
}

describe('cohenKappa', () => {
  // SAS/STAT PROC FREQ documentation, "Getting Started: Agreement Study" (skin condition rated by two
  // dermatologists, 88 patients). Published output: simple kappa 0.3449, ASE 0.0724, 95% CL 0.2030–0.4868.
  const skinCondition = [
    [10, 4, 1, 0],
    [5, 10, 12, 2],
    [2, 4, 12, 5],
    [0, 2, 6, 13],
  ];

  it('reproduces the SAS PROC FREQ agreement example (κ, ASE and 95% limits)', () => {
    const result = cohenKappaFromTable(skinCondition);
    expect(result.kappa.toFixed(4)).toBe('0.3449');
    expect(result.standardError.toFixed(4)).toBe('0.0724');
    expect(result.lower.toFixed(4)).toBe('0.2030');
    expect(result.upper.toFixed(4)).toBe('0.4868');
  });

  it('gives the same answer from per-case ratings as from the table', () => {
    const { a, b } = ratingsFromTable(skinCondition, ['terrible', 'poor', 'marginal', 'clear']);
    const fromCases = cohenKappa(a, b);
    const fromTable = cohenKappaFromTable(skinCondition);
    expect(fromCases.kappa).toBeCloseTo(fromTable.kappa, 14);
    expect(fromCases.standardError).toBeCloseTo(fromTable.standardError, 14);
  });

  it('reproduces the textbook 2×2 example: 50 grant proposals, pₒ = 0.7, pₑ = 0.5, κ = 0.4', () => {
    // Wikipedia "Cohen's kappa", worked example: Yes/Yes 20, Yes/No 5, No/Yes 10, No/No 15.
    const { a, b } = ratingsFromTable(
      [
        [20, 5],
        [10, 15],
      ],
      ['yes', 'no'],
    );
    const result = cohenKappa(a, b);
    expect(result.observed).toBeCloseTo(0.7, 14);
    expect(result.expected).toBeCloseTo(0.5, 14);
    expect(result.kappa).toBeCloseTo(0.4, 14);
  });

  it('is 1 for perfect agreement and widens the interval at a higher confidence level', () => {
    expect(cohenKappa(['MBD', 'NO_MBD', 'MBD'], ['MBD', 'NO_MBD', 'MBD']).kappa).toBe(1);
    const at95 = cohenKappaFromTable(skinCondition);
    const at99 = cohenKappaFromTable(skinCondition, 0.01);
    expect(at99.upper - at99.lower).toBeGreaterThan(at95.upper - at95.lower);
  });

  it('rejects mismatched, empty and single-category ratings', () => {
    expect(() => cohenKappa(['MBD'], [])).toThrow(/rater A has 1 values but ratings of rater B has 0/);
    expect(() => cohenKappa([], [])).toThrow(/empty/);
    expect(() => cohenKappa(['MBD', 'MBD'], ['MBD', 'MBD'])).toThrow(StatisticsError);
    expect(() => cohenKappa(['MBD', 'MBD'], ['MBD', 'MBD'])).toThrow(/single, identical category/);
    expect(() => cohenKappaFromTable([[1, 2]])).toThrow(/must be square/);
  });
});

describe('fleissKappa', () => {
  // Fleiss (1971) method, worked example of Wikipedia "Fleiss' kappa": 10 subjects, 14 raters,
  // 5 categories; P̄ = 0.378, P̄ₑ = 0.213, κ = 0.210.
  const example = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
  ];

  it('reproduces the published κ = 0.210', () => {
    expect(fleissKappa(example).kappa.toFixed(3)).toBe('0.210');
  });

  it('has per-category κ whose pⱼqⱼ-weighted mean is the overall κ (Fleiss 1971)', () => {
    const { kappa, perCategory } = fleissKappa(example);
    const share = [0, 1, 2, 3, 4].map((j) => example.reduce((s, row) => s + row[j], 0) / 140);
    const weights = share.map((p) => p * (1 - p));
    const weighted = perCategory.reduce<number>((s, k, j) => s + (k as number) * weights[j], 0);
    expect(weighted / weights.reduce((s, w) => s + w, 0)).toBeCloseTo(kappa, 14);
  });

  it('agrees with the two-rater special case computed by hand', () => {
    // 4 subjects, 2 raters: (A,A) (A,B) (B,B) (B,B). pA = 3/8, pB = 5/8, P̄ = 3/4, P̄ₑ = 34/64.
    const result = fleissKappa([
      [2, 0],
      [1, 1],
      [0, 2],
      [0, 2],
    ]);
    expect(result.kappa).toBeCloseTo((3 / 4 - 34 / 64) / (1 - 34 / 64), 14);
  });

  it('reports null for a category nobody used', () => {
    expect(
      fleissKappa([
        [2, 0, 0],
        [1, 1, 0],
        [0, 2, 0],
      ]).perCategory[2],
    ).toBeNull();
  });

  it('rejects unequal numbers of raters and single ratings', () => {
    expect(() =>
      fleissKappa([
        [2, 1],
        [1, 1],
      ]),
    ).toThrow(/subject 1 has 2 ratings but subject 0 has 3/);
    expect(() =>
      fleissKappa([
        [1, 0],
        [0, 1],
      ]),
    ).toThrow(/at least 2 ratings per subject/);
    expect(() =>
      fleissKappa([
        [3, 0],
        [3, 0],
      ]),
    ).toThrow(/every rating fell in one category/);
    expect(() => fleissKappa([])).toThrow(StatisticsError);
  });
});
