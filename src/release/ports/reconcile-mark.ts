/** Where the push reconciler's last run left off. */
export interface ReconcileWindow {
  /** Every push stored before this instant (ISO 8601) has been looked at. */
  until: string;
  /** When that run ran (ISO 8601): the next one measures the schedule's period from it. */
  ranAt: string;
}

/** Up to when the push reconciler has looked: where its next run starts reading. */
export interface ReconcileMark {
  /** The last completed run's window, or undefined before the first run. */
  read(): Promise<ReconcileWindow | undefined>;
  /** Records a completed run; never moves the mark back. */
  write(window: ReconcileWindow): Promise<void>;
}
