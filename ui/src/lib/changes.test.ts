import { describe, expect, it, vi } from "vitest";
import { listen, subscription, type Entity } from "./changes";

/** A stand-in for the shell's event: `send` delivers, `resolve` finishes the subscription. */
function fakeChannel() {
  let handler: ((entity: Entity) => void) | undefined;
  let resolve: (unlisten: () => void) => void = () => {};
  const unlisten = vi.fn(() => (handler = undefined));
  const subscribe = (h: (entity: Entity) => void) => {
    handler = h;
    return new Promise<() => void>((r) => (resolve = r));
  };
  return {
    subscribe,
    unlisten,
    ready: async () => {
      resolve(unlisten);
      await Promise.resolve();
    },
    send: (entity: Entity) => handler?.(entity),
  };
}

describe("listen", () => {
  it("calls back only for the entities asked for", async () => {
    const ch = fakeChannel();
    const seen: Entity[] = [];
    listen(["engagement", "events"], (e) => seen.push(e), ch.subscribe);
    await ch.ready();
    const sent: Entity[] = ["members", "engagement", "credit", "events"];
    for (const e of sent) ch.send(e);
    expect(seen).toEqual(["engagement", "events"]);
  });

  it("hears everything with 'all'", async () => {
    const ch = fakeChannel();
    const seen: Entity[] = [];
    listen("all", (e) => seen.push(e), ch.subscribe);
    await ch.ready();
    ch.send("today");
    ch.send("settings");
    expect(seen).toEqual(["today", "settings"]);
  });

  it("unlistens at once when stopped after the subscription is ready", async () => {
    const ch = fakeChannel();
    const fn = vi.fn();
    const stop = listen("all", fn, ch.subscribe);
    await ch.ready();
    stop();
    expect(ch.unlisten).toHaveBeenCalledTimes(1);
    ch.send("members");
    expect(fn).not.toHaveBeenCalled();
  });

  it("drops a subscription that arrives after the component is gone, and calls nothing meanwhile", async () => {
    const ch = fakeChannel();
    const fn = vi.fn();
    const stop = listen("all", fn, ch.subscribe);
    stop();
    ch.send("members");
    expect(ch.unlisten).not.toHaveBeenCalled();
    await ch.ready();
    expect(ch.unlisten).toHaveBeenCalledTimes(1);
    expect(fn).not.toHaveBeenCalled();
    stop();
    expect(ch.unlisten).toHaveBeenCalledTimes(1);
  });
});

describe("subscription", () => {
  it("works for any event, progress included", async () => {
    let handler: ((p: number) => void) | undefined;
    const unlisten = vi.fn();
    const seen: number[] = [];
    const stop = subscription<number>(async (h) => {
      handler = h;
      return unlisten;
    }, (p) => seen.push(p));
    await Promise.resolve();
    handler?.(1);
    stop();
    handler?.(2);
    expect(seen).toEqual([1]);
    expect(unlisten).toHaveBeenCalledOnce();
  });
});
