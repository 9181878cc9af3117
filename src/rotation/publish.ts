import type * as z from 'zod';
import { ParameterHistoryFullError } from './errors.ts';
import type { ParameterVersion, SecretStore } from './ports/secret-store.ts';
import { CURRENT_LABEL, PREVIOUS_LABEL, type RotationRequest, secretKey } from './rotation.ts';
import type { publishedSchema } from './schemas.ts';
import { readPending } from './steps.ts';

// SSM keeps 100 versions of a parameter and drops the oldest on a new write,
// unless the oldest carries a label: then every write fails.
export const SSM_VERSION_LIMIT = 100;

/** What `finishRotation` published: the parameter's version now labelled current, and the one labelled previous. */
export type Published = z.infer<typeof publishedSchema>;

/**
 * Publishes the tested pending value as the parameter's new latest version
 * (what ECS reads from now on) and moves the labels: `previous` to the version
 * that was `current`, `current` to the new one. Run again after a crash it
 * writes nothing twice: a latest version holding the pending value is this
 * rotation's, and labels already in place are left.
 */
export async function finishRotation(request: RotationRequest, { store }: { store: SecretStore }): Promise<Published> {
  const { parameter } = request;
  const value = await readPending(request, store);
  const latest = await store.read(parameter);
  let published: number;
  if (latest?.value === value) published = latest.version;
  else {
    const before = await store.history(parameter);
    checkRoomForVersion(parameter, before);
    published = await store.write(parameter, value, secretKey(before));
  }
  const history = await store.history(parameter);
  const labelled = (label: string) => history.find((v) => v.labels.includes(label))?.version;
  const current = labelled(CURRENT_LABEL);
  if (current === published) return withPrevious({ parameter, version: published }, labelled(PREVIOUS_LABEL));
  // A parameter rotated for the first time may have versions written by hand: the newest of them is the previous.
  const previous = current ?? history.filter((v) => v.version < published).at(-1)?.version;
  if (previous !== undefined) await store.label(parameter, previous, PREVIOUS_LABEL);
  await store.label(parameter, published, CURRENT_LABEL);
  return withPrevious({ parameter, version: published }, previous);
}

const withPrevious = (published: Published, previous: number | undefined): Published =>
  previous === undefined ? published : { ...published, previousVersion: previous };

// Only current and previous are ever ours to label, on the two newest
// versions; a label on the oldest kept version was put there by hand.
function checkRoomForVersion(parameter: string, history: readonly ParameterVersion[]): void {
  const oldest = history[0];
  if (history.length < SSM_VERSION_LIMIT || oldest === undefined || oldest.labels.length === 0) return;
  throw new ParameterHistoryFullError(
    `${parameter} keeps ${history.length} versions and its oldest, version ${oldest.version}, carries the labels ${oldest.labels.join(', ')}: SSM would refuse the new version. Remove those labels (aws ssm unlabel-parameter-version) and rotate again.`,
  );
}
