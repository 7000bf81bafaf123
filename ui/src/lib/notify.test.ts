import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { dismiss, showError, toast, toastUndo, toasts } from "./notify.svelte";
import { setLocale } from "../i18n/index.svelte";

beforeEach(() => {
  vi.useFakeTimers();
  setLocale("en");
});
afterEach(() => {
  for (const item of [...toasts]) dismiss(item.id);
  vi.useRealTimers();
});

describe("toasts", () => {
  it("keep the newest four and leave on their own; errors and Undo stay twice as long", () => {
    for (const n of [1, 2, 3, 4, 5]) toast(`t${n}`);
    expect(toasts.map((item) => item.text)).toEqual(["t2", "t3", "t4", "t5"]);
    for (const item of [...toasts]) dismiss(item.id);
    toast("info");
    showError(new Error("boom"));
    vi.advanceTimersByTime(6000);
    expect(toasts.map((item) => [item.kind, item.text])).toEqual([["error", "Something went wrong: boom"]]);
    vi.advanceTimersByTime(6000);
    expect(toasts).toEqual([]);
  });

  it("Undo runs the undo and says what it returned", async () => {
    const undo = vi.fn(async () => "Merge undone");
    toastUndo("Merged", undo);
    const [item] = toasts;
    expect(item.action?.label).toBe("Undo");
    await item.action?.run();
    expect(undo).toHaveBeenCalledOnce();
    expect(toasts.at(-1)?.text).toBe("Merge undone");
  });

  it("a failed undo becomes an error toast", async () => {
    toastUndo("Tagged", async () => {
      throw { code: "not_found", message: "member 3 not found" };
    });
    await toasts[0].action?.run();
    expect(toasts.at(-1)?.kind).toBe("error");
  });
});
