// The steps every file import goes through (members, registrations, activities): pick a file
// through the backend's native dialog, preview it as a dry run, apply it with progress (and
// cancel), then offer Undo. Each import plans and shows its own things; this owns the order of
// the steps, what is busy, and which preview's answer counts. No IPC here: the import passes its
// own calls in, so the machine runs in tests as it does in the app.
import type { PlannedRow } from "../ipc/backend";
import type { RowFlag } from "../ipc/bindings";
import { hasKey, t } from "../i18n/index.svelte";
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

/** A line of the file that cannot be read, or a value left out of it, as the dialog lists it. */
export interface Flagged {
  key: string;
  line: number;
  text: string;
  /** The row is imported; only a value of it was left out (or it is worth a second look). */
  flag?: boolean;
}

/** A field's name in the manager's language: a member field, a column kind, or a custom label as is. */
export function fieldName(field: string): string {
  const member = `field.${field}`;
  if (hasKey(member)) return t(member);
  const column = `import.field.${field}`;
  return hasKey(column) ? t(column) : field;
}

/**
 * A row's flag in words: `what` names the field and the value left out (empty for a possible
 * duplicate, where nothing was left out), `why` is the translated reason.
 */
export function flagText(flag: RowFlag): { what: string; why: string } {
  const why = errorText({ code: flag.reason, message: flag.message, field: flag.field, params: { ...flag.params, value: flag.value } });
  if (flag.reason === "possible_duplicate") return { what: "", why };
  return { what: t("import.leftOut", { field: fieldName(flag.field), value: flag.value }), why };
}

/** The member side's rows that cannot be read (who, and why), then the values left out of rows imported. */
export function flaggedMembers(rows: PlannedRow[] | undefined): Flagged[] {
  const invalid: Flagged[] = (rows ?? [])
    .filter((r) => r.error)
    .map((r) => ({ key: `m${r.line}`, line: r.line, text: `${r.display_name} — ${r.error ? errorText(r.error) : ""}` }));
  const flags: Flagged[] = (rows ?? []).flatMap((r) =>
    (r.flags ?? []).map((f, i) => {
      const { what, why } = flagText(f);
      return { key: `f${r.line}-${i}`, line: r.line, text: [r.display_name, what, why].filter(Boolean).join(" — "), flag: true };
    }),
  );
  return [...invalid, ...flags];
}
