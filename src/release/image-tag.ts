// ECR's (and Docker's) image tag: up to 128 characters. A GitHub release's tag
// may be any git ref name; only one that is also an image tag can name an image.

/** An image tag as ECR accepts it. */
export const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

/** Whether `tag` can name an image in ECR. */
export function isImageTag(tag: string): boolean {
  return IMAGE_TAG.test(tag);
}
