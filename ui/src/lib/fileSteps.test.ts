import { describe, expect, it, vi } from "vitest";
import { FileSteps, fileOptions, flagText, flaggedMembers, type FlowSteps } from "./fileSteps.svelte";
import { setLocale } from "../i18n/index.svelte";
import type { PlannedRow } from "../ipc/backend";

/** A promise the test settles by hand, to put answers out of order. */
function later<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function steps(over: Partial<FlowSteps<string, number>> = {}): FlowSteps<string, number> {
  return {
    pick: async () => "/tmp/list.csv",
    preview: async (path) => `plan of ${path}`,
    apply: async () => 3,
    applied: () => {},
    ...over,
  };
}

const coreError = { code: "not_found", message: "no such file" };

describe("FileSteps", () => {
  it("previews the picked file and tells the import before its first preview", async () => {
    const order: string[] = [];
    const flow = new FileSteps(
      steps({
        picked: (path) => order.push(`picked ${path}`),
        preview: async (path) => {
          order.push("preview");
          return `plan of ${path}`;
        },
        planned: (plan) => order.push(`planned ${plan}`),
      }),
    );
    const picking = flow.pick();
    expect(flow.busy).toBe("pick");
    await picking;
    expect(order).toEqual(["picked /tmp/list.csv", "preview", "planned plan of /tmp/list.csv"]);
    expect(flow.path).toBe("/tmp/list.csv");
    expect(flow.plan).toBe("plan of /tmp/list.csv");
    expect(flow.busy).toBeNull();
  });

  it("keeps the last file and plan when the manager cancels the native dialog", async () => {
    let answer: string | null = "/tmp/a.csv";
    const flow = new FileSteps(steps({ pick: async () => answer }));
    await flow.pick();
    answer = null;
    await flow.pick();
    expect(flow.path).toBe("/tmp/a.csv");
    expect(flow.plan).toBe("plan of /tmp/a.csv");
    expect(flow.busy).toBeNull();
  });

  it("lets only the newest preview's answer count", async () => {
    const answers = [later<string>(), later<string>()];
    let call = 0;
    const planned = vi.fn();
    const flow = new FileSteps(steps({ preview: () => answers[call++].promise, planned }));
    flow.path = "/tmp/x.csv";
    const first = flow.refresh();
    const second = flow.refresh();
    answers[1].resolve("new");
    await second;
    expect(flow.plan).toBe("new");
    expect(flow.busy).toBeNull();
    answers[0].resolve("old");
    await first;
    expect(flow.plan).toBe("new");
    expect(planned).toHaveBeenCalledTimes(1);
    expect(planned).toHaveBeenCalledWith("new");
  });

  it("says why a preview failed and drops the plan it had; an overtaken failure says nothing", async () => {
    setLocale("en");
    const answers = [later<string>(), later<string>()];
    let call = 0;
    const flow = new FileSteps(steps({ preview: () => answers[call++].promise }));
    flow.path = "/tmp/x.csv";
    const first = flow.refresh();
    const second = flow.refresh();
    answers[0].reject(coreError);
    await first;
    expect(flow.failure).toBeNull();
    answers[1].reject(coreError);
    await second;
    expect(flow.plan).toBeNull();
    expect(flow.failure).toMatch(/\S/);
    expect(flow.busy).toBeNull();
  });

  it("a failed pick is shown, and nothing is busy after it", async () => {
    const flow = new FileSteps(steps({ pick: async () => Promise.reject(new Error("dialog broke")) }));
    await flow.pick();
    expect(flow.failure).toContain("dialog broke");
    expect(flow.busy).toBeNull();
  });

  it("applies only a planned file, once at a time, and hands the outcome over", async () => {
    const written = later<number>();
    const applied = vi.fn();
    const apply = vi.fn(() => written.promise);
    const flow = new FileSteps(steps({ apply, applied }));
    await flow.apply();
    expect(apply).not.toHaveBeenCalled();
    await flow.pick();
    const running = flow.apply();
    expect(flow.busy).toBe("apply");
    expect(flow.closable).toBe(false);
    await flow.apply();
    expect(apply).toHaveBeenCalledTimes(1);
    written.resolve(7);
    await running;
    expect(applied).toHaveBeenCalledWith(7);
  });

  it("a failed apply is shown and the dialog can close or try again", async () => {
    const applied = vi.fn();
    const flow = new FileSteps(steps({ apply: () => Promise.reject(new Error("disk full")), applied }));
    await flow.pick();
    await flow.apply();
    expect(applied).not.toHaveBeenCalled();
    expect(flow.failure).toContain("disk full");
    expect(flow.busy).toBeNull();
    expect(flow.closable).toBe(true);
  });

  it("counts rows from import and preview progress, and starts again at zero", async () => {
    const flow = new FileSteps(steps());
    flow.progress({ task: "import", done: 40 });
    expect(flow.done).toBe(40);
    flow.progress({ task: "export", done: 99 });
    expect(flow.done).toBe(40);
    flow.progress({ task: "preview", done: 12 });
    expect(flow.done).toBe(12);
    await flow.pick();
    expect(flow.done).toBe(0);
  });
});

describe("what an import sends and lists", () => {
  it("sends the path with the manager's time zone", () => {
    expect(fileOptions("/tmp/a.csv")).toEqual({ path: "/tmp/a.csv", utc_offset_minutes: -new Date().getTimezoneOffset() });
    expect(fileOptions(null).path).toBe("");
  });

  it("lists the member rows that cannot be read, by line, with who and why", () => {
    setLocale("en");
    const row = (line: number, error: PlannedRow["error"]) => ({ line, display_name: `row ${line}`, error }) as PlannedRow;
    const flagged = flaggedMembers([row(2, null), row(5, { code: "invalid_email", message: "bad", field: "email", params: { value: "a@" } })]);
    expect(flagged).toEqual([{ key: "m5", line: 5, text: "row 5 — “a@” is not a valid email address." }]);
    expect(flaggedMembers(undefined)).toEqual([]);
  });

  it("lists the values left out of rows imported: line, field, value and the translated reason", () => {
    setLocale("en");
    const damaged = { line: 5, field: "phone", value: "1.38001E+10", reason: "damaged_number", message: "lost", params: { line: "5", value: "1.38001E+10" } } as const;
    const twin = { line: 6, field: "display_name", value: "Li Na", reason: "possible_duplicate", message: "same name", params: { member_id: "3", member_name: "Li Na" } } as const;
    expect(flagText(damaged)).toEqual({
      what: "Phone “1.38001E+10” left out",
      why: "Phone “1.38001E+10” was turned into scientific notation by Excel and its digits are lost. Fix it in the original file.",
    });
    expect(flagText(twin).what).toBe("");
    const rows = [
      { line: 5, display_name: "Li Na", error: null, flags: [damaged] },
      { line: 6, display_name: "Li Na", error: null, flags: [twin] },
    ] as unknown as PlannedRow[];
    const listed = flaggedMembers(rows);
    expect(listed.map((f) => [f.key, f.line, f.flag])).toEqual([["f5-0", 5, true], ["f6-0", 6, true]]);
    expect(listed[0].text).toBe(`Li Na — Phone “1.38001E+10” left out — ${flagText(damaged).why}`);
    expect(listed[1].text).toMatch(/^Li Na — Same name as Li Na \(#3\)/);
    setLocale("zh-CN");
    expect(flagText(damaged).what).toBe("手机号「1.38001E+10」未导入");
    setLocale("en");
  });
});
