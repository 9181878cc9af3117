/** Up to when the push reconciler has looked: where its next run starts reading. */
export interface ReconcileMark {
  /** The instant (ISO 8601) the last completed run read up to, or undefined before the first. */
  read(): Promise<string | undefined>;
  /** Records that every push before `until` (ISO 8601) has been looked at; never moves the mark back. */
  write(until: string): Promise<void>;
}
