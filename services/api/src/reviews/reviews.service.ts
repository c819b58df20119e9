import { Prediction, recordScanReading, Review, Scan } from '@bonescan/db';
import type { DataSource, EntityManager } from 'typeorm';
import { badInput, isUniqueViolation, notFound } from '../graphql/errors';
import type { SubmitReviewInput } from './review.input';

/**
 * Records a reader's verdict and moves the scan's reading clock in the same transaction. A second
 * submit of the same draft (same submissionKey) returns the review already recorded.
 */
export class ReviewsService {
  constructor(private readonly dataSource: DataSource) {}

  /** `readerStudyId` links the reading to a reader study; the study's own rules are checked by its service. */
  async submit(readerId: string, input: SubmitReviewInput & { readerStudyId?: string | null }): Promise<Review> {
    if (input.submissionKey) {
      const earlier = await this.dataSource.getRepository(Review).findOneBy({ submissionKey: input.submissionKey });
      if (earlier) return this.sameDraft(earlier, readerId, input);
    }
    try {
      return await this.dataSource.transaction((manager) => this.record(manager, readerId, input));
    } catch (error) {
      // Two submits of one draft racing each other: the loser returns the winner's review.
      if (input.submissionKey && isUniqueViolation(error)) {
        const winner = await this.dataSource.getRepository(Review).findOneByOrFail({ submissionKey: input.submissionKey });
        return this.sameDraft(winner, readerId, input);
      }
      throw error;
    }
  }

  private sameDraft(review: Review, readerId: string, input: SubmitReviewInput): Review {
    if (review.readerId !== readerId || review.scanId !== input.scanId) {
      throw badInput('submissionKey was already used for another review: use a new key for each draft', 'submissionKey');
    }
    return review;
  }

  private async record(manager: EntityManager, readerId: string, input: SubmitReviewInput & { readerStudyId?: string | null }): Promise<Review> {
    const scan = await manager.getRepository(Scan).findOne({ where: { id: input.scanId }, lock: { mode: 'pessimistic_write' } });
    if (!scan) throw notFound('scan', input.scanId);
    await this.checkHotspots(manager, scan.id, input);
    const review = await manager.getRepository(Review).save({
      scanId: scan.id,
      readerId,
      verdict: input.verdict,
      confidence: input.confidence,
      comment: input.comment?.trim() || null,
      timeSpentMs: input.timeSpentMs,
      aiVisible: input.aiVisible,
      hotspotAssessments: input.hotspotAssessments ?? [],
      submissionKey: input.submissionKey ?? null,
      readerStudyId: input.readerStudyId ?? null,
    });
    // A reader-study reading is research, not the clinical report: it leaves the worklist and turnaround clocks alone.
    if (input.readerStudyId) return review;
    await recordScanReading(manager, scan.id, { readAt: review.createdAt, verdict: input.verdict });
    return review;
  }

  private async checkHotspots(manager: EntityManager, scanId: string, input: SubmitReviewInput): Promise<void> {
    if (!input.hotspotAssessments?.length) return;
    const predictions = await manager.getRepository(Prediction).findBy({ scanId });
    const most = Math.max(0, ...predictions.map((p) => p.hotspots.length));
    const outside = input.hotspotAssessments.find((a) => a.hotspotIndex >= most);
    if (outside) throw badInput(`Hotspot ${outside.hotspotIndex} does not exist: the AI marked ${most} hotspots on this scan`, 'hotspotAssessments');
  }
}
