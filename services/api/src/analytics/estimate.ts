import { Field, Float, InputType, Int, ObjectType } from 'type-graphql';
import { badInput } from '../graphql/errors';

/**
 * A figure with its 95 % confidence interval. When the data cannot give the figure (no ground
 * truth yet, no negatives, one case), `value` is null and `reason` says why: never a silent 0.
 */
@ObjectType({ description: 'A figure with its 95 % confidence interval; null with a reason when it cannot be computed' })
export class Estimate {
  @Field(() => Float, { nullable: true })
  value: number | null;

  @Field(() => Float, { nullable: true, description: 'Lower limit of the 95 % confidence interval' })
  lower: number | null;

  @Field(() => Float, { nullable: true, description: 'Upper limit of the 95 % confidence interval' })
  upper: number | null;

  @Field(() => Int, { nullable: true, description: 'Cases counted in the numerator, for proportions' })
  numerator: number | null;

  @Field(() => Int, { nullable: true, description: 'Cases the figure rests on (the denominator, for proportions)' })
  denominator: number | null;

  @Field(() => String, { nullable: true, description: 'How the interval was computed, e.g. "Wilson", "DeLong", "bootstrap (100 resamples, seed 1)"' })
  method: string | null;

  @Field(() => String, { nullable: true, description: 'Why the figure is missing; null when it is present' })
  reason: string | null;
}

export const missing = (reason: string, denominator: number | null = null): Estimate => ({
  value: null,
  lower: null,
  upper: null,
  numerator: null,
  denominator,
  method: null,
  reason,
});

export const estimate = (
  figure: { estimate: number; lower: number | null; upper: number | null },
  method: string | null,
  counts: { numerator?: number; denominator?: number } = {},
): Estimate => ({
  value: figure.estimate,
  lower: figure.lower,
  upper: figure.upper,
  numerator: counts.numerator ?? null,
  denominator: counts.denominator ?? null,
  method,
  reason: null,
});

@InputType({ description: 'Scans that arrived from `from` (inclusive) up to `to` (exclusive)' })
export class DateRange {
  @Field()
  from: Date;

  @Field()
  to: Date;
}

/** Longest range one query may cover: ten years of a department's scans. */
const MAX_RANGE_DAYS = 3660;

export function checkRange(range: DateRange): void {
  const { from, to } = range;
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw badInput('range.from and range.to must be ISO date-times', 'range');
  if (to.getTime() < from.getTime()) {
    throw badInput(`range ends (${to.toISOString()}) before it starts (${from.toISOString()}): swap from and to`, 'range');
  }
  if (to.getTime() === from.getTime()) throw badInput(`range is empty: from and to are both ${from.toISOString()}; give an end after the start`, 'range');
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86_400_000) throw badInput(`range spans more than ${MAX_RANGE_DAYS} days: narrow it`, 'range');
}
