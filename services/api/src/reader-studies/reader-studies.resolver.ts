import { ReaderStudy, ReaderStudyCase, Review, User } from '@bonescan/db';
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { SignedInViewer, type Permission, type Viewer } from '../auth/viewer';
import type { RequestContext } from '../graphql/context';
import { assertUuid } from '../graphql/errors';
import { ReaderStudyResultsService } from './reader-study-results.service';
import { ReaderStudiesService } from './reader-studies.service';
import {
  BalancedCaseSample,
  BalancedCaseSampleInput,
  CreateReaderStudyInput,
  ReaderStudyCaseForReading,
  ReaderStudyQueue,
  ReaderStudyReadingInput,
  ReaderStudyResults,
  StudyCasePrediction,
  StudyCaseView,
} from './reader-study.types';
import { studyCasePredictionId, studyCaseViewId } from './study-case-views';

@Resolver(() => ReaderStudy)
export class ReaderStudiesResolver {
  @Query(() => [ReaderStudy], { description: 'Reader studies, newest first; clinicians see the open ones they can read' })
  @Authorized<Permission>('reader-studies:read')
  readerStudies(@Ctx() context: RequestContext, @SignedInViewer() viewer: Viewer): Promise<ReaderStudy[]> {
    const onlyOpen = viewer.role === 'CLINICIAN';
    return context.dataSource.getRepository(ReaderStudy).find({ where: onlyOpen ? { status: 'OPEN' } : {}, order: { createdAt: 'DESC' } });
  }

  @Query(() => BalancedCaseSample, { description: 'A reproducible balanced case list (half MBD) from scans with ground truth, for createReaderStudy' })
  @Authorized<Permission>('reader-studies:manage')
  sampleBalancedCases(
    @Ctx() context: RequestContext,
    @Arg('input', () => BalancedCaseSampleInput) input: BalancedCaseSampleInput,
  ): Promise<BalancedCaseSample> {
    return new ReaderStudiesService(context.dataSource).sampleBalancedCases(input);
  }

  @Mutation(() => ReaderStudy, { description: 'A lead creates a reader study from a case list' })
  @Authorized<Permission>('reader-studies:manage')
  async createReaderStudy(
    @Ctx() context: RequestContext,
    @SignedInViewer() viewer: Viewer,
    @Arg('input', () => CreateReaderStudyInput) input: CreateReaderStudyInput,
  ): Promise<ReaderStudy> {
    input.scanIds.forEach((id) => assertUuid(id, 'scan', 'scanIds'));
    const study = await new ReaderStudiesService(context.dataSource).create(viewer.userId, input);
    context.audit.record({ action: 'reader-study.create', entityType: 'reader_study', entityId: study.id, details: { cases: input.scanIds.length } });
    return study;
  }

  @Mutation(() => ReaderStudy, { description: 'Stop accepting readings, freezing the study for analysis' })
  @Authorized<Permission>('reader-studies:manage')
  async closeReaderStudy(@Ctx() context: RequestContext, @Arg('id', () => ID) id: string): Promise<ReaderStudy> {
    assertUuid(id, 'reader study');
    const study = await new ReaderStudiesService(context.dataSource).close(id);
    context.audit.record({ action: 'reader-study.close', entityType: 'reader_study', entityId: id });
    return study;
  }

  @Query(() => ReaderStudyQueue, { description: "The signed-in reader's cases of a study, in their own randomised order, without patient identifiers" })
  @Authorized<Permission>('reviews:write')
  async readerStudyQueue(@Ctx() context: RequestContext, @SignedInViewer() viewer: Viewer, @Arg('id', () => ID) id: string): Promise<ReaderStudyQueue> {
    assertUuid(id, 'reader study');
    const queue = await new ReaderStudiesService(context.dataSource).queue(id, viewer.userId);
    // The reader sees images of these scans, though not who they belong to: still a read of patient data.
    queue.cases.forEach((c) => context.audit.record({ action: 'scan.read', entityType: 'scan', entityId: c.scanId, details: { readerStudyId: id } }));
    return queue;
  }

  @Mutation(() => Review, { description: "Record the signed-in reader's reading of a study case (AI visibility follows the study's mode)" })
  @Authorized<Permission>('reviews:write')
  async submitReaderStudyReading(
    @Ctx() context: RequestContext,
    @SignedInViewer() viewer: Viewer,
    @Arg('input', () => ReaderStudyReadingInput) input: ReaderStudyReadingInput,
  ): Promise<Review> {
    assertUuid(input.caseId, 'reader study case', 'caseId');
    const review = await new ReaderStudiesService(context.dataSource).submitReading(viewer.userId, input);
    context.audit.record({
      action: 'review.create',
      entityType: 'review',
      entityId: review.id,
      details: { scanId: review.scanId, readerStudyId: review.readerStudyId },
    });
    return review;
  }

  @Query(() => ReaderStudyResults, {
    description:
      "The paper's analysis of a closed study: AUC per reader beside the AI's, median and IQR, F1, time per case; readings stay blind while the study is open",
  })
  @Authorized<Permission>('reader-studies:manage')
  readerStudyResults(
    @Ctx() context: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('modelVersionId', () => ID, { nullable: true, description: 'Default: the active model version' }) modelVersionId: string | null,
  ): Promise<ReaderStudyResults> {
    assertUuid(id, 'reader study');
    if (modelVersionId) assertUuid(modelVersionId, 'model version', 'modelVersionId');
    return new ReaderStudyResultsService(context.dataSource).results(id, modelVersionId);
  }

  @FieldResolver(() => Int)
  caseCount(@Root() study: ReaderStudy, @Ctx() context: RequestContext): Promise<number> {
    return context.dataSource.getRepository(ReaderStudyCase).countBy({ readerStudyId: study.id });
  }

  @FieldResolver(() => User)
  async createdBy(@Root() study: ReaderStudy, @Ctx() context: RequestContext): Promise<User | null> {
    return context.loaders.user.load(study.createdById);
  }
}

@Resolver(() => ReaderStudyCaseForReading)
export class ReaderStudyCaseResolver {
  @FieldResolver(() => [StudyCaseView], { description: 'AP and PA images, named through the case' })
  async views(@Root() studyCase: ReaderStudyCaseForReading, @Ctx() context: RequestContext): Promise<StudyCaseView[]> {
    const views = await context.loaders.viewsByScan.load(studyCase.scanId);
    return views.map(({ view, width, height, pixelSpacingX, pixelSpacingY }) => ({
      id: studyCaseViewId(studyCase.caseId, view),
      view,
      width,
      height,
      pixelSpacingX,
      pixelSpacingY,
    }));
  }

  @FieldResolver(() => StudyCasePrediction, { nullable: true, description: 'The AI result, named through the case; always null in a BLINDED study' })
  async prediction(@Root() studyCase: ReaderStudyCaseForReading, @Ctx() context: RequestContext): Promise<StudyCasePrediction | null> {
    if (studyCase.blinded) return null;
    const [shown] = await context.loaders.shownPredictionByScan.load(studyCase.scanId);
    if (!shown) return null;
    const { probability, label, threshold, hotspots } = shown;
    return { id: studyCasePredictionId(studyCase.caseId), probability, label, threshold, hotspots };
  }
}
