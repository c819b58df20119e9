/**
 * The one error every statistic throws on input it cannot honestly summarise
 * (empty data, one class only, mismatched lengths, NaN). Callers can catch this
 * type to report "not computable" instead of showing a misleading number.
 */
export class StatisticsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StatisticsError';
  }
}
