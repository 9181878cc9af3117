import { isOneOf } from '../approvals/index.ts';
import type { Catalog } from '../catalog/index.ts';
import type { ChatPort } from '../platform/chat.ts';
import type { ChatReply } from '../platform/chat-reply.ts';
import { escapeText } from '../release/index.ts';
import { type RotationWorkflow, rotationRequest } from '../rotation/index.ts';

// `/release rotate <secret>`: starts the rotation state machine for one catalog
// secret, named by its catalog name or its parameter, with the same input as
// `npx release rotate`. Only the secret's `rotators` may; none means nobody.

/** One `/release rotate` as Slack delivered it. */
export interface ChatRotation {
  /** The catalog secret's name (`web-db`) or its SSM parameter. */
  secret: string;
  user: string;
  /** Unique per Slack request: the rotation id ends with it. */
  requestId: string;
}

/** What starting a rotation from Slack needs. */
export interface ChatRotationPorts {
  catalog: Catalog;
  rotations: RotationWorkflow;
  chat: Pick<ChatPort, 'groupMembers'>;
  now: () => Date;
}

/** Starts a rotation of a catalog secret for an allowed user; an unknown secret or a refusal starts nothing. */
export async function startChatRotation(ask: ChatRotation, ports: ChatRotationPorts): Promise<ChatReply> {
  const secrets = Object.entries(ports.catalog.secrets);
  const found = secrets.find(([name, secret]) => name === ask.secret || secret.parameter === ask.secret);
  if (!found) {
    const known = secrets.map(([name]) => `\`${name}\``).join(', ');
    return {
      text: `Unknown secret \`${escapeText(ask.secret)}\`: ${known ? `the catalog's secrets are ${known}` : 'the catalog has no secrets'}. Nothing was rotated.`,
    };
  }
  const [name, secret] = found;
  if (secret.rotators.length === 0) {
    return { text: `Nobody may rotate \`${name}\` from Slack (the catalog names no rotators).` };
  }
  if (!(await isOneOf(ask.user, secret.rotators, ports.chat))) {
    return { text: `You may not rotate \`${name}\`.` };
  }
  const request = rotationRequest(secret.parameter, ask.user, ports.now(), ask.requestId);
  await ports.rotations.start(request);
  return {
    text: `<@${ask.user}> started rotation \`${request.rotationId}\` of \`${name}\` (\`${secret.parameter}\`): new value, tested, published, then its services roll. The outcome goes to ${escapeText(secret.slackChannel)}.`,
    public: true,
  };
}
