// The steps every file import goes through (members, registrations, activities): pick a file
// through the backend's native dialog, preview it as a dry run, apply it with progress (and
// cancel), then offer Undo. Each import plans and shows its own things; this owns the order of
// the steps, what is busy, and which preview's answer counts. No IPC here: the import passes its
// own calls in, so the machine runs in tests as it does in the app.
import type { PlannedRow } from "../ipc/backend";
import { errorText } from "./errors";

/** What the flow is waiting for. */
export type FlowStep = "pick" | "preview" | "apply";

export interface FlowSteps<Plan, Applied> {
  /** Asks for the file; `null` when the manager cancels the native dialog. */
  pick: () => Promise<string | null>;
  /** A new file was chosen, before its first preview: forget what was chosen for the last one. */
  picked?: (path: string) => void;
  /** The dry run of the whole import for this file. */
  preview: (path: string) => Promise<Plan>;
  /** The newest preview's answer (never one a later preview overtook). */
  planned?: (plan: Plan) => void;
  apply: (path: string) => Promise<Applied>;
  /** The import is written: say so (with its Undo) and close. */
  applied: (out: Applied) => void;
  /** The preview is a task that reports its progress and stops when cancelled (member import). */
  previewIsTask?: boolean;
}

export class FileSteps<Plan, Applied> {
  path = $state<string | null>(null);
  plan = $state.raw<Plan | null>(null);
  busy = $state<FlowStep | null>(null);
  failure = $state<string | null>(null);
  /** Rows the running preview or apply has done (from the backend's progress events). */
  done = $state(0);
  readonly steps: FlowSteps<Plan, Applied>;
  /** Numbers previews, so the answer to an older one never replaces a newer one. */
  #seq = 0;

  constructor(steps: FlowSteps<Plan, Applied>) {
    this.steps = steps;
  }

  /** The dialog may close (not while an apply is writing). */
  get closable() {
    return this.busy !== "apply";
  }

  async pick() {
    this.busy = "pick";
    try {
      const path = await this.steps.pick();
      if (path) {
        this.path = path;
        this.steps.picked?.(path);
        await this.refresh();
      }
    } catch (e) {
      this.failure = errorText(e);
    } finally {
      if (this.busy === "pick") this.busy = null;
    }
  }

  /** Previews the chosen file again (after the manager changed an option). */
  async refresh() {
    if (!this.path) return;
    const seq = ++this.#seq;
    this.busy = "preview";
    this.done = 0;
    this.failure = null;
    try {
      const plan = await this.steps.preview(this.path);
      if (seq !== this.#seq) return;
      this.plan = plan;
      this.steps.planned?.(plan);
    } catch (e) {
      if (seq !== this.#seq) return;
      this.plan = null;
      this.failure = errorText(e);
    } finally {
      if (seq === this.#seq) this.busy = null;
    }
  }

  async apply() {
    if (!this.path || !this.plan || this.busy) return;
    this.busy = "apply";
    this.done = 0;
    let out: Applied;
    try {
      out = await this.steps.apply(this.path);
    } catch (e) {
      this.failure = errorText(e);
      this.busy = null;
      return;
    }
    this.steps.applied(out);
  }

  /** A progress event from the backend; imports report as `import`, member previews as `preview`. */
  progress(p: { task: string; done: number }) {
    if (p.task === "import" || p.task === "preview") this.done = p.done;
  }
}

/** What every import sends with its file: the path and the manager's time zone. */
export function fileOptions(path: string | null) {
  return { path: path ?? "", utc_offset_minutes: -new Date().getTimezoneOffset() };
}

/** A line of the file that cannot be read, as the dialog lists it. */
export interface Flagged {
  key: string;
  line: number;
  text: string;
}

/** The member side's rows that cannot be read: who, and why. */
export function flaggedMembers(rows: PlannedRow[] | undefined): Flagged[] {
  return (rows ?? [])
    .filter((r) => r.error)
    .map((r) => ({ key: `m${r.line}`, line: r.line, text: `${r.display_name} — ${r.error ? errorText(r.error) : ""}` }));
}
