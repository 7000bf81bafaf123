import { afterEach, describe, expect, it, vi } from "vitest";
import { Busy } from "./busy.svelte";
import { dismiss, toasts } from "./notify.svelte";
import { setLocale } from "../i18n/index.svelte";

afterEach(() => {
  for (const item of [...toasts]) dismiss(item.id);
});

describe("Busy", () => {
  it("is running while the task runs, and takes one task at a time", async () => {
    const busy = new Busy();
    let finish: () => void = () => {};
    const first = busy.run(() => new Promise<void>((r) => (finish = r)));
    expect(busy.running).toBe(true);
    const second = vi.fn(async () => {});
    await busy.run(second);
    expect(second).not.toHaveBeenCalled();
    finish();
    await first;
    expect(busy.running).toBe(false);
  });

  it("shows a failure as an error toast, or hands it to `fail`", async () => {
    setLocale("en");
    const busy = new Busy();
    await busy.run(async () => {
      throw new Error("disk full");
    });
    expect(busy.running).toBe(false);
    expect(toasts.at(-1)).toMatchObject({ kind: "error", text: "Something went wrong: disk full" });
    const fail = vi.fn();
    const before = toasts.length;
    await busy.run(async () => {
      throw new Error("bad field");
    }, fail);
    expect(fail).toHaveBeenCalledWith(new Error("bad field"));
    expect(toasts.length).toBe(before);
  });
});
