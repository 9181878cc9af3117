/**
 * Stops what was started, last first, exactly once: the sandbox's stop() and
 * the clean-up of a start that failed half-way. One part failing to stop does
 * not keep the others running.
 */
export class Teardown {
  readonly #steps: { name: string; run: () => Promise<void> }[] = [];
  #done?: Promise<void>;

  add(name: string, run: () => Promise<void>): void {
    this.#steps.push({ name, run });
  }

  run(): Promise<void> {
    this.#done ??= (async () => {
      const failures: string[] = [];
      for (const step of this.#steps.reverse()) {
        try {
          await step.run();
        } catch (error) {
          failures.push(`${step.name}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      if (failures.length > 0) throw new Error(`the sandbox did not stop cleanly: ${failures.join('; ')}`);
    })();
    return this.#done;
  }
}
