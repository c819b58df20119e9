import { Review, User } from '@bonescan/db';
import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { SignedInViewer, type Permission, type Viewer } from '../auth/viewer';
import type { RequestContext } from '../graphql/context';
import { assertUuid, notFound } from '../graphql/errors';
import { SubmitReviewInput } from './review.input';
import { ReviewsService } from './reviews.service';

@Resolver(() => Review)
export class ReviewsResolver {
  @Mutation(() => Review, { description: "Record the signed-in reader's verdict on a scan" })
  @Authorized<Permission>('reviews:write')
  async submitReview(
    @Ctx() context: RequestContext,
    @SignedInViewer() viewer: Viewer,
    @Arg('input', () => SubmitReviewInput) input: SubmitReviewInput,
  ): Promise<Review> {
    assertUuid(input.scanId, 'scan', 'scanId');
    const review = await new ReviewsService(context.dataSource).submit(viewer.userId, input);
    context.audit.record({ action: 'review.create', entityType: 'review', entityId: review.id, details: { scanId: review.scanId } });
    return review;
  }

  @FieldResolver(() => User)
  async reader(@Root() review: Review, @Ctx() context: RequestContext): Promise<User> {
    const reader = await context.loaders.user.load(review.readerId);
    if (!reader) throw notFound('user', review.readerId);
    return reader;
  }
}
