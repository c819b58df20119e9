/**
 * The viewer's one mapping from the model's space to a view, against positions worked out by hand from how
 * pre-processing resizes a view (bilinear, half-pixel centres, to 256 × 512).
 */
import { modelPointInView } from '../../apps/web/src/viewer/coordinates';

describe('a point of the model’s space placed on a view', () => {
  it('puts the first and last model pixels’ centres half a model pixel in from the edges', () => {
    expect(modelPointInView({ x: 0, y: 0 })).toEqual({ x: 0.5 / 256, y: 0.5 / 512 });
    expect(modelPointInView({ x: 255, y: 511 })).toEqual({ x: 255.5 / 256, y: 511.5 / 512 });
  });

  it('places model row 151 at 303 px down a 1024-row camera view, not at 151 px (half height)', () => {
    // Two view rows per model row: model row 151 covers view rows 302 and 303, from 302 px to 304 px down; its centre is 303 px.
    const at = modelPointInView({ x: 119, y: 151 });
    expect(at.y * 1024).toBeCloseTo(303, 10);
    // Columns are one to one on a 256-wide view: column 119's centre is 119.5 px from the left edge.
    expect(at.x * 256).toBeCloseTo(119.5, 10);
  });
});
