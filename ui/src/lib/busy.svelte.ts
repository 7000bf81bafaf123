// A dialog's work in progress (merge, save, print, register…): `running` while it runs, so the
// buttons can disable and the dialog stays open until it is done; one run at a time; a failure
// becomes an error toast (or goes to `fail`), never an unhandled rejection.
import { showError } from "./notify.svelte";

export class Busy {
  running = $state(false);

  /** Runs `task` unless a run is already under way. */
  async run(task: () => Promise<void>, fail: (e: unknown) => void = showError): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await task();
    } catch (e) {
      fail(e);
    } finally {
      this.running = false;
    }
  }
}
