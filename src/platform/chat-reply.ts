/** What a `/release` command or a button answers: a message for the one who asked, or for the channel. */
export interface ChatReply {
  text: string;
  /** Shown to the channel (`in_channel`); otherwise only to the user (`ephemeral`). */
  public?: boolean;
}
